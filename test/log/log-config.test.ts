import test from 'ava';
import { DEFAULT_LOG_CONFIG, LogConfigError, LONG_MAX, parseLogConfig, withLogConfig } from '../../engine/log/log-config.ts';

test('the defaults are Kafka topic defaults', (t) => {
  t.is(DEFAULT_LOG_CONFIG.segmentBytes, 1073741824);
  t.is(DEFAULT_LOG_CONFIG.segmentMs, 604800000);
  t.is(DEFAULT_LOG_CONFIG.indexIntervalBytes, 4096);
  t.is(DEFAULT_LOG_CONFIG.segmentIndexBytes, 10485760);
  t.is(DEFAULT_LOG_CONFIG.retentionMs, 604800000);
  t.is(DEFAULT_LOG_CONFIG.retentionBytes, -1);
  t.is(DEFAULT_LOG_CONFIG.flushMessages, LONG_MAX);
  t.is(DEFAULT_LOG_CONFIG.flushMs, LONG_MAX);
  t.is(DEFAULT_LOG_CONFIG.fileDeleteDelayMs, 60000);
  t.is(DEFAULT_LOG_CONFIG.maxMessageBytes, 1048588);
});

test('keys are Kafka names and numeric strings are accepted', (t) => {
  const config = parseLogConfig({ 'segment.bytes': '2048', 'flush.messages': 1, 'retention.ms': '-1' });
  t.is(config.segmentBytes, 2048);
  t.is(config.flushMessages, 1);
  t.is(config.retentionMs, -1);
});

test("Long.MAX_VALUE as Kafka writes it reads as 'never'", (t) => {
  t.is(parseLogConfig({ 'flush.ms': '9223372036854775807' }).flushMs, LONG_MAX);
});

test('an unknown key is an error naming the key and the valid keys', (t) => {
  const error = t.throws(() => parseLogConfig({ 'segment.size': 10 }), { instanceOf: LogConfigError });
  t.is(error?.key, 'segment.size');
  t.regex(error?.message ?? '', /valid keys: segment\.bytes, segment\.ms/);
});

test('a bad value is an error naming the key and the allowed range', (t) => {
  const negative = t.throws(() => parseLogConfig({ 'segment.bytes': -5 }), { instanceOf: LogConfigError });
  t.regex(negative?.message ?? '', /'segment\.bytes' = -5 is not valid: an int in \[14, 2147483647\]/);
  t.throws(() => parseLogConfig({ 'index.interval.bytes': 1.5 }), { instanceOf: LogConfigError });
  t.throws(() => parseLogConfig({ 'retention.ms': 'a week' }), { instanceOf: LogConfigError });
  t.throws(() => parseLogConfig({ 'retention.bytes': -2 }), { instanceOf: LogConfigError });
});

test('withLogConfig changes some keys and validates them', (t) => {
  const config = withLogConfig(DEFAULT_LOG_CONFIG, { 'segment.ms': 1000 });
  t.is(config.segmentMs, 1000);
  t.is(config.segmentBytes, DEFAULT_LOG_CONFIG.segmentBytes);
  t.throws(() => withLogConfig(DEFAULT_LOG_CONFIG, { 'segment.ms': 0 }), { instanceOf: LogConfigError });
});

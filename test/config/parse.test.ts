import test from 'ava';
import { LONG_MAX } from '../../engine/config/definition.ts';
import type { ConfigProblem } from '../../engine/config/errors.ts';
import { ConfigError } from '../../engine/config/errors.ts';
import { configSource, explicitOverrides, parseConfig } from '../../engine/config/parse.ts';
import { editDistance, nearest } from '../../engine/config/suggest.ts';
import type { ConfigKind } from '../../engine/config/definition.ts';
import type { ConfigOverrides } from '../../engine/config/types.ts';

const NODE = { 'node.id': 1, 'process.roles': 'broker,controller', 'controller.quorum.voters': '1@broker-1:9093' };

function problemsOf(kind: ConfigKind, overrides: ConfigOverrides): readonly ConfigProblem[] {
  const error = (() => {
    try {
      parseConfig(kind, overrides);
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError for ${JSON.stringify(overrides)}`);
  return error.problems;
}

test('string values parse as Kafka parses properties', (t) => {
  const producer = parseConfig('producer', {
    'linger.ms': ' 1000 ', 'enable.idempotence': 'FALSE', acks: '1', 'compression.type': 'gzip', 'client.id': '  p1 ',
  });
  t.is(producer['linger.ms'], 1000);
  t.false(producer['enable.idempotence']);
  t.is(producer.acks, '1');
  t.is(producer['compression.type'], 'gzip');
  t.is(producer['client.id'], 'p1');
  const topic = parseConfig('topic', { 'cleanup.policy': ' delete ', 'message.timestamp.after.max.ms': '60000' });
  t.deepEqual(topic['cleanup.policy'], ['delete']);
  t.is(topic['message.timestamp.after.max.ms'], 60_000);
  const broker = parseConfig('broker', { ...NODE, 'controller.quorum.election.timeout.ms': '1500', 'log.dirs': '/data/kafka' });
  t.is(broker['controller.quorum.election.timeout.ms'], 1500);
  t.deepEqual(broker['log.dirs'], ['/data/kafka']);
});

test('acks accepts all, -1, 0 and 1 as strings or numbers and holds all, 0 or 1', (t) => {
  const cases: [string | number, 'all' | '0' | '1'][] = [['all', 'all'], ['-1', 'all'], [-1, 'all'], ['0', '0'], [0, '0'], [1, '1'], ['1', '1']];
  for (const [given, held] of cases) {
    t.is(parseConfig('producer', { acks: given, 'enable.idempotence': false }).acks, held, String(given));
  }
  t.deepEqual(problemsOf('producer', { acks: 2 }).map((p) => p.type), ['invalid-value']);
});

test('a long up to Java\'s Long.MAX_VALUE reads as LONG_MAX, and beyond it is an error', (t) => {
  t.is(parseConfig('topic', { 'flush.ms': '9223372036854775807' })['flush.ms'], LONG_MAX);
  t.is(parseConfig('topic', { 'flush.ms': 9223372036854775807 })['flush.ms'], LONG_MAX);
  const [problem] = problemsOf('topic', { 'flush.ms': '9223372036854775808' });
  t.is(problem?.type, 'invalid-value');
  t.regex(problem!.message, /not a long/);
});

test('an unknown key suggests the nearest known key', (t) => {
  const [problem] = problemsOf('broker', { ...NODE, 'min.insync.replica': 2 });
  t.is(problem?.type, 'unknown-key');
  if (problem?.type !== 'unknown-key') return;
  t.deepEqual(problem.suggestions, ['min.insync.replicas']);
  t.regex(problem.message, /did you mean min\.insync\.replicas\?/);
  const [shouting] = problemsOf('producer', { LINGER_MS: 10 });
  t.regex(shouting!.message, /did you mean linger\.ms\?/);
  const [nothingNear] = problemsOf('producer', { 'zzz.qqq': 1 });
  t.regex(nothingNear!.message, /describeConfig\('producer'\) lists the keys/);
});

test('a producer key given to a broker says which kind it belongs to', (t) => {
  const [problem] = problemsOf('broker', { ...NODE, acks: 'all' });
  t.is(problem?.type, 'unknown-key');
  if (problem?.type !== 'unknown-key') return;
  t.deepEqual(problem.otherKinds, ['producer']);
  t.is(problem.message, 'acks is not a broker config: it is a producer config');
  const [shared] = problemsOf('topic', { 'request.timeout.ms': 1 });
  t.regex(shared!.message, /it is a producer and consumer config/);
});

test('a topic key given to a broker names the broker key, and the other way round', (t) => {
  const [toBroker] = problemsOf('broker', { ...NODE, 'retention.ms': 1000 });
  t.regex(toBroker!.message, /retention\.ms is not a broker config: it is a topic config; .* is log\.retention\.ms/);
  const [toTopic] = problemsOf('topic', { 'log.segment.bytes': 1024 });
  t.regex(toTopic!.message, /log\.segment\.bytes is not a topic config: .* the topic key is segment\.bytes/);
});

test('bad values name the allowed values or range', (t) => {
  const problems = problemsOf('producer', {
    acks: 'al', 'linger.ms': -1, 'batch.size': '16k', 'enable.idempotence': 'yes', 'compression.type': 'brotli',
  });
  t.deepEqual(problems.map((p) => p.type), Array(5).fill('invalid-value'));
  const messages = problems.map((p) => p.message);
  t.is(messages[0], 'acks = "al" is not valid: not one of the allowed values (did you mean "all"?); allowed: one of [all, 0, 1, -1]');
  t.is(messages[1], 'linger.ms = -1 is not valid: below the minimum 0; allowed: a long in [0,...]');
  t.is(messages[2], 'batch.size = "16k" is not valid: not an int; allowed: an int in [0,...]');
  t.is(messages[3], 'enable.idempotence = "yes" is not valid: not a boolean; allowed: true or false');
  t.regex(messages[4]!, /compression\.type = "brotli" .* one of \[none, gzip\]/);
  const [ratio] = problemsOf('consumer', { 'fetch.max.wait.ms': 1.5 });
  t.regex(ratio!.message, /not an int; allowed: an int in \[0,\.\.\.\]/);
  const [roles] = problemsOf('broker', { ...NODE, 'process.roles': 'broker,zookeeper' });
  t.regex(roles!.message, /item "zookeeper" is not allowed; allowed: a comma-separated list of items from \[broker, controller\]/);
  const [voters] = problemsOf('broker', { ...NODE, 'controller.quorum.voters': 'broker-1:9093' });
  t.regex(voters!.message, /is not one of id@host:port entries/);
});

test('missing required broker keys are named', (t) => {
  const problems = problemsOf('broker', { 'controller.quorum.voters': '1@broker-1:9093' });
  t.deepEqual(problems.map((p) => [p.type, p.type === 'conflict' ? p.keys : p.key]),
    [['missing-key', 'node.id'], ['missing-key', 'process.roles']]);
  t.regex(problems[0]!.message, /node\.id is required \(it has no default\): an int in \[0,\.\.\.\]/);
});

test('all problems are reported at once', (t) => {
  const error = t.throws(() => parseConfig('broker', {
    'node.id': -3, acks: 1, 'log.retension.ms': 5, 'min.insync.replicas': 0, 'replica.fetch.wait.max.ms': 40_000,
    'replica.lag.time.max.ms': 30_000, 'process.roles': 'broker', 'controller.quorum.voters': '1@c:9093',
  }), { instanceOf: ConfigError });
  t.is(error.kind, 'broker');
  t.deepEqual(error.problems.map((p) => p.type),
    ['invalid-value', 'unknown-key', 'unknown-key', 'invalid-value', 'conflict', 'conflict']);
  t.deepEqual(error.keys, ['node.id', 'acks', 'log.retension.ms', 'min.insync.replicas',
    'replica.fetch.wait.max.ms', 'replica.socket.timeout.ms', 'replica.fetch.wait.max.ms', 'replica.lag.time.max.ms']);
  t.regex(error.message, /^Invalid broker config \(6 problems\):\n {2}- node\.id = -3/);
  t.regex(error.message, /did you mean log\.retention\.ms\?/);
});

test('topic defaults derive from broker keys', (t) => {
  const broker = parseConfig('broker', { ...NODE, 'log.retention.hours': 1, 'log.segment.bytes': '1048576',
    'min.insync.replicas': 2, 'log.flush.interval.messages': 1, 'log.message.timestamp.before.max.ms': 60_000 });
  const topic = parseConfig('topic', {}, broker);
  t.is(topic['retention.ms'], 3_600_000);
  t.is(topic['segment.bytes'], 1_048_576);
  t.is(topic['min.insync.replicas'], 2);
  t.is(topic['flush.messages'], 1);
  t.is(topic['message.timestamp.before.max.ms'], 60_000);
  t.is(parseConfig('topic', { 'retention.ms': 5000, 'min.insync.replicas': 1 }, broker)['retention.ms'], 5000);
  t.is(parseConfig('topic', { 'min.insync.replicas': 1 }, broker)['min.insync.replicas'], 1);
});

test('time-unit families resolve as Kafka does: the finest unit that is set wins', (t) => {
  const retention = (overrides: ConfigOverrides): number => parseConfig('broker', { ...NODE, ...overrides })['log.retention.ms'];
  t.is(retention({}), 168 * 3_600_000);
  t.is(retention({ 'log.retention.hours': 2 }), 7_200_000);
  t.is(retention({ 'log.retention.hours': 2, 'log.retention.minutes': 3 }), 180_000);
  t.is(retention({ 'log.retention.hours': 2, 'log.retention.minutes': 3, 'log.retention.ms': 42 }), 42);
  t.is(retention({ 'log.retention.hours': -1 }), -1);
  t.is(retention({ 'log.retention.ms': -1 }), -1);
  const broker = parseConfig('broker', { ...NODE, 'log.roll.hours': 1, 'log.flush.scheduler.interval.ms': 3000, 'log.dir': '/data' });
  t.is(broker['log.roll.ms'], 3_600_000);
  t.is(broker['log.flush.interval.ms'], 3000);
  t.deepEqual(broker['log.dirs'], ['/data']);
  t.deepEqual(parseConfig('broker', { ...NODE, 'log.dirs': '/a' })['log.dirs'], ['/a']);
});

test('a config built on another of its kind keeps Kafka\'s precedence and adjustments', (t) => {
  const base = parseConfig('broker', { ...NODE, 'log.retention.ms': 1000 });
  const later = parseConfig('broker', { 'log.retention.hours': 5 }, base);
  t.is(later['log.retention.ms'], 1000, 'the .ms set on the base still wins');
  t.is(later['node.id'], 1);
  const producer = parseConfig('producer', { acks: '1' });
  t.false(producer['enable.idempotence']);
  const back = parseConfig('producer', { acks: 'all' }, producer);
  t.true(back['enable.idempotence'], 'the default comes back once acks no longer contradicts it');
  t.deepEqual(explicitOverrides(back), { acks: 'all' });
  const topic = parseConfig('topic', { 'retention.ms': 10 }, parseConfig('broker', { ...NODE, 'log.segment.bytes': 2048 }));
  const altered = parseConfig('topic', { 'segment.ms': 60_000 }, topic);
  t.deepEqual([altered['retention.ms'], altered['segment.bytes'], altered['segment.ms']], [10, 2048, 60_000]);
  t.throws(() => parseConfig('producer', {}, parseConfig('consumer', {}) as never), { instanceOf: TypeError });
});

test('configSource tells an override, the broker default and the default apart', (t) => {
  const broker = parseConfig('broker', { ...NODE, 'log.retention.hours': 1 });
  const topic = parseConfig('topic', { 'segment.bytes': 4096 }, broker);
  t.is(configSource(topic, 'segment.bytes'), 'override');
  t.is(configSource(topic, 'retention.ms'), 'broker');
  t.is(configSource(topic, 'cleanup.policy'), 'default');
});

test('a parsed config is frozen, lists too', (t) => {
  const topic = parseConfig('topic', { 'cleanup.policy': 'delete' });
  t.true(Object.isFrozen(topic));
  t.true(Object.isFrozen(topic['cleanup.policy']));
  t.true(Object.isFrozen(parseConfig('topic', {})['cleanup.policy']));
  t.throws(() => {
    (topic as unknown as Record<string, unknown>)['retention.ms'] = 1;
  }, { instanceOf: TypeError });
});

test('did-you-mean ranks by edit distance and counts a swap as one edit', (t) => {
  t.is(editDistance('linger.ms', 'linegr.ms'), 1);
  t.is(editDistance('', 'abc'), 3);
  t.deepEqual(nearest('retention.ms', ['log.retention.ms', 'retention.bytes', 'segment.ms']), ['log.retention.ms']);
  t.deepEqual(nearest('session.timeout', ['session.timeout.ms', 'request.timeout.ms']), ['session.timeout.ms']);
});

test('a real Kafka key that Tributary does not model says why', (t) => {
  const [problem] = problemsOf('broker', { ...NODE, 'zookeeper.connect': 'zk:2181' });
  t.is(problem?.type, 'unknown-key');
  if (problem?.type !== 'unknown-key') return;
  t.regex(problem.notModelled!, /ZooKeeper mode was removed in Kafka 4\.0/);
  t.regex(problem.message, /^zookeeper\.connect is a Kafka broker config that Tributary does not model/);
  t.regex(problemsOf('producer', { 'key.serializer': 'x' })[0]!.message, /records are bytes/);
});

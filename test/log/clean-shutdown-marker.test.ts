// KIP-966's use of `.kafka_cleanshutdown`: a clean shutdown writes the broker epoch into it, as Kafka's
// CleanShutdownFileHandler does, and the next start reads it back before the logs load.

import test from 'ava';
import { parseLogConfig } from '../../engine/log/log-config.ts';
import { LogManager, readCleanShutdownBrokerEpoch } from '../../engine/log/log-manager.ts';
import { LOG_DIR, appendLeader, batch, settle, world } from './log-fixtures.ts';

const MARKER = `${LOG_DIR}/.kafka_cleanshutdown`;

test('a clean shutdown writes {"version":0,"brokerEpoch":N}, which the next start reads back before the logs load', (t) => {
  const w = world();
  const m = LogManager.open(w.disk, LOG_DIR, 0, { configFor: () => parseLogConfig({}) });
  appendLeader(m.getOrCreateLog('orders', 0, 0), batch(3), 0, 1);
  let finished = false;
  m.shutdown(w.scheduler.now(), () => (finished = true), 42);
  settle(w);
  t.true(finished);
  t.is(new TextDecoder().decode(w.disk.durableContent(MARKER)), '{"version":0,"brokerEpoch":42}');
  t.is(readCleanShutdownBrokerEpoch(w.disk, LOG_DIR), 42);
  LogManager.open(w.disk, LOG_DIR, 0, { configFor: () => parseLogConfig({}) });
  t.is(readCleanShutdownBrokerEpoch(w.disk, LOG_DIR), -1, 'loading the logs deleted it: a crash from here on is unclean');
});

test('no marker, or an empty, torn or epoch-less one, proves no clean shutdown', (t) => {
  const w = world();
  w.disk.mkdirs(LOG_DIR);
  t.is(readCleanShutdownBrokerEpoch(w.disk, LOG_DIR), -1, 'none');
  w.disk.create(MARKER);
  t.is(readCleanShutdownBrokerEpoch(w.disk, LOG_DIR), -1, 'empty (written before KIP-966)');
  for (const content of ['{"version":0,"brokerEp', '{"version":0}', '{"version":0,"brokerEpoch":-1}', '[]']) {
    w.disk.truncate(MARKER, 0);
    w.disk.write(MARKER, 0, new TextEncoder().encode(content));
    t.is(readCleanShutdownBrokerEpoch(w.disk, LOG_DIR), -1, content);
  }
});

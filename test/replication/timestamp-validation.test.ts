// The leader's timestamp rules on produced batches (Kafka's LogValidator): message.timestamp.before.max.ms and
// message.timestamp.after.max.ms bound every record's CreateTime by the leader's clock; message.timestamp.type
// LogAppendTime stamps batches with it, in whole milliseconds.
import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { ProduceResponse } from '../../engine/protocol/produce.ts';
import { encodeBatch } from '../../engine/records/batch.ts';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

const HOUR_MS = 3_600_000;

function world(configs: Readonly<Record<string, string>> = {}): ReplicationWorld {
  const w = new ReplicationWorld();
  w.createTopic('t', [[1]], configs);
  w.sim.runFor(10);
  return w;
}

/** Produces `batch` with acks=1 and returns the partition's answer, with its error message. */
function produced(w: ReplicationWorld, batch: Uint8Array): { errorCode: number; errorMessage: string | null } {
  const id = w.produce(1, 't', 0, batch, { acks: 1 });
  w.sim.runFor(100);
  const answer = w.response<ProduceResponse>(id)!.responses[0]!.partitions[0]!;
  return { errorCode: answer.errorCode, errorMessage: answer.errorMessage };
}

const now = (w: ReplicationWorld): number => Math.floor(w.sim.now());

test('a record stamped further ahead than message.timestamp.after.max.ms is refused with INVALID_TIMESTAMP', (t) => {
  const w = world({ 'message.timestamp.after.max.ms': '1000' });
  const ahead = produced(w, batchOf(['a'], { timestamp: now(w) + 5000 }));
  t.is(ahead.errorCode, ErrorCode.INVALID_TIMESTAMP);
  t.regex(ahead.errorMessage ?? '', /record 0 has CreateTime \d+, \d+ ms ahead of the leader's clock .* message\.timestamp\.after\.max\.ms=1000/);
  t.is(w.broker(1).replicaManager.partition('t', 0)!.logEndOffset, 0, 'nothing appended');
  t.is(produced(w, batchOf(['b'], { timestamp: now(w) + 500 })).errorCode, ErrorCode.NONE);
  t.deepEqual(w.logValues(1, 't', 0), ['b']);
});

test('Kafka 4.0\'s default after bound of one hour applies without any config', (t) => {
  const w = world();
  t.is(produced(w, batchOf(['a'], { timestamp: now(w) + 2 * HOUR_MS })).errorCode, ErrorCode.INVALID_TIMESTAMP);
  t.is(produced(w, batchOf(['b'], { timestamp: now(w) + HOUR_MS / 2 })).errorCode, ErrorCode.NONE);
});

test('a record older than message.timestamp.before.max.ms is refused, even one after the first of its batch', (t) => {
  const w = world({ 'message.timestamp.before.max.ms': '1000' });
  w.sim.runFor(10_000);
  const encoder = new TextEncoder();
  // The batch's base timestamp is fine; its second record's delta is negative and takes it out of range.
  const batch = encodeBatch({ records: [
    { value: encoder.encode('fresh'), timestamp: now(w) },
    { value: encoder.encode('stale'), timestamp: now(w) - 5000 },
  ] });
  const answer = produced(w, batch);
  t.is(answer.errorCode, ErrorCode.INVALID_TIMESTAMP);
  t.regex(answer.errorMessage ?? '', /record 1 has CreateTime \d+, \d+ ms behind .* message\.timestamp\.before\.max\.ms=1000/);
  t.is(produced(w, batchOf(['ok'], { timestamp: now(w) - 500 })).errorCode, ErrorCode.NONE);
});

test('a compressed batch is checked record by record too', (t) => {
  const w = world({ 'message.timestamp.after.max.ms': '1000' });
  t.is(produced(w, batchOf(['a', 'b'], { timestamp: now(w) + 5000, compression: 'gzip' })).errorCode, ErrorCode.INVALID_TIMESTAMP);
  t.is(produced(w, batchOf(['c', 'd'], { timestamp: now(w), compression: 'gzip' })).errorCode, ErrorCode.NONE);
});

test('a record without a timestamp is not checked, and a producer may not send a LogAppendTime batch', (t) => {
  const w = world({ 'message.timestamp.after.max.ms': '1000' });
  t.is(produced(w, batchOf(['no-timestamp'], { timestamp: -1 })).errorCode, ErrorCode.NONE);
  const stamped = produced(w, batchOf(['a'], { timestamp: -1, timestampType: 'LogAppendTime' }));
  t.is(stamped.errorCode, ErrorCode.INVALID_TIMESTAMP);
  t.regex(stamped.errorMessage ?? '', /only the broker stamps LogAppendTime/);
});

test('a corrupted batch out of range is still refused as CORRUPT_MESSAGE', (t) => {
  const w = world({ 'message.timestamp.after.max.ms': '1000' });
  const batch = batchOf(['a'], { timestamp: now(w) + 5000 });
  batch[batch.length - 2]! ^= 0x01;
  t.is(produced(w, batch).errorCode, ErrorCode.CORRUPT_MESSAGE);
});

test('under LogAppendTime the leader stamps its clock in whole milliseconds and does not check CreateTime', (t) => {
  const w = world({ 'message.timestamp.type': 'LogAppendTime', 'message.timestamp.after.max.ms': '1000' });
  w.sim.runFor(0.375); // simulated time is fractional; Kafka's clock is not
  const id = w.produce(1, 't', 0, batchOf(['a'], { timestamp: now(w) + 5000 }), { acks: 1 });
  w.sim.runFor(100);
  const answer = w.response<ProduceResponse>(id)!.responses[0]!.partitions[0]!;
  t.is(answer.errorCode, ErrorCode.NONE);
  t.true(Number.isSafeInteger(answer.logAppendTimeMs) && answer.logAppendTimeMs > 0, String(answer.logAppendTimeMs));
  const stored = w.broker(1).replicaManager.partition('t', 0)!.log.read(0, 1 << 20).bytes;
  const header = readBatchHeader(stored, 0);
  t.is(header.timestampType, 'LogAppendTime');
  t.is(header.maxTimestamp, answer.logAppendTimeMs);
});

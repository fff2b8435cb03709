import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { FetchRequest, FetchResponse } from '../../engine/protocol/fetch.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

test('a consumer fetch sees only records below the high watermark', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(1000);
  world.sim.partition(['broker-1'], ['broker-2']);
  world.produce(1, 'orders', 0, batchOf(['b']), { acks: 1 });
  world.sim.runFor(10);
  const before = world.consumerFetch(1, 'orders', 0, 0);
  const atHighWatermark = world.consumerFetch(1, 'orders', 0, 1);
  world.sim.runFor(10);
  t.deepEqual(world.fetchResult(before), { errorCode: ErrorCode.NONE, highWatermark: 1, values: ['a'] });
  t.deepEqual(world.fetchResult(atHighWatermark), { errorCode: ErrorCode.NONE, highWatermark: 1, values: [] });
  world.sim.heal();
  world.sim.runFor(3000);
  const after = world.consumerFetch(1, 'orders', 0, 0);
  world.sim.runFor(10);
  t.deepEqual(world.fetchResult(after), { errorCode: ErrorCode.NONE, highWatermark: 2, values: ['a', 'b'] });
});

test('a long poll returns as soon as data arrives, and at maxWaitMs without it', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const start = world.sim.now();
  const idle = world.consumerFetch(1, 'orders', 0, 0, { maxWaitMs: 2000 });
  const waiting = world.consumerFetch(1, 'orders', 0, 0, { maxWaitMs: 5000 });
  world.sim.runFor(1900);
  t.is(world.response(idle), undefined);
  world.sim.runFor(200);
  t.deepEqual(world.fetchResult(idle)?.values, []);
  // The second poll (queued behind the first on the consumer's connection) waits until a produce commits.
  world.produce(1, 'orders', 0, batchOf(['a']));
  let answeredAt = -1;
  while (answeredAt < 0 && world.sim.now() < start + 10_000) {
    world.sim.step();
    if (world.response(waiting) !== undefined) answeredAt = world.sim.now();
  }
  t.deepEqual(world.fetchResult(waiting)?.values, ['a']);
  t.true(answeredAt < start + 2200, `answered at ${answeredAt - start} ms`);
});

test('a fetch with a stale leader epoch is fenced and one with a future epoch is unknown', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.electLeader('orders', 0, 1);
  world.electLeader('orders', 0, 1);
  world.sim.runFor(10);
  const stale = world.consumerFetch(1, 'orders', 0, 0, { currentLeaderEpoch: 1 });
  const current = world.consumerFetch(1, 'orders', 0, 0, { currentLeaderEpoch: 2 });
  const future = world.consumerFetch(1, 'orders', 0, 0, { currentLeaderEpoch: 3 });
  const follower = world.consumerFetch(2, 'orders', 0, 0, { currentLeaderEpoch: 2 });
  world.sim.runFor(10);
  t.is(world.fetchResult(stale)?.errorCode, ErrorCode.FENCED_LEADER_EPOCH);
  t.deepEqual(world.response<FetchResponse>(stale)?.responses[0].partitions[0].currentLeader, { leaderId: 1, leaderEpoch: 2 });
  t.is(world.fetchResult(current)?.errorCode, ErrorCode.NONE);
  t.is(world.fetchResult(future)?.errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  t.is(world.fetchResult(follower)?.errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('a consumer fetch beyond the log end is OFFSET_OUT_OF_RANGE', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(10);
  const id = world.consumerFetch(1, 'orders', 0, 5);
  world.sim.runFor(10);
  t.is(world.fetchResult(id)?.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
});

test('a consumer that names the epoch of its last record learns of a divergence instead of getting records', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b'])); // epoch 0: offsets 0-1
  world.sim.runFor(10);
  world.electLeader('orders', 0, 1); // epoch 1 starts at 2
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['c']));
  world.sim.runFor(10);
  // This consumer read up to offset 3 in epoch 0 (from a log that has since been truncated elsewhere).
  const id = world.client('consumer').send<FetchRequest>('broker-1', {
    type: 'FetchRequest', sizeBytes: 64, replicaId: -1, replicaEpoch: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: 1, fetchOffset: 3, lastFetchedEpoch: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
  });
  world.sim.runFor(10);
  const answer = world.response<FetchResponse>(id)!.responses[0].partitions[0];
  t.is(answer.errorCode, ErrorCode.NONE);
  t.deepEqual(answer.divergingEpoch, { epoch: 0, endOffset: 2 });
  t.is(answer.records.length, 0);
});

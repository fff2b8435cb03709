// Kafka's answers at the edges of a follower fetch and a follower append (issue 9, defect 6), each held against
// Kafka's Partition.readRecords, Partition.followerReplicaOrThrow, Replica.updateFetchStateOrThrow and
// Partition.appendRecordsToFollowerOrFutureReplica.

import test from 'ava';
import { LogAppendError } from '../../engine/log/log-errors.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { FetchRequest, FetchResponse } from '../../engine/protocol/fetch.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

interface ReplicaFetch {
  readonly replicaId: number;
  readonly replicaEpoch?: number;
  readonly fetchOffset: number;
  readonly lastFetchedEpoch?: number;
  readonly currentLeaderEpoch?: number;
}

/** A fetch as broker `replicaId` would send it, from the test client. */
function replicaFetch(world: ReplicationWorld, leader: number, fetch: ReplicaFetch): number {
  return world.client().send<FetchRequest>(`broker-${leader}`, {
    type: 'FetchRequest', sizeBytes: 64, replicaId: fetch.replicaId, replicaEpoch: fetch.replicaEpoch ?? -1, maxWaitMs: 0, minBytes: 1,
    maxBytes: 1 << 20,
    topics: [{ topic: 'orders', partitions: [{
      partition: 0, currentLeaderEpoch: fetch.currentLeaderEpoch ?? -1, fetchOffset: fetch.fetchOffset,
      lastFetchedEpoch: fetch.lastFetchedEpoch ?? -1, logStartOffset: 0, partitionMaxBytes: 1 << 20,
    }] }],
  });
}

function answer(world: ReplicationWorld, id: number): FetchResponse['responses'][number]['partitions'][number] {
  const partition = world.response<FetchResponse>(id)?.responses[0]?.partitions[0];
  if (partition === undefined) throw new Error(`no answer to fetch ${id}`);
  return partition;
}

test('a fetch below the leader log start is OFFSET_OUT_OF_RANGE even when the epochs diverge', (t) => {
  // One batch per segment (segment.bytes 100); retention keeps about three of the five segments.
  const world = new ReplicationWorld({ brokers: [1, 2], config: { 'log.retention.check.interval.ms': 100 } });
  world.createTopic('orders', [[1, 2]], { 'segment.bytes': '100', 'retention.bytes': '330' });
  world.sim.runFor(10);
  for (let i = 0; i < 4; i++) {
    world.produce(1, 'orders', 0, batchOf([`a${i}`.padEnd(40, '.')]));
    world.sim.runFor(200);
  }
  // Two elections of the same leader: its cache holds epoch 0, then epoch 2 (epoch 1 began where 2 does).
  world.electLeader('orders', 0, 1);
  world.electLeader('orders', 0, 1);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['b'.padEnd(40, '.')]));
  world.sim.runFor(1000);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.true(leader.logStartOffset >= 1 && leader.logStartOffset < 4, `retention moved the log start into epoch 0 (it is ${leader.logStartOffset})`);
  t.is(leader.log.leaderEpochCache.latestEpoch(), 2);
  t.is(leader.log.endOffsetForEpoch(1).epoch, 0, 'on its own, epoch 1 would be a divergence');
  world.sim.partition(['broker-1'], ['broker-2']);
  const id = replicaFetch(world, 1, { replicaId: 2, fetchOffset: 0, lastFetchedEpoch: 1, currentLeaderEpoch: 2 });
  world.sim.runFor(10);
  const got = answer(world, id);
  t.is(got.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  t.is(got.divergingEpoch, null);
});

test('a fetch naming an epoch the leader cannot place is OFFSET_OUT_OF_RANGE, not a divergence at offset -1', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(500);
  world.sim.partition(['broker-1'], ['broker-2']);
  const id = replicaFetch(world, 1, { replicaId: 2, fetchOffset: 1, lastFetchedEpoch: 7, currentLeaderEpoch: 0 });
  world.sim.runFor(10);
  t.is(answer(world, id).errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  t.is(answer(world, id).divergingEpoch, null);
});

test('a fetch from a broker outside the replica set is UNKNOWN_LEADER_EPOCH with a leader epoch, NOT_LEADER_OR_FOLLOWER without', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const withEpoch = replicaFetch(world, 1, { replicaId: 9, fetchOffset: 0, currentLeaderEpoch: 0 });
  const withoutEpoch = replicaFetch(world, 1, { replicaId: 9, fetchOffset: 0 });
  world.sim.runFor(10);
  t.is(answer(world, withEpoch).errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  t.is(answer(world, withoutEpoch).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('a follower fetch with a stale broker epoch is refused and leaves what the leader knows of the follower alone', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b']));
  world.sim.runFor(500);
  world.sim.partition(['broker-1'], ['broker-2']);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.is(leader.followerLogEndOffset(2), 2);
  const current = world.brokerEpoch(2);
  const stale = replicaFetch(world, 1, { replicaId: 2, replicaEpoch: current - 1, fetchOffset: 0, currentLeaderEpoch: 0 });
  world.sim.runFor(10);
  t.is(answer(world, stale).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  t.is(leader.followerLogEndOffset(2), 2, 'the stale incarnation did not move the follower back to offset 0');
  const fresh = replicaFetch(world, 1, { replicaId: 2, replicaEpoch: current, fetchOffset: 2, currentLeaderEpoch: 0 });
  world.sim.runFor(10);
  t.is(answer(world, fresh).errorCode, ErrorCode.NONE);
});

test('a follower refuses fetched batches that start below its log end, as Kafka\'s UnexpectedAppendOffsetException', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b', 'c']));
  world.sim.runFor(500);
  world.sim.partition(['broker-1'], ['broker-2']);
  const follower = world.broker(2).replicaManager.partition('orders', 0)!;
  t.is(follower.logEndOffset, 3);
  const error = t.throws(() => follower.appendAsFollower(batchOf(['x', 'y'], { baseOffset: 2, partitionLeaderEpoch: 0 })), { instanceOf: LogAppendError });
  t.is(error?.code, 'UNEXPECTED_APPEND_OFFSET');
  t.deepEqual(world.logValues(2, 'orders', 0), ['a', 'b', 'c'], 'nothing was cut or appended');
});

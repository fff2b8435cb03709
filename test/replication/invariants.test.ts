// The engine's invariants fire where the state they govern changes (engine/invariants.ts): each test breaks one
// on purpose and sees it stop the node's event with the invariant named, instead of a wrong state running on.

import test from 'ava';
import { InvariantViolation } from '../../engine/invariants.ts';
import { LeaderEpochCache } from '../../engine/log/leader-epoch-cache.ts';
import { applyPartitionChange } from '../../engine/metadata/delta.ts';
import type { PartitionRegistration } from '../../engine/metadata/image.ts';
import type { FetchRequest } from '../../engine/protocol/fetch.ts';
import { ProducerStateManager } from '../../engine/replication/producer-state.ts';
import { BrokenInvariant } from '../../sim/broken-invariant.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

test('an in-sync follower that fetches below the leader high watermark breaks no-truncation-below-high-watermark on the leader', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b', 'c']));
  world.sim.runFor(500);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.is(leader.highWatermark, 3);
  t.deepEqual(leader.isr, [1, 2]);
  world.sim.partition(['broker-1'], ['broker-2']);
  // Broker 2, in the ISR and in the incarnation the metadata knows, as if it had cut records the ISR committed.
  world.client().send<FetchRequest>('broker-1', {
    type: 'FetchRequest', sizeBytes: 64, replicaId: 2, replicaEpoch: world.brokerEpoch(2), maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: 0, fetchOffset: 1, lastFetchedEpoch: 0, logStartOffset: 0, partitionMaxBytes: 1 << 20 }] }],
  });
  const error = t.throws(() => world.sim.runFor(10), { instanceOf: BrokenInvariant });
  t.is(error?.violation.invariant, 'no-truncation-below-high-watermark');
  t.is(error?.node, 'broker-1');
  t.is(error?.violation.subject, 'orders-0');
  t.regex(error?.event ?? '', /FetchRequest message from client/);
});

test('a leader epoch cache refuses an entry that does not rise: epoch-cache-monotonic', (t) => {
  const cache = new LeaderEpochCache([{ epoch: 1, startOffset: 0 }], () => {}, 'orders-0');
  const error = t.throws(() => cache.assign(-5, 10), { instanceOf: InvariantViolation });
  t.is(error?.invariant, 'epoch-cache-monotonic');
  t.is(error?.subject, 'orders-0');
  t.deepEqual(cache.epochEntries(), [{ epoch: 1, startOffset: 0 }]);
});

test('a producer batch a leader appends that skips sequence numbers within an epoch breaks producer-sequence-contiguous', (t) => {
  const state = new ProducerStateManager('orders-0');
  const fields = { producerId: 7, producerEpoch: 0, baseSequence: 0, lastOffsetDelta: 4 };
  state.update(fields, 0, 4, true);
  state.update({ ...fields, baseSequence: 5 }, 5, 9, true);
  const error = t.throws(() => state.update({ ...fields, baseSequence: 12 }, 10, 14, true), { instanceOf: InvariantViolation });
  t.is(error?.invariant, 'producer-sequence-contiguous');
  t.regex(error?.message ?? '', /producer 7: batch sequence 12 does not follow 9/);
  // A new producer epoch starts over: no violation.
  t.notThrows(() => state.update({ ...fields, producerEpoch: 1, baseSequence: 0 }, 10, 14, true));
  // A follower takes its leader's log as it is, as Kafka's does: a gap is not its own bug.
  t.notThrows(() => state.update({ ...fields, producerEpoch: 1, baseSequence: 9 }, 15, 19));
});

test('a partition change that leaves the leader outside its ISR breaks isr-within-replicas', (t) => {
  const current: PartitionRegistration = {
    topic: 'orders', partition: 0, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 4, partitionEpoch: 9, leaderRecoveryState: 0,
  };
  const error = t.throws(() => applyPartitionChange(current, { type: 'PartitionChangeRecord', topicId: 'id', partitionId: 0, leader: 2, isr: [1, 3] }),
    { instanceOf: InvariantViolation });
  t.is(error?.invariant, 'isr-within-replicas');
  const next = applyPartitionChange(current, { type: 'PartitionChangeRecord', topicId: 'id', partitionId: 0, leader: 2, isr: [2, 3] });
  t.is(next.leaderEpoch, 5, 'a leader change raises the leader epoch');
});

import test from 'ava';
import { batchOf, ReplicationWorld } from './replication-world.ts';

const FAST_LAG = { 'replica.lag.time.max.ms': 1000 };

test('a follower that has not caught up for replica.lag.time.max.ms leaves the ISR through AlterPartition', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-3']);
  world.produce(1, 'orders', 0, batchOf(['a']), { acks: 1 });
  world.sim.runFor(900);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2, 3], 'not before the lag time');
  t.is(world.alterPartitions.length, 0);
  world.sim.runFor(1000);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2]);
  const request = world.alterPartitions[0];
  t.is(request.brokerId, 1);
  t.is(request.brokerEpoch, world.brokerEpoch(1));
  const data = request.topics[0].partitions[0];
  t.is(data.partitionEpoch, 0);
  t.deepEqual(data.newIsrWithEpochs, [{ brokerId: 1, brokerEpoch: world.brokerEpoch(1) }, { brokerId: 2, brokerEpoch: world.brokerEpoch(2) }]);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.deepEqual(leader.isr, [1, 2]);
  t.is(leader.partitionEpoch, 1);
  t.is(leader.highWatermark, 1);
});

test('an idle follower that keeps fetching stays in the ISR', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(10_000);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2]);
  t.is(world.alterPartitions.length, 0);
});

test('a follower rejoins the ISR once it reaches the high watermark, with its current broker epoch', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-3']);
  for (let i = 0; i < 5; i++) world.produce(1, 'orders', 0, batchOf([`v${i}`]));
  world.sim.runFor(3000);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2]);
  world.sim.heal();
  world.sim.runFor(3000);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2, 3]);
  const expand = world.alterPartitions[world.alterPartitions.length - 1].topics[0].partitions[0];
  t.deepEqual(expand.newIsrWithEpochs.map((m) => m.brokerId), [1, 2, 3]);
  t.is(expand.newIsrWithEpochs[2].brokerEpoch, world.brokerEpoch(3));
  t.deepEqual(world.logValues(3, 'orders', 0), ['v0', 'v1', 'v2', 'v3', 'v4']);
});

test('a fenced broker is not admitted to the ISR however caught up it is', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.updatePartition('orders', 0, { isr: [1] });
  world.setBroker(2, { fenced: true });
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(3000);
  t.deepEqual(world.registration('orders', 0).isr, [1]);
  t.deepEqual(world.logValues(2, 'orders', 0), ['a'], 'it still replicates');
  world.setBroker(2, { fenced: false });
  world.sim.runFor(2000);
  t.deepEqual(world.registration('orders', 0).isr, [1, 2]);
});

test('only one AlterPartition is in flight per partition, and the metadata log settles it', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.controllerSilent = true;
  world.sim.partition(['broker-1'], ['broker-2', 'broker-3']);
  world.produce(1, 'orders', 0, batchOf(['a']), { acks: 1 });
  world.sim.runFor(3000);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.is(leader.isrChangeInFlight, 'shrink');
  t.deepEqual(leader.maximalIsr, [1, 2, 3], 'a pending shrink still counts the replicas being removed');
  const sentBefore = world.alterPartitions.length;
  world.sim.runFor(3000);
  // The channel re-sends the one request after its timeout, but the leader proposes nothing new.
  t.true(world.alterPartitions.every((request) => request.topics[0].partitions[0].partitionEpoch === 0));
  t.true(world.alterPartitions.length >= sentBefore);
  // The controller decides otherwise (e.g. another path), the metadata log brings it: the pending change is dropped.
  world.updatePartition('orders', 0, { isr: [1, 2] });
  world.sim.runFor(10);
  t.is(leader.partitionEpoch, 1);
  t.deepEqual(leader.isr, [1, 2]);
});

// The controller and the broker lifecycle on the real Raft module (KafkaRaftClient over the simulated network
// and disks): three controllers elect a leader among themselves.

import test from 'ava';
import type { MetadataImage } from '../../engine/metadata/image.ts';
import type { AllocateProducerIdsResponse } from '../../engine/protocol/allocate-producer-ids.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { TestCluster, topic } from '../support/controller-cluster.ts';

function kraftCluster(seed: number): TestCluster {
  const cluster = new TestCluster({ controllers: 3, brokers: 3, raft: 'kraft', seed });
  cluster.runUntil(() => cluster.activeControllerId() >= 0, 15_000, 'an active controller');
  cluster.runUntilBrokersRunning(15_000);
  return cluster;
}

function allocate(cluster: TestCluster, brokerId: number): () => AllocateProducerIdsResponse | undefined {
  let answer: AllocateProducerIdsResponse | undefined;
  const lifecycle = cluster.broker(brokerId).lifecycle;
  lifecycle.channel.allocateProducerIds(brokerId, lifecycle.brokerEpoch, (response) => {
    answer = response;
  });
  return () => answer;
}

function plain(image: MetadataImage): unknown {
  return { offset: image.offset, brokers: [...image.brokers.values()], topics: [...image.topics.values()], nextProducerId: image.nextProducerId };
}

test('with the real Raft quorum, the controller fails over and the new active controller continues from the committed log', (t) => {
  const cluster = kraftCluster(3);
  t.is(cluster.createTopics([topic('orders', 6, 3)]).topics[0].errorCode, ErrorCode.NONE);
  const first = allocate(cluster, 1);
  cluster.runUntil(() => first() !== undefined, 2000, 'a producer id block');
  const oldActive = cluster.activeControllerId();
  const before = cluster.image();
  const epochs = [1, 2, 3].map((id) => before.brokers.get(id)!.brokerEpoch);

  cluster.sim.crash(`controller-${oldActive}`);
  cluster.runUntil(() => cluster.activeControllerId() >= 0, 15_000, 'a new active controller');
  const newActive = cluster.activeControllerId();
  t.not(newActive, oldActive);
  t.deepEqual(cluster.image().topics.get('orders'), before.topics.get('orders'), 'it starts from the committed partitions');

  cluster.sim.runFor(20_000);
  for (const id of [1, 2, 3]) {
    const broker = cluster.image().brokers.get(id)!;
    t.false(broker.fenced, `broker ${id} kept heartbeating, to the new controller`);
    t.is(broker.brokerEpoch, epochs[id - 1]);
  }
  const second = allocate(cluster, 2);
  cluster.runUntil(() => second() !== undefined, 2000, 'a second block');
  t.is(second()!.producerIdStart, first()!.producerIdStart + 1000);
  t.is(cluster.createTopics([topic('after', 3, 2)]).topics[0].errorCode, ErrorCode.NONE);
  cluster.sim.runFor(200);
  for (const id of [1, 2, 3]) {
    t.deepEqual(plain(cluster.broker(id).lifecycle.image()), plain(cluster.image()), `broker ${id} follows the same log`);
    t.is(cluster.broker(id).lifecycle.image().controllerId, newActive);
  }
});

test('with the real Raft quorum, a broker that died with the old controller is fenced by the new one', (t) => {
  const cluster = kraftCluster(4);
  cluster.createTopics([topic('orders', 3, 3)]);
  cluster.sim.runFor(100);
  const led = cluster.image().topics.get('orders')!.partitions.filter((p) => p.leader === 2).map((p) => p.partition);
  cluster.sim.crash(`controller-${cluster.activeControllerId()}`);
  cluster.sim.crash('broker-2');
  cluster.runUntil(() => cluster.activeControllerId() >= 0, 15_000, 'a new active controller');
  cluster.runUntil(() => cluster.image().brokers.get(2)!.fenced, 12_000, 'broker 2 fenced within a session of the new controller');
  const partitions = cluster.image().topics.get('orders')!.partitions;
  for (const partition of led) t.not(partitions[partition].leader, 2);
  t.true(partitions.every((p) => !p.isr.includes(2)));
});

test('with the real Raft quorum, an isolated active controller is replaced and every replica ends with the same log', (t) => {
  const cluster = kraftCluster(5);
  cluster.createTopics([topic('orders', 3, 3)]);
  cluster.sim.runFor(100);
  const isolated = cluster.activeControllerId();
  cluster.sim.isolate(`controller-${isolated}`);
  cluster.runUntil(() => cluster.controllerIds.some((id) => id !== isolated && cluster.controller(id).isActive()), 20_000, 'a new active controller');
  t.is(cluster.createTopics([topic('during', 1, 1)]).topics[0].errorCode, ErrorCode.NONE);
  cluster.sim.heal();
  cluster.runUntil(() => cluster.controller(isolated).image().topics.has('during'), 20_000, 'the old controller catching up');
  t.false(cluster.controller(isolated).isActive());
  const images = cluster.controllerIds.map((id) => plain(cluster.controller(id).image()));
  t.deepEqual(images[0], images[1]);
  t.deepEqual(images[1], images[2]);
  cluster.sim.runFor(20_000);
  t.true([1, 2, 3].every((id) => !cluster.image().brokers.get(id)!.fenced), 'no broker lost its session for good');
});

test('the same seed gives the same run, byte for byte', (t) => {
  const run = (): string => {
    const cluster = kraftCluster(9);
    cluster.createTopics([topic('orders', 4, 2)]);
    cluster.sim.crash('broker-1');
    cluster.sim.runFor(12_000);
    return cluster.sim.traceHash();
  };
  t.is(run(), run());
});

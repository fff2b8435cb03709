import test from 'ava';
import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import { BrokerLifecycle } from '../../engine/controller/broker-lifecycle.ts';
import { routeMessages } from '../../engine/controller/controller-node.ts';
import { QuorumController } from '../../engine/controller/quorum-controller.ts';
import { loopbackSender } from '../../engine/controller/sender.ts';
import type { MetadataImage } from '../../engine/metadata/image.ts';
import type { MetadataRecord } from '../../engine/metadata/records.ts';
import type { CreateTopicsResponse } from '../../engine/protocol/create-topics.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { Simulation } from '../../sim/simulation.ts';
import { CLUSTER_ID, TestCluster, brokerConfig, topic } from '../support/controller-cluster.ts';
import { FakeQuorum } from '../support/fake-raft.ts';

/** An image as plain data, without the controller id (which each node learns from Raft on its own). */
function plain(image: MetadataImage): unknown {
  return {
    offset: image.offset,
    brokers: [...image.brokers.values()],
    topics: [...image.topics.values()],
    topicNamesById: [...image.topicNamesById],
    nextProducerId: image.nextProducerId,
  };
}

test('a broker following the log sees the same image as the controller', (t) => {
  const cluster = new TestCluster({ brokers: 4, racks: ['a', 'a', 'b', 'b'] });
  cluster.runUntilBrokersRunning();
  cluster.createTopics([topic('orders', 8, 3), topic('audit', 2, 2, { 'min.insync.replicas': '2' })]);
  cluster.broker(2).lifecycle.channel.allocateProducerIds(2, cluster.broker(2).lifecycle.brokerEpoch, () => {});
  cluster.sim.crash('broker-4');
  cluster.sim.runFor(12_000);
  const controller = cluster.image();
  t.true(controller.brokers.get(4)!.fenced);
  for (const id of [1, 2, 3]) {
    const broker = cluster.broker(id).lifecycle.image();
    t.deepEqual(plain(broker), plain(controller), `broker ${id}`);
    t.is(broker.controllerId, 101);
  }
});

test('controlled shutdown moves leadership away before the broker stops', (t) => {
  const cluster = new TestCluster({ brokers: 3 });
  cluster.runUntilBrokersRunning();
  cluster.createTopics([topic('orders', 6, 3)]);
  cluster.sim.runFor(50);
  const before = cluster.image().topics.get('orders')!.partitions;
  t.true(before.some((p) => p.leader === 1));
  let allowed: { atMs: number; controller: MetadataImage; peers: MetadataImage[] } | undefined;
  const startMs = cluster.sim.now();
  cluster.broker(1).lifecycle.beginControlledShutdown(() => {
    allowed = { atMs: cluster.sim.now(), controller: cluster.image(), peers: [2, 3].map((id) => cluster.broker(id).lifecycle.image()) };
  });
  t.is(cluster.broker(1).lifecycle.state, 'PENDING_CONTROLLED_SHUTDOWN');
  cluster.runUntil(() => allowed !== undefined, 10_000, 'shutdown allowed');
  t.true(allowed!.atMs - startMs < 5000, `allowed after ${allowed!.atMs - startMs} ms`);
  for (const image of [allowed!.controller, ...allowed!.peers]) {
    for (const p of image.topics.get('orders')!.partitions) {
      t.not(p.leader, 1, `orders-${p.partition} has moved away in every image that matters`);
      t.false(p.isr.includes(1), 'and broker 1 left its ISR');
      if (before[p.partition].leader === 1) t.is(p.leaderEpoch, before[p.partition].leaderEpoch + 1);
    }
  }
  t.true(allowed!.controller.brokers.get(1)!.fenced, 'the stopping broker is fenced at once, no session timeout needed');
  t.is(cluster.broker(1).lifecycle.state, 'SHUTTING_DOWN');
  cluster.sim.crash('broker-1');
  const offsetAtStop = cluster.image().offset;
  cluster.sim.runFor(12_000);
  t.is(cluster.image().offset, offsetAtStop, 'nothing left to do when its session expires');
});

test('a restarted broker replays the whole log before it publishes, so it never acts on stale leadership', (t) => {
  const cluster = new TestCluster({ brokers: 3 });
  cluster.runUntilBrokersRunning();
  cluster.createTopics([topic('orders', 4, 3)]);
  cluster.sim.runFor(50);
  cluster.sim.crash('broker-1');
  cluster.sim.runFor(10_000);
  cluster.sim.crash('broker-2');
  cluster.sim.runFor(10_000);
  const ledBefore = cluster.image().topics.get('orders')!.partitions.filter((p) => p.leader === 1);
  t.is(ledBefore.length, 0, 'broker 1 was fenced and lost its leaderships');
  const committedAtRestart = cluster.quorum.highWatermark();
  cluster.sim.restart('broker-1');
  cluster.runUntil(() => cluster.broker(1).published.length > 0, 1000, 'a first image');
  const published = cluster.broker(1).published;
  t.true(published.length >= 1);
  t.true(published[0].image.offset >= committedAtRestart - 1, 'the first image holds the whole committed log');
  t.deepEqual(published[0].changes.leaders, [], 'not the leaderships of its first life, replayed on the way');
  t.true(published[0].changes.followers.length > 0);
});

test('a broker gets no metadata until the controller says it caught up, and is unfenced only after that', (t) => {
  const cluster = new TestCluster({ brokers: 1 });
  cluster.runUntilBrokersRunning();
  const node = cluster.broker(1);
  const first = node.published[0];
  t.true(first.image.offset >= node.lifecycle.brokerEpoch, 'the first image reaches the broker\'s registration');
  t.true(first.image.brokers.get(1)!.fenced, 'and the broker was still fenced then');
  const unfenced = node.published.find((entry) => entry.image.brokers.get(1)?.fenced === false);
  t.truthy(unfenced);
  t.true(unfenced!.image.offset > first.image.offset);
  t.deepEqual(node.states, ['RECOVERY', 'RUNNING']);
  t.true(node.lifecycle.isCaughtUp());
  t.false(node.lifecycle.isFenced());
});

test('combined mode: one node is controller and broker, and talks to itself through loopback', (t) => {
  const sim = new Simulation({ seed: 5 });
  const quorum = new FakeQuorum<MetadataRecord>();
  let lifecycle: BrokerLifecycle | undefined;
  let controller: QuorumController | undefined;
  const nodeOf = (id: number): NodeId | undefined => (id === 1 ? 'kafka-1' : undefined);
  sim.addNode('kafka-1', (runtime: Runtime): NodeHandlers => {
    const raft = quorum.client(runtime, 1, true);
    const config = brokerConfig(1, { 'process.roles': ['broker', 'controller'], 'controller.quorum.voters': ['1@kafka-1:9093'] });
    let route: (from: NodeId, message: Message) => void = () => {};
    const send = loopbackSender(runtime, (from, message) => route(from, message));
    controller = new QuorumController({ runtime, raft, config, clusterId: CLUSTER_ID, send });
    lifecycle = new BrokerLifecycle({
      runtime, brokerId: 1, clusterId: CLUSTER_ID, metadataLog: raft, controllerNodeOf: nodeOf, config, send,
      listener: { onMetadata: () => {} },
    });
    route = routeMessages([
      (from, message) => controller!.handleMessage(from, message),
      (from, message) => lifecycle!.handleMessage(from, message),
    ], (from, message) => raft.handleMessage(from, message));
    return { onMessage: (from, message) => route(from, message) };
  });
  quorum.elect(1);
  sim.runFor(500);
  t.is(lifecycle!.state, 'RUNNING');
  let answer: CreateTopicsResponse | undefined;
  lifecycle!.channel.createTopics({ topics: [topic('local', 2, 1)], timeoutMs: 5000, validateOnly: false }, (response) => {
    answer = response;
  });
  sim.runFor(100);
  t.is(answer?.topics[0].errorCode, ErrorCode.NONE);
  t.deepEqual(lifecycle!.image().topics.get('local')!.partitions.map((p) => p.leader), [1, 1]);
  t.true(controller!.isActive());
});

// "Last replica standing" (KIP-966's motivation) with whole brokers and a real KRaft controller: the ISR has
// shrunk to its leader, the leader loses power — its unflushed tail with it — and comes back. Found by the
// safe-random-broker-faults soak (seeds 61 and 84), where one broker's faults follow another's closely enough
// that, for the controller, two or three brokers are out at once.
//
// Kafka 4.0 by default (no eligible leader replicas): the leader is still the ISR's last member, so it leads
// again with its shortened log and the acknowledged records are gone. With eligible.leader.replicas.version=1
// the replica that left the too-small ISR is an eligible leader, and the restarted leader, which could not
// present the epoch of a clean shutdown, leaves the ISR and ELR: the eligible replica leads and keeps them.
// When every other replica restarted uncleanly too (seeds 61 and 84), the ELR is empty and Kafka elects the
// last known leader anyway (an unclean election): the records are lost, in Kafka as here.

import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { BrokerNode } from '../../engine/broker/broker-node.ts';
import type { ControllerNode } from '../../engine/controller/controller-node.ts';
import { partitionOf } from '../../engine/metadata/image.ts';
import type { PartitionRegistration } from '../../engine/metadata/image.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { ProduceRequest, ProduceResponse } from '../../engine/protocol/produce.ts';
import type { Partition } from '../../engine/replication/partition.ts';
import type { NodeId } from '../../engine/runtime.ts';
import { Cluster } from '../../sim/cluster.ts';
import { Simulation } from '../../sim/simulation.ts';
import { batchOf, TestClient } from './replication-world.ts';

const TOPIC = { name: 'orders', numPartitions: 1, replicationFactor: 3 };
/** Fencing within seconds, so that the acknowledged records are still only in the page cache when power fails. */
const FAST_SESSIONS = { 'broker.session.timeout.ms': 3000, 'broker.heartbeat.interval.ms': 500 };

interface World {
  readonly sim: Simulation;
  readonly cluster: Cluster;
  readonly client: TestClient;
  /** The partition's leader and followers when the run starts. */
  readonly leader: NodeId;
  readonly followers: readonly NodeId[];
}

function world(eligibleLeaderReplicas: 0 | 1): World {
  const sim = new Simulation({ seed: 7 });
  const cluster = new Cluster(sim, {
    brokers: 3, controllers: 1, brokerConfig: { 'min.insync.replicas': 2, 'eligible.leader.replicas.version': eligibleLeaderReplicas, ...FAST_SESSIONS },
  });
  let client: TestClient | undefined;
  sim.addNode('client', (runtime) => (client = new TestClient(runtime)));
  cluster.start([TOPIC]);
  const leader = cluster.brokerNodes.find((node) => replica(cluster, node)?.isLeader)!;
  return { sim, cluster, client: client!, leader, followers: cluster.brokerNodes.filter((node) => node !== leader) };
}

function replica(cluster: Cluster, node: NodeId): Partition | undefined {
  return (cluster.sim.handlers(node) as BrokerNode | undefined)?.broker.replicaManager.partition(TOPIC.name, 0);
}

function registration(w: World): PartitionRegistration {
  return partitionOf((w.sim.handlers('controller-101') as ControllerNode).controller.image(), TOPIC.name, 0)!;
}

function runUntil(w: World, done: () => boolean, timeoutMs: number, what: string): void {
  const deadline = w.sim.now() + timeoutMs;
  while (!done()) {
    if (w.sim.now() >= deadline) throw new Error(`not ${what} after ${timeoutMs} ms`);
    w.sim.runFor(5);
  }
}

/** Produces `value` with acks=all to the current leader and waits for the acknowledgement. */
function produceAcked(t: ExecutionContext, w: World, value: string): void {
  const batch = batchOf([value]);
  const id = w.client.send<ProduceRequest>(w.leader, {
    type: 'ProduceRequest', sizeBytes: 64 + batch.length, acks: -1, timeoutMs: 5000,
    topicData: [{ topic: TOPIC.name, partitions: [{ partition: 0, records: batch }] }],
  });
  runUntil(w, () => w.client.responses.has(id), 5000, `acknowledged ${value}`);
  t.is((w.client.responses.get(id) as ProduceResponse).responses[0].partitions[0].errorCode, ErrorCode.NONE, `${value} acknowledged`);
}

/** Waits until the controller has taken `gone` out of the ISR. */
function waitOutOfIsr(w: World, gone: NodeId): void {
  const id = Number(gone.slice('broker-'.length));
  runUntil(w, () => !registration(w).isr.includes(id), 10_000, `${gone} out of the ISR`);
}

/** Every live replica's values, in offset order. */
function logs(w: World): Map<NodeId, string[]> {
  const state = w.cluster.finalState([TOPIC]).partitions[0];
  return new Map(state.replicas.map((r) => [r.broker, r.records.map((record) => record.value)]));
}

/** Heals, lets the partition settle, and returns the node that leads it. */
function settle(w: World): NodeId {
  w.sim.heal();
  w.sim.runFor(15_000);
  return w.cluster.brokerNodes.find((node) => replica(w.cluster, node)?.isLeader)!;
}

/** The ISR shrinks to the leader (two followers isolated in turn), and the leader loses power and restarts. */
function lastReplicaStanding(t: ExecutionContext, w: World): void {
  const [first, second] = w.followers;
  produceAcked(t, w, 'a');
  w.sim.isolate(first);
  waitOutOfIsr(w, first);
  produceAcked(t, w, 'b');
  w.sim.isolate(second);
  waitOutOfIsr(w, second);
  t.deepEqual(registration(w).isr, [Number(w.leader.slice('broker-'.length))], 'the ISR is the leader alone');
  w.sim.powerLoss(w.leader);
  w.sim.runFor(4000);
  w.sim.restart(w.leader);
}

test('with eligible leader replicas the follower that left a too-small ISR leads after the leader lost power, and keeps the acknowledged records', (t) => {
  const w = world(1);
  lastReplicaStanding(t, w);
  const leader = settle(w);
  t.is(leader, w.followers[1], 'elected from the ELR');
  for (const [node, values] of logs(w)) t.deepEqual(values.slice(0, 2), ['a', 'b'], `${node} holds both acknowledged records`);
  t.true(replica(w.cluster, leader)!.highWatermark >= 2);
});

test('without eligible leader replicas (Kafka 4.0\'s default) the leader that lost power leads again and the acknowledged records are lost', (t) => {
  const w = world(0);
  lastReplicaStanding(t, w);
  t.is(settle(w), w.leader, 'the ISR\'s last member leads again');
  // What survives a power loss is the disk's draw (nothing, everything, or a torn tail); under this seed the
  // leader kept `a` and lost `b`, and the other replicas truncated to it.
  const leaderLog = logs(w).get(w.leader)!;
  t.false(leaderLog.includes('b'), 'the leader lost b');
  for (const [node, values] of logs(w)) t.deepEqual(values, leaderLog, `${node} follows the leader's shortened log`);
});

test('when every other replica restarted uncleanly too, even eligible leader replicas lose the records: the last known leader is elected uncleanly', (t) => {
  const w = world(1);
  const [first, second] = w.followers;
  produceAcked(t, w, 'a');
  w.sim.crash(first);
  waitOutOfIsr(w, first);
  w.sim.crash(second);
  waitOutOfIsr(w, second);
  w.sim.powerLoss(w.leader);
  // kill -9 leaves no clean-shutdown marker: both followers register as unclean restarts, the second leaves the ELR.
  w.sim.restart(first);
  w.sim.restart(second);
  w.sim.runFor(4000);
  const fenced = registration(w);
  t.deepEqual([fenced.leader, fenced.isr, fenced.elr ?? []], [-1, [], [Number(w.leader.slice('broker-'.length))]]);
  w.sim.restart(w.leader);
  const leaderId = Number(w.leader.slice('broker-'.length));
  runUntil(w, () => registration(w).leader === leaderId, 10_000, 'the last known leader elected');
  t.is(registration(w).leaderRecoveryState, 1, 'an unclean election: RECOVERING');
  t.is(settle(w), w.leader);
  for (const [node, values] of logs(w)) t.false(values.includes('a'), `${node} lost it`);
});

test('a clean shutdown leaves its broker epoch in .kafka_cleanshutdown, and the restarted broker proves with it a clean restart; a kill -9 cannot', (t) => {
  const w = world(1);
  const registrations: Array<{ broker: number; cleanShutdown: unknown }> = [];
  w.sim.trace.onEvent((event) => {
    if (event.event === 'controller.register-broker') registrations.push({ broker: event.fields!.broker as number, cleanShutdown: event.fields!.cleanShutdown });
  });
  const node = w.followers[0];
  const id = Number(node.slice('broker-'.length));
  const brokerNode = w.sim.handlers(node) as BrokerNode;
  const epoch = brokerNode.lifecycle.brokerEpoch;
  let stopped = false;
  brokerNode.shutdown(() => (stopped = true));
  runUntil(w, () => stopped, 10_000, 'shut down');
  const marker = new TextDecoder().decode(w.sim.disk(node).durableContent('/kafka-logs/.kafka_cleanshutdown'));
  t.deepEqual(JSON.parse(marker), { version: 0, brokerEpoch: epoch });
  w.sim.crash(node); // the process exits
  w.sim.restart(node);
  runUntil(w, () => registrations.length === 1, 10_000, 'registered again');
  t.deepEqual(registrations[0], { broker: id, cleanShutdown: true });
  t.false(w.sim.disk(node).exists('/kafka-logs/.kafka_cleanshutdown'), 'the marker goes once the logs are loaded');
  w.sim.runFor(2000);
  w.sim.crash(node);
  w.sim.restart(node);
  runUntil(w, () => registrations.length === 2, 15_000, 'registered after the kill');
  t.deepEqual(registrations[1], { broker: id, cleanShutdown: false });
});

import test from 'ava';
import { partitionOf } from '../../engine/metadata/image.ts';
import type { PartitionRegistration } from '../../engine/metadata/image.ts';
import type { AllocateProducerIdsResponse } from '../../engine/protocol/allocate-producer-ids.ts';
import type { AlterPartitionResponse, AlterPartitionResult } from '../../engine/protocol/alter-partition.ts';
import { ErrorCode, errorName } from '../../engine/protocol/errors.ts';
import { TestCluster, topic } from '../support/controller-cluster.ts';

const SESSION_TIMEOUT_MS = 9000;

function startedCluster(options: ConstructorParameters<typeof TestCluster>[0] = {}): TestCluster {
  const cluster = new TestCluster(options);
  cluster.runUntilBrokersRunning();
  return cluster;
}

function partitions(cluster: TestCluster, name: string): readonly PartitionRegistration[] {
  return cluster.image().topics.get(name)!.partitions;
}

/** Sends AlterPartition as `brokerId` (through its controller channel) and waits for the answer. */
function alterIsr(
  cluster: TestCluster,
  brokerId: number,
  name: string,
  partition: number,
  isr: readonly number[],
  overrides: { leaderEpoch?: number; partitionEpoch?: number; brokerEpoch?: number; memberEpochs?: Record<number, number> } = {},
): { top: number; result: AlterPartitionResult } {
  const image = cluster.image();
  const current = partitionOf(image, name, partition)!;
  let answer: AlterPartitionResponse | undefined;
  cluster.broker(brokerId).lifecycle.channel.alterPartition({
    brokerId,
    brokerEpoch: overrides.brokerEpoch ?? image.brokers.get(brokerId)!.brokerEpoch,
    topics: [{
      topicName: name,
      partitions: [{
        partitionIndex: partition,
        leaderEpoch: overrides.leaderEpoch ?? current.leaderEpoch,
        partitionEpoch: overrides.partitionEpoch ?? current.partitionEpoch,
        newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: overrides.memberEpochs?.[id] ?? image.brokers.get(id)?.brokerEpoch ?? -1 })),
      }],
    }],
  }, (response) => {
    answer = response;
  });
  cluster.runUntil(() => answer !== undefined, 2000, 'an AlterPartition answer');
  return { top: answer!.errorCode, result: answer!.topics[0]?.partitions[0] };
}

test('registration gives increasing broker epochs, and a restarted broker a newer one', (t) => {
  const cluster = startedCluster();
  const epochs = cluster.brokerIds.map((id) => cluster.image().brokers.get(id)!.brokerEpoch);
  t.is(new Set(epochs).size, 3);
  t.deepEqual(epochs, cluster.brokerIds.map((id) => cluster.broker(id).lifecycle.brokerEpoch), 'brokers know their epochs');
  cluster.sim.crash('broker-2');
  cluster.sim.runFor(SESSION_TIMEOUT_MS + 100);
  cluster.sim.restart('broker-2');
  cluster.runUntilBrokersRunning();
  const restarted = cluster.image().brokers.get(2)!;
  t.true(restarted.brokerEpoch > Math.max(...epochs));
  t.is(restarted.incarnationId, cluster.broker(2).lifecycle.incarnationId);
});

test('a broker that stops heartbeating is fenced after broker.session.timeout.ms and its partitions get new leaders from the ISR with a bumped leader epoch', (t) => {
  const cluster = startedCluster();
  t.is(cluster.createTopics([topic('orders', 6, 3)]).topics[0].errorCode, ErrorCode.NONE);
  cluster.sim.runFor(50);
  const before = partitions(cluster, 'orders');
  const led = before.filter((p) => p.leader === 1);
  t.true(led.length > 0);
  const crashAtMs = cluster.sim.now();
  cluster.sim.crash('broker-1');
  // The last heartbeat arrived at most one interval before the crash: no fence before 7 s, a fence by 9 s.
  cluster.sim.runUntil(crashAtMs + SESSION_TIMEOUT_MS - 2010);
  t.false(cluster.image().brokers.get(1)!.fenced, 'still within its session');
  cluster.sim.runUntil(crashAtMs + SESSION_TIMEOUT_MS + 10);
  t.true(cluster.image().brokers.get(1)!.fenced, 'fenced once the session expired');
  for (const old of before) {
    const now = partitions(cluster, 'orders')[old.partition];
    t.false(now.isr.includes(1), `broker 1 left the ISR of orders-${old.partition}`);
    if (old.leader === 1) {
      t.true(old.isr.includes(now.leader) && now.leader !== 1, `orders-${old.partition} is led by ${now.leader}, from its ISR`);
      t.is(now.leaderEpoch, old.leaderEpoch + 1);
    } else {
      t.is(now.leader, old.leader);
      t.is(now.leaderEpoch, old.leaderEpoch, 'a follower leaving the ISR does not bump the leader epoch');
    }
    t.is(now.partitionEpoch, old.partitionEpoch + 1);
  }
});

test('a restarted broker is refused while its old session lives, then takes over once that one is fenced', (t) => {
  const cluster = startedCluster();
  cluster.createTopics([topic('orders', 3, 3)]);
  cluster.sim.runFor(50);
  const oldEpoch = cluster.image().brokers.get(3)!.brokerEpoch;
  const crashAtMs = cluster.sim.now();
  cluster.sim.crash('broker-3');
  cluster.sim.restart('broker-3');
  cluster.sim.runFor(3000);
  t.is(cluster.broker(3).lifecycle.state, 'STARTING', 'DUPLICATE_BROKER_REGISTRATION until the old session expires');
  t.is(cluster.image().brokers.get(3)!.brokerEpoch, oldEpoch);
  t.deepEqual(cluster.broker(3).published, [], 'meanwhile it is given no metadata (which still shows its old leaderships)');
  cluster.runUntil(() => cluster.broker(3).lifecycle.state === 'RUNNING', 15_000, 'broker 3 running again');
  t.true(cluster.sim.now() >= crashAtMs + SESSION_TIMEOUT_MS - 2000);
  t.true(cluster.image().brokers.get(3)!.brokerEpoch > oldEpoch);
  for (const p of partitions(cluster, 'orders')) t.not(p.leader, 3, 'leadership moved when the old incarnation was fenced');
});

test('with unclean election off, a partition whose ISR holds no live broker goes offline and comes back with its last ISR member', (t) => {
  const cluster = startedCluster();
  cluster.createTopics([{ name: 'events', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }], configs: [] }]);
  cluster.sim.runFor(50);
  t.is(alterIsr(cluster, 1, 'events', 0, [1]).result.errorCode, ErrorCode.NONE, 'the leader shrinks the ISR to itself');
  cluster.sim.crash('broker-1');
  cluster.sim.runFor(SESSION_TIMEOUT_MS + 100);
  let p = partitionOf(cluster.image(), 'events', 0)!;
  t.is(p.leader, -1, 'offline: broker 2 is alive but out of sync');
  t.deepEqual(p.isr, [1], 'the ISR keeps its last member');
  t.is(p.leaderEpoch, 1);
  t.false(cluster.image().brokers.get(2)!.fenced);
  cluster.sim.restart('broker-1');
  cluster.runUntilBrokersRunning(15_000);
  p = partitionOf(cluster.image(), 'events', 0)!;
  t.deepEqual([p.leader, p.isr, p.leaderEpoch], [1, [1], 2], 'the last ISR member leads again once unfenced');
});

test('with unclean election on, an out-of-sync live replica becomes leader and the ISR becomes just it', (t) => {
  for (const [how, options, configs] of [
    ['a topic override', {}, [{ name: 'unclean.leader.election.enable', value: 'true' }]],
    ['the cluster default', { config: { 'unclean.leader.election.enable': true } }, []],
  ] as const) {
    const cluster = startedCluster(options);
    cluster.createTopics([{ name: 'events', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }], configs }]);
    cluster.sim.runFor(50);
    alterIsr(cluster, 1, 'events', 0, [1]);
    cluster.sim.crash('broker-1');
    cluster.sim.runFor(SESSION_TIMEOUT_MS + 100);
    const p = partitionOf(cluster.image(), 'events', 0)!;
    t.deepEqual([p.leader, p.isr, p.leaderEpoch, p.leaderRecoveryState], [2, [2], 1, 1], how);
  }
});

test('AlterPartition is an optimistic lock: a stale partition epoch gets INVALID_UPDATE_VERSION, a stale leader epoch FENCED_LEADER_EPOCH', (t) => {
  const cluster = startedCluster();
  cluster.createTopics([{ name: 'events', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }], configs: [] }]);
  cluster.sim.runFor(50);
  const shrink = alterIsr(cluster, 1, 'events', 0, [1, 2]);
  t.deepEqual([shrink.result.errorCode, shrink.result.isr, shrink.result.leaderEpoch, shrink.result.partitionEpoch], [ErrorCode.NONE, [1, 2], 0, 1]);
  const stale = alterIsr(cluster, 1, 'events', 0, [1, 2, 3], { partitionEpoch: 0 });
  t.is(errorName(stale.result.errorCode), 'INVALID_UPDATE_VERSION');
  const oldLeader = alterIsr(cluster, 1, 'events', 0, [1, 2, 3], { leaderEpoch: -1 });
  t.is(errorName(oldLeader.result.errorCode), 'FENCED_LEADER_EPOCH');
  const notLeader = alterIsr(cluster, 2, 'events', 0, [1, 2, 3]);
  t.is(errorName(notLeader.result.errorCode), 'INVALID_REQUEST');
  const grow = alterIsr(cluster, 1, 'events', 0, [1, 2, 3]);
  t.deepEqual([grow.result.errorCode, grow.result.isr, grow.result.partitionEpoch], [ErrorCode.NONE, [1, 2, 3], 2]);
  cluster.sim.runFor(20);
  t.deepEqual(partitionOf(cluster.image(), 'events', 0)!.isr, [1, 2, 3]);
});

test('AlterPartition refuses a fenced or stale-epoch replica with INELIGIBLE_REPLICA, and a stale sender with STALE_BROKER_EPOCH', (t) => {
  const cluster = startedCluster();
  cluster.createTopics([{ name: 'events', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }], configs: [] }]);
  cluster.sim.runFor(50);
  cluster.sim.crash('broker-3');
  cluster.sim.runFor(SESSION_TIMEOUT_MS + 100);
  t.true(cluster.image().brokers.get(3)!.fenced);
  t.deepEqual(partitionOf(cluster.image(), 'events', 0)!.isr, [1, 2]);
  const fenced = alterIsr(cluster, 1, 'events', 0, [1, 2, 3]);
  t.is(errorName(fenced.result.errorCode), 'INELIGIBLE_REPLICA');
  const staleMember = alterIsr(cluster, 1, 'events', 0, [1, 2], { memberEpochs: { 2: 0 } });
  t.is(errorName(staleMember.result.errorCode), 'INELIGIBLE_REPLICA', 'broker 2 at an old epoch');
  const staleSender = alterIsr(cluster, 1, 'events', 0, [1], { brokerEpoch: 0 });
  t.is(errorName(staleSender.top), 'STALE_BROKER_EPOCH');
  t.deepEqual(partitionOf(cluster.image(), 'events', 0)!.isr, [1, 2], 'nothing changed');
});

test('producer ids come in blocks of 1000 that never overlap', (t) => {
  const cluster = startedCluster();
  const blocks: Array<[number, number]> = [];
  for (const id of [1, 2, 1, 3]) {
    const lifecycle = cluster.broker(id).lifecycle;
    lifecycle.channel.allocateProducerIds(id, lifecycle.brokerEpoch, (response: AllocateProducerIdsResponse) => {
      t.is(response.errorCode, ErrorCode.NONE);
      blocks.push([response.producerIdStart, response.producerIdLen]);
    });
  }
  cluster.runUntil(() => blocks.length === 4, 2000, 'four blocks');
  t.deepEqual(blocks.map(([start]) => start).sort((a, b) => a - b), [0, 1000, 2000, 3000]);
  t.true(blocks.every(([, length]) => length === 1000));
  t.is(cluster.image().nextProducerId, 4000);
});

test('CreateTopics checks names, duplicates, replication factors and configs', (t) => {
  const cluster = startedCluster();
  const answer = cluster.createTopics([
    topic('good', -1, -1),
    topic('bad name!', 1, 1),
    topic('too-wide', 1, 4),
    topic('bad-config', 1, 1, { 'retention.msx': '10' }),
    topic('no-partitions', 0, 1),
    topic('twice', 1, 1),
    topic('twice', 1, 1),
  ]);
  t.deepEqual(answer.topics.map((r) => [r.name, errorName(r.errorCode)]), [
    ['good', 'NONE'],
    ['bad name!', 'INVALID_TOPIC_EXCEPTION'],
    ['too-wide', 'INVALID_REPLICATION_FACTOR'],
    ['bad-config', 'INVALID_CONFIG'],
    ['no-partitions', 'INVALID_PARTITIONS'],
    ['twice', 'INVALID_REQUEST'],
    ['twice', 'INVALID_REQUEST'],
  ]);
  t.regex(answer.topics[3].errorMessage!, /retention\.msx/);
  t.deepEqual([answer.topics[0].numPartitions, answer.topics[0].replicationFactor], [1, 1], 'num.partitions and default.replication.factor');
  t.is(errorName(cluster.createTopics([topic('good', 1, 1)]).topics[0].errorCode), 'TOPIC_ALREADY_EXISTS');
  const dryRun = cluster.createTopics([topic('dry', 3, 2)], true);
  t.is(dryRun.topics[0].errorCode, ErrorCode.NONE);
  cluster.sim.runFor(20);
  t.deepEqual([...cluster.image().topics.keys()], ['good'], 'validateOnly writes nothing');
});

test('a topic config override is stored as the config module normalises it', (t) => {
  const cluster = startedCluster();
  cluster.createTopics([topic('tuned', 1, 1, { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'TRUE' })]);
  cluster.sim.runFor(20);
  t.deepEqual(cluster.image().topics.get('tuned')!.configs, { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'true' });
});

test('an answer is sent only once its records are committed', (t) => {
  const cluster = startedCluster();
  cluster.quorum.holdCommits();
  const id = cluster.admin.send('controller-101', (correlationId) => ({
    type: 'CreateTopicsRequest', sizeBytes: 100, correlationId, clientId: 'admin',
    topics: [topic('held', 1, 1)], timeoutMs: 30_000, validateOnly: false,
  }));
  cluster.sim.runFor(500);
  t.false(cluster.admin.responses.has(id));
  t.true(cluster.controller().latestImage().topics.has('held'), 'the active controller sees its own write');
  t.false(cluster.controller().image().topics.has('held'), 'but it is not committed');
  cluster.quorum.releaseCommits();
  cluster.sim.runFor(20);
  t.is(cluster.admin.responses.get(id)?.type, 'CreateTopicsResponse');
  t.true(cluster.image().topics.has('held'));
});

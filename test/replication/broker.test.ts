import test from 'ava';
import { DEFAULT_CPU_PROFILE } from '../../engine/broker/cpu-model.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../engine/protocol/init-producer-id.ts';
import type { MetadataRequest, MetadataResponse } from '../../engine/protocol/metadata.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../engine/protocol/create-topics.ts';
import { batchOf, brokerNode, ReplicationWorld } from './replication-world.ts';

function metadata(world: ReplicationWorld, broker: number, topics: string[] | null, allowAutoTopicCreation = false): MetadataResponse {
  const id = world.client().send<MetadataRequest>(brokerNode(broker), { type: 'MetadataRequest', sizeBytes: 32, topics, allowAutoTopicCreation });
  world.sim.runFor(10);
  return world.response<MetadataResponse>(id) as MetadataResponse;
}

test('Metadata lists unfenced brokers and each partition with leader, epoch, replicas, ISR and offline replicas', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2, 3], [2, 3, 1]]);
  world.sim.runFor(10);
  world.setBroker(3, { fenced: true });
  world.sim.runFor(10);
  const response = metadata(world, 1, null);
  t.deepEqual(response.brokers.map((b) => [b.nodeId, b.host, b.port]), [[1, 'broker-1', 9092], [2, 'broker-2', 9092]]);
  t.is(response.clusterId, 'test-cluster');
  t.is(response.controllerId, 1, 'a live broker, which forwards admin requests');
  t.deepEqual(response.topics.map((topic) => topic.name), ['orders']);
  t.deepEqual(response.topics[0].partitions[1], {
    errorCode: ErrorCode.NONE, partitionIndex: 1, leaderId: 2, leaderEpoch: 0, replicaNodes: [2, 3, 1], isrNodes: [2, 3, 1], offlineReplicas: [3],
  });
});

test('Metadata for a missing topic asks the controller to create it when allowed', (t) => {
  const world = new ReplicationWorld();
  world.sim.runFor(10);
  const refused = metadata(world, 1, ['fresh'], false);
  t.is(refused.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  t.is(world.createTopics.length, 0);
  const created = metadata(world, 1, ['fresh'], true);
  t.is(created.topics[0].errorCode, ErrorCode.LEADER_NOT_AVAILABLE);
  t.deepEqual(world.createTopics.map((request) => request.topics.map((topic) => [topic.name, topic.numPartitions, topic.replicationFactor])), [[['fresh', -1, -1]]]);
  const invalid = metadata(world, 1, ['bad name!'], true);
  t.is(invalid.topics[0].errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
});

test('CreateTopics is forwarded to the active controller and its answer comes back under the client correlation id', (t) => {
  const world = new ReplicationWorld();
  world.sim.runFor(10);
  const id = world.client().send<CreateTopicsRequest>(brokerNode(2), {
    type: 'CreateTopicsRequest', sizeBytes: 64, timeoutMs: 5000, validateOnly: false,
    topics: [{ name: 'events', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [] }],
  });
  world.sim.runFor(50);
  const response = world.response<CreateTopicsResponse>(id);
  t.is(response?.correlationId, id);
  t.is(response?.topics[0].errorCode, ErrorCode.NONE);
  t.is(world.createTopics[0].topics[0].name, 'events');
});

test('InitProducerId hands out ids from a block the controller allocated, epoch 0', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.sim.runFor(10);
  const ask = (transactionalId: string | null) => world.client().send<InitProducerIdRequest>(brokerNode(1), {
    type: 'InitProducerIdRequest', sizeBytes: 32, transactionalId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1,
  });
  const first = ask(null);
  const second = ask(null);
  const transactional = ask('tx-1');
  world.sim.runFor(10);
  const answer = (id: number) => {
    const response = world.response<InitProducerIdResponse>(id) as InitProducerIdResponse;
    return [response.errorCode, response.producerId, response.producerEpoch];
  };
  t.deepEqual(answer(first), [ErrorCode.NONE, 4000, 0]);
  t.deepEqual(answer(second), [ErrorCode.NONE, 4001, 0]);
  t.is(answer(transactional)[0], ErrorCode.INVALID_REQUEST);
});

test('requests on one connection are handled one at a time, in order', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2']);
  const produce = world.produce(1, 'orders', 0, batchOf(['a']), { timeoutMs: 1000 });
  const meta = world.client().send<MetadataRequest>(brokerNode(1), { type: 'MetadataRequest', sizeBytes: 32, topics: null, allowAutoTopicCreation: false });
  world.sim.runFor(900);
  t.is(world.response(meta), undefined, 'the metadata request waits for the produce before it');
  world.sim.runFor(200);
  t.is(world.produceResult(produce)?.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  t.truthy(world.response(meta));
});

test('the CPU model delays answers by a cost per request and per byte', (t) => {
  const world = new ReplicationWorld({ brokers: [1], cpu: { ...DEFAULT_CPU_PROFILE, perRequestMs: 5, threads: 1 } });
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  const start = world.sim.now();
  const ids = [0, 1, 2].map((i) => world.produce(1, 'orders', 0, batchOf([`v${i}`]), { acks: 1 }));
  const answeredAt: number[] = [];
  while (answeredAt.length < ids.length && world.sim.now() < start + 100) {
    world.sim.step();
    for (const id of ids.slice(answeredAt.length)) if (world.response(id) !== undefined) answeredAt.push(world.sim.now() - start);
  }
  t.is(answeredAt.length, 3);
  t.true(answeredAt[0] >= 5 && answeredAt[1] >= 10 && answeredAt[2] >= 15, `answered at ${answeredAt.join(', ')} ms`);
  t.true(world.broker(1).cpu.busyMs >= 15);
});

test('the high watermark checkpoint is written periodically and a clean shutdown leaves the marker', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b']));
  world.sim.runFor(6000);
  const disk = world.sim.disk('broker-1');
  const text = new TextDecoder().decode(disk.read('/kafka-logs/replication-offset-checkpoint', 0, 1000));
  t.is(text, '0\n1\norders 0 2\n');
  let finished = false;
  world.broker(1).shutdown((error) => {
    t.is(error, undefined);
    finished = true;
  });
  world.sim.runFor(1000);
  t.true(finished);
  t.true(disk.exists('/kafka-logs/.kafka_cleanshutdown'));
  world.sim.crash('broker-1');
  world.sim.restart('broker-1');
  world.sim.runFor(10);
  t.false(disk.exists('/kafka-logs/.kafka_cleanshutdown'), 'removed once the logs are loaded');
  t.is(world.broker(1).replicaManager.partition('orders', 0)!.highWatermark, 2, 'the checkpointed high watermark');
});

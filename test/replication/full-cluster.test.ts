// Whole brokers (BrokerNode: Raft observer, BrokerLifecycle, Broker) with a real KRaft controller: the
// simulated cluster (sim/cluster.ts), driven by hand through a client that sends raw requests.

import test from 'ava';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../engine/protocol/create-topics.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { FetchRequest, FetchResponse } from '../../engine/protocol/fetch.ts';
import type { MetadataRequest, MetadataResponse } from '../../engine/protocol/metadata.ts';
import type { ProduceRequest, ProduceResponse } from '../../engine/protocol/produce.ts';
import { readBatches } from '../../engine/records/read-batches.ts';
import { Cluster } from '../../sim/cluster.ts';
import { Simulation } from '../../sim/simulation.ts';
import { batchOf, TestClient } from './replication-world.ts';

/** Three brokers and one controller, nothing created yet, and a raw client named `client`. */
function wholeCluster(seed = 1): { sim: Simulation; cluster: Cluster } {
  const sim = new Simulation({ seed });
  const cluster = new Cluster(sim, { brokers: 3, controllers: 1, brokerConfig: { 'replica.lag.time.max.ms': 2000 } });
  sim.addNode('client', (runtime) => new TestClient(runtime));
  return { sim, cluster };
}

function client(sim: Simulation): TestClient {
  return sim.handlers('client') as TestClient;
}

function leaderOf(sim: Simulation, via: string): { leader: number; isr: readonly number[] } {
  const id = client(sim).send<MetadataRequest>(via, { type: 'MetadataRequest', sizeBytes: 32, topics: ['orders'], allowAutoTopicCreation: false });
  sim.runFor(50);
  const partition = (client(sim).responses.get(id) as MetadataResponse).topics[0].partitions[0];
  return { leader: partition?.leaderId ?? -1, isr: partition?.isrNodes ?? [] };
}

function produce(sim: Simulation, leader: number, value: string): number {
  const batch = batchOf([value]);
  return client(sim).send<ProduceRequest>(`broker-${leader}`, {
    type: 'ProduceRequest', sizeBytes: 64 + batch.length, acks: -1, timeoutMs: 10_000, topicData: [{ topic: 'orders', partitions: [{ partition: 0, records: batch }] }],
  });
}

test('a topic created through a broker is replicated by whole brokers, and survives losing its leader', (t) => {
  const { sim, cluster } = wholeCluster();
  sim.runFor(5000);
  for (const id of [1, 2, 3]) t.is(cluster.broker(`broker-${id}`)!.lifecycle.state, 'RUNNING');
  const create = client(sim).send<CreateTopicsRequest>('broker-2', {
    type: 'CreateTopicsRequest', sizeBytes: 64, timeoutMs: 5000, validateOnly: false,
    topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
  });
  sim.runFor(1000);
  t.is((client(sim).responses.get(create) as CreateTopicsResponse).topics[0].errorCode, ErrorCode.NONE);
  const first = leaderOf(sim, 'broker-1');
  t.true(first.leader >= 1);
  t.is(first.isr.length, 3);
  const acked = produce(sim, first.leader, 'a');
  sim.runFor(1000);
  t.is((client(sim).responses.get(acked) as ProduceResponse).responses[0].partitions[0].errorCode, ErrorCode.NONE);

  // The leader dies; the controller fences it after broker.session.timeout.ms and elects another ISR member.
  sim.crash(`broker-${first.leader}`);
  sim.runFor(15_000);
  const survivor = [1, 2, 3].find((id) => id !== first.leader) as number;
  const second = leaderOf(sim, `broker-${survivor}`);
  t.not(second.leader, first.leader);
  t.true(second.leader >= 1);
  const after = produce(sim, second.leader, 'b');
  sim.runFor(1000);
  t.is((client(sim).responses.get(after) as ProduceResponse).responses[0].partitions[0].errorCode, ErrorCode.NONE);

  // The old leader comes back, catches up and rejoins the ISR through AlterPartition.
  sim.restart(`broker-${first.leader}`);
  sim.runFor(15_000);
  t.is(leaderOf(sim, `broker-${survivor}`).isr.length, 3);
  const fetch = client(sim).send<FetchRequest>(`broker-${second.leader}`, {
    type: 'FetchRequest', sizeBytes: 64, replicaId: -1, replicaEpoch: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
  });
  sim.runFor(50);
  const records = (client(sim).responses.get(fetch) as FetchResponse).responses[0].partitions[0].records;
  const values = [...readBatches(records)].flatMap((batch) => batch.records.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array())));
  t.deepEqual(values, ['a', 'b']);
  const restarted = cluster.broker(`broker-${first.leader}`)!.broker.replicaManager.partition('orders', 0)!;
  t.is(restarted.logEndOffset, 2);
});

test('a broker node shuts down cleanly: leadership moves away first, then the clean-shutdown marker', (t) => {
  const { sim, cluster } = wholeCluster(2);
  sim.runFor(5000);
  client(sim).send<CreateTopicsRequest>('broker-1', {
    type: 'CreateTopicsRequest', sizeBytes: 64, timeoutMs: 5000, validateOnly: false,
    topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
  });
  sim.runFor(2000);
  const { leader } = leaderOf(sim, 'broker-1');
  const node = cluster.broker(`broker-${leader}`)!;
  let done = false;
  node.shutdown((error) => {
    t.is(error, undefined);
    done = true;
  });
  sim.runFor(5000);
  t.true(done);
  t.true(sim.disk(`broker-${leader}`).exists('/kafka-logs/.kafka_cleanshutdown'));
  const other = [1, 2, 3].find((id) => id !== leader) as number;
  const moved = leaderOf(sim, `broker-${other}`);
  t.not(moved.leader, leader);
});

import test from 'ava';
import type { AllocateProducerIdsResponse } from '../../engine/protocol/allocate-producer-ids.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { TestCluster, topic } from '../support/controller-cluster.ts';

function threeControllers(): TestCluster {
  const cluster = new TestCluster({ controllers: 3, brokers: 3 });
  cluster.runUntilBrokersRunning();
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

test('standby controllers fold the committed log and serve nothing', (t) => {
  const cluster = threeControllers();
  cluster.createTopics([topic('orders', 3, 3)]);
  cluster.sim.runFor(20);
  t.true(cluster.controller(101).isActive());
  for (const id of [102, 103]) {
    t.is(cluster.controller(id).status, 'standby');
    t.deepEqual(cluster.controller(id).image().topics, cluster.controller(101).image().topics);
  }
  const id = cluster.admin.send('controller-102', (correlationId) => ({
    type: 'CreateTopicsRequest', sizeBytes: 100, correlationId, clientId: 'admin', topics: [topic('x', 1, 1)], timeoutMs: 1000, validateOnly: false,
  }));
  cluster.sim.runFor(20);
  const answer = cluster.admin.responses.get(id) as unknown as { topics: Array<{ errorCode: number }> };
  t.is(answer.topics[0].errorCode, ErrorCode.NOT_CONTROLLER);
});

test('the controller fails over and the new active controller continues from the committed log', (t) => {
  const cluster = threeControllers();
  cluster.createTopics([topic('orders', 6, 3)]);
  const first = allocate(cluster, 1);
  cluster.runUntil(() => first() !== undefined, 1000, 'a producer id block');
  cluster.sim.runFor(20);
  const epochs = [1, 2, 3].map((id) => cluster.image().brokers.get(id)!.brokerEpoch);
  const ordersBefore = cluster.image().topics.get('orders');

  cluster.sim.crash('controller-101');
  cluster.quorum.elect(102);
  cluster.sim.runFor(20);
  t.true(cluster.controller(102).isActive());
  t.deepEqual(cluster.image().topics.get('orders'), ordersBefore, 'the new controller has the committed partitions');

  // Brokers follow the quorum leader: they heartbeat the new controller, which gave them fresh sessions.
  cluster.sim.runFor(20_000);
  for (const id of [1, 2, 3]) {
    const broker = cluster.image().brokers.get(id)!;
    t.false(broker.fenced, `broker ${id} kept its session across the failover`);
    t.is(broker.brokerEpoch, epochs[id - 1]);
    t.is(cluster.broker(id).lifecycle.image().controllerId, 102);
  }
  const second = allocate(cluster, 2);
  cluster.runUntil(() => second() !== undefined, 1000, 'a second producer id block');
  t.is(second()!.producerIdStart, first()!.producerIdStart + 1000, 'no producer id is handed out twice');
  t.is(cluster.createTopics([topic('after', 2, 2)]).topics[0].errorCode, ErrorCode.NONE);
  t.is(cluster.createTopics([topic('orders', 1, 1)]).topics[0].errorCode, ErrorCode.TOPIC_ALREADY_EXISTS);
});

test('a request whose records were not committed when leadership moved is failed and retried at the new controller', (t) => {
  const cluster = threeControllers();
  cluster.quorum.holdCommits();
  const answer = allocate(cluster, 3);
  cluster.sim.runFor(50);
  t.is(answer(), undefined, 'waiting for the commit');
  t.is(cluster.controller(101).latestImage().nextProducerId, 1000);
  cluster.quorum.elect(103); // the held append is lost with the old leader's epoch
  cluster.quorum.releaseCommits();
  cluster.runUntil(() => answer() !== undefined, 2000, 'the retried request');
  t.is(answer()!.errorCode, ErrorCode.NONE);
  t.is(answer()!.producerIdStart, 0, 'the lost block was never committed, so it is handed out now');
  t.true(cluster.controller(103).isActive());
  t.is(cluster.controller(101).status, 'standby');
  t.is(cluster.controller(101).latestImage().nextProducerId, 1000, 'the old controller dropped its uncommitted state');
  cluster.sim.runFor(20);
  t.is(cluster.controller(101).image().nextProducerId, 1000, 'and follows the new leader\'s log');
});

test('a controller that loses leadership without crashing drops what it had not committed', (t) => {
  const cluster = threeControllers();
  cluster.quorum.holdCommits();
  const id = cluster.admin.send('controller-101', (correlationId) => ({
    type: 'CreateTopicsRequest', sizeBytes: 100, correlationId, clientId: 'admin', topics: [topic('lost', 1, 1)], timeoutMs: 1000, validateOnly: false,
  }));
  cluster.sim.runFor(20);
  t.true(cluster.controller(101).latestImage().topics.has('lost'));
  cluster.quorum.elect(102);
  cluster.quorum.releaseCommits();
  cluster.sim.runFor(20);
  const answer = cluster.admin.responses.get(id) as unknown as { topics: Array<{ errorCode: number }> };
  t.is(answer.topics[0].errorCode, ErrorCode.NOT_CONTROLLER);
  t.false(cluster.controller(101).latestImage().topics.has('lost'));
  t.false(cluster.controller(102).image().topics.has('lost'));
});

import test from 'ava';
import { applyRecords, MetadataDelta, MetadataReplayError } from '../../engine/metadata/delta.ts';
import { EMPTY_IMAGE, partitionOf } from '../../engine/metadata/image.ts';
import type { MetadataImage } from '../../engine/metadata/image.ts';
import { localChanges } from '../../engine/metadata/local-changes.ts';
import type { MetadataRecord, PartitionRecord, RegisterBrokerRecord } from '../../engine/metadata/records.ts';

const register = (brokerId: number, incarnationId = `inc-${brokerId}`): RegisterBrokerRecord => ({
  type: 'RegisterBrokerRecord',
  brokerId,
  incarnationId,
  endPoints: [{ name: 'PLAINTEXT', host: `broker-${brokerId}`, port: 9092, securityProtocol: 0 }],
  rack: null,
  fenced: true,
  inControlledShutdown: false,
});

const partition = (partitionId: number, replicas: number[], leader = replicas[0]): PartitionRecord => ({
  type: 'PartitionRecord',
  partitionId,
  topicId: 'T1',
  replicas,
  isr: replicas,
  leader,
  leaderEpoch: 0,
  partitionEpoch: 0,
  leaderRecoveryState: 0,
});

/** Three brokers (epochs 0, 1, 2), unfenced, and topic `orders` with two partitions. */
function cluster(): MetadataImage {
  return applyRecords(EMPTY_IMAGE, [
    register(1), register(2), register(3),
    { type: 'UnfenceBrokerRecord', id: 1, epoch: 0 },
    { type: 'UnfenceBrokerRecord', id: 2, epoch: 1 },
    { type: 'UnfenceBrokerRecord', id: 3, epoch: 2 },
    { type: 'TopicRecord', name: 'orders', topicId: 'T1' },
    partition(0, [1, 2, 3]),
    partition(1, [2, 3, 1]),
  ], 0);
}

test('a broker epoch is the offset of its RegisterBrokerRecord, and a new registration replaces the old one fenced', (t) => {
  let image = cluster();
  t.deepEqual([...image.brokers.values()].map((b) => [b.brokerId, b.brokerEpoch, b.fenced]), [[1, 0, false], [2, 1, false], [3, 2, false]]);
  image = applyRecords(image, [register(2, 'restarted')], 40);
  const broker = image.brokers.get(2)!;
  t.is(broker.brokerEpoch, 40);
  t.is(broker.incarnationId, 'restarted');
  t.true(broker.fenced);
  t.is(image.offset, 40);
});

test('replaying a partition change bumps the partition epoch always and the leader epoch only with a leader', (t) => {
  let image = cluster();
  image = applyRecords(image, [{ type: 'PartitionChangeRecord', topicId: 'T1', partitionId: 0, isr: [1, 2] }], 9);
  let p = partitionOf(image, 'orders', 0)!;
  t.deepEqual([p.leader, p.leaderEpoch, p.partitionEpoch, p.isr], [1, 0, 1, [1, 2]]);
  image = applyRecords(image, [{ type: 'PartitionChangeRecord', topicId: 'T1', partitionId: 0, leader: 2, isr: [2] }], 10);
  p = partitionOf(image, 'orders', 0)!;
  t.deepEqual([p.leader, p.leaderEpoch, p.partitionEpoch, p.isr], [2, 1, 2, [2]]);
});

test('an image shares every object a batch did not touch', (t) => {
  const before = cluster();
  const after = applyRecords(before, [{ type: 'PartitionChangeRecord', topicId: 'T1', partitionId: 1, isr: [2, 3] }], 9);
  t.is(after.brokers, before.brokers);
  t.not(after.topics.get('orders'), before.topics.get('orders'));
  t.is(partitionOf(after, 'orders', 0), partitionOf(before, 'orders', 0));
  t.not(partitionOf(after, 'orders', 1), partitionOf(before, 'orders', 1));
  t.deepEqual(partitionOf(before, 'orders', 1)!.isr, [2, 3, 1], 'the old image is unchanged');
});

test('records that contradict the image are refused with the record and the reason', (t) => {
  const image = cluster();
  const stale: MetadataRecord = { type: 'FenceBrokerRecord', id: 2, epoch: 7 };
  const error = t.throws(() => applyRecords(image, [stale], 9), { instanceOf: MetadataReplayError });
  t.regex(error!.message, /broker 2 is at epoch 1, not 7/);
  t.throws(() => applyRecords(image, [{ type: 'PartitionChangeRecord', topicId: 'nope', partitionId: 0, isr: [1] }], 9), { instanceOf: MetadataReplayError });
  t.throws(() => applyRecords(image, [{ type: 'TopicRecord', name: 'orders', topicId: 'T2' }], 9), { instanceOf: MetadataReplayError });
  const delta = new MetadataDelta(image);
  t.throws(() => delta.replay({ type: 'NoOpRecord' }, 3), { message: /offsets must increase/ });
});

test('fencing a broker ends its controlled shutdown; configs and producer ids are folded', (t) => {
  let image = applyRecords(cluster(), [
    { type: 'BrokerRegistrationChangeRecord', brokerId: 3, brokerEpoch: 2, inControlledShutdown: true },
    { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'min.insync.replicas', value: '2' },
    { type: 'ProducerIdsRecord', brokerId: 1, brokerEpoch: 0, nextProducerId: 1000 },
  ], 9);
  t.true(image.brokers.get(3)!.inControlledShutdown);
  t.deepEqual(image.topics.get('orders')!.configs, { 'min.insync.replicas': '2' });
  t.is(image.nextProducerId, 1000);
  image = applyRecords(image, [
    { type: 'FenceBrokerRecord', id: 3, epoch: 2 },
    { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'min.insync.replicas', value: null },
  ], 12);
  t.deepEqual([image.brokers.get(3)!.fenced, image.brokers.get(3)!.inControlledShutdown], [true, false]);
  t.deepEqual(image.topics.get('orders')!.configs, {});
});

test('local changes list what a broker now leads, follows and no longer hosts', (t) => {
  const before = cluster();
  const after = applyRecords(before, [
    { type: 'PartitionChangeRecord', topicId: 'T1', partitionId: 0, leader: 2, isr: [2, 3] },
    { type: 'PartitionChangeRecord', topicId: 'T1', partitionId: 1, replicas: [2, 3], isr: [2, 3] },
  ], 9);
  const forOne = localChanges(before, after, 1);
  t.deepEqual(forOne.leaders, []);
  t.deepEqual(forOne.followers.map((p) => [p.partition, p.leader, p.leaderEpoch]), [[0, 2, 1]]);
  t.deepEqual(forOne.deletes, [{ topic: 'orders', partition: 1 }]);
  const forTwo = localChanges(before, after, 2);
  t.deepEqual(forTwo.leaders.map((p) => [p.partition, p.leaderEpoch, p.partitionEpoch, p.isr]), [[0, 1, 1, [2, 3]], [1, 0, 1, [2, 3]]]);
  t.deepEqual(localChanges(after, after, 2), { leaders: [], followers: [], deletes: [] });
});

test('from the empty image a broker gets every partition it hosts', (t) => {
  const image = cluster();
  const changes = localChanges(EMPTY_IMAGE, image, 3);
  t.deepEqual(changes.leaders, []);
  t.deepEqual(changes.followers.map((p) => [p.topic, p.partition, p.leader]), [['orders', 0, 1], ['orders', 1, 2]]);
});

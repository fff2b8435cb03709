// The controller's record builders as pure functions of an image: elections, fencing, controlled shutdown,
// AlterPartition checks.

import test from 'ava';
import { controlledShutdownRecords, fenceBrokerRecords, unfenceBrokerRecords } from '../../engine/controller/cluster-control.ts';
import { buildPartitionChange } from '../../engine/controller/partition-change.ts';
import { alterPartitions } from '../../engine/controller/replication-control.ts';
import { applyRecords } from '../../engine/metadata/delta.ts';
import { EMPTY_IMAGE, partitionOf } from '../../engine/metadata/image.ts';
import type { MetadataImage, PartitionRegistration } from '../../engine/metadata/image.ts';
import type { MetadataRecord } from '../../engine/metadata/records.ts';
import type { AlterPartitionRequest } from '../../engine/protocol/alter-partition.ts';
import { errorName } from '../../engine/protocol/errors.ts';
import { brokerConfig } from '../support/controller-cluster.ts';

const config = brokerConfig(100);
const uncleanConfig = brokerConfig(100, { 'unclean.leader.election.enable': true });

/** Brokers 1..3 (epochs 0..2), unfenced; `orders` with partition 0 on [1, 2, 3] led by 1, ISR as given. */
function image(isr: number[] = [1, 2, 3], leader = 1): MetadataImage {
  const records: MetadataRecord[] = [];
  for (const id of [1, 2, 3]) {
    records.push({
      type: 'RegisterBrokerRecord', brokerId: id, incarnationId: `i${id}`, rack: null, fenced: true, inControlledShutdown: false,
      endPoints: [{ name: 'PLAINTEXT', host: `broker-${id}`, port: 9092, securityProtocol: 0 }],
    });
  }
  for (const id of [1, 2, 3]) records.push({ type: 'UnfenceBrokerRecord', id, epoch: id - 1 });
  records.push({ type: 'TopicRecord', name: 'orders', topicId: 'T' });
  records.push({
    type: 'PartitionRecord', topicId: 'T', partitionId: 0, replicas: [1, 2, 3], isr, leader, leaderEpoch: 5, partitionEpoch: 9, leaderRecoveryState: 0,
  });
  return applyRecords(EMPTY_IMAGE, records, 0);
}

const orders = (img: MetadataImage): PartitionRegistration => partitionOf(img, 'orders', 0)!;
const fold = (img: MetadataImage, records: MetadataRecord[]): MetadataImage => applyRecords(img, records, img.offset + 1);

test('the current leader stays while it is in the target ISR; otherwise the first eligible replica in assignment order leads', (t) => {
  const p = orders(image());
  const all = () => true;
  t.is(buildPartitionChange('T', p, { isAcceptableLeader: all, uncleanElection: false }), undefined, 'nothing to change');
  t.deepEqual(buildPartitionChange('T', p, { isAcceptableLeader: all, targetIsr: [1, 3], uncleanElection: false }),
    { type: 'PartitionChangeRecord', partitionId: 0, topicId: 'T', isr: [1, 3] });
  t.deepEqual(buildPartitionChange('T', p, { isAcceptableLeader: (id) => id !== 1, targetIsr: [3, 2], uncleanElection: false }),
    { type: 'PartitionChangeRecord', partitionId: 0, topicId: 'T', isr: [3, 2], leader: 2 });
});

test('an ISR is never emptied: its last member stays and the partition goes offline, unless unclean election is allowed', (t) => {
  const p = orders(image([1]));
  const notOne = (id: number) => id !== 1;
  t.deepEqual(buildPartitionChange('T', p, { isAcceptableLeader: notOne, targetIsr: [], uncleanElection: false }),
    { type: 'PartitionChangeRecord', partitionId: 0, topicId: 'T', leader: -1 });
  t.deepEqual(buildPartitionChange('T', p, { isAcceptableLeader: notOne, targetIsr: [], uncleanElection: true }),
    { type: 'PartitionChangeRecord', partitionId: 0, topicId: 'T', leader: 2, isr: [2], leaderRecoveryState: 1 });
});

test('fencing the leader writes its partition changes first and the fence last; a follower just leaves the ISR', (t) => {
  const start = image();
  const records = fenceBrokerRecords(start, config, 1);
  t.deepEqual(records.map((r) => r.type), ['PartitionChangeRecord', 'FenceBrokerRecord']);
  const after = fold(start, records);
  t.deepEqual([orders(after).leader, orders(after).isr, orders(after).leaderEpoch, orders(after).partitionEpoch], [2, [2, 3], 6, 10]);
  const follower = fold(start, fenceBrokerRecords(start, config, 3));
  t.deepEqual([orders(follower).leader, orders(follower).isr, orders(follower).leaderEpoch], [1, [1, 2], 5]);
  t.deepEqual(fenceBrokerRecords(after, config, 1), [], 'fencing a fenced broker writes nothing');
});

test('unfencing a broker elects it where it is the last ISR member of a leaderless partition', (t) => {
  let img = image([1]);
  img = fold(img, fenceBrokerRecords(img, config, 1));
  t.deepEqual([orders(img).leader, orders(img).isr], [-1, [1]]);
  img = fold(img, unfenceBrokerRecords(img, config, 1));
  t.deepEqual([orders(img).leader, orders(img).isr, orders(img).leaderEpoch], [1, [1], 7]);
  const unclean = image([1]);
  const offline = fold(unclean, fenceBrokerRecords(unclean, config, 1));
  t.is(orders(offline).leader, -1, 'unclean off: broker 2 and 3 stay out');
  const uncleanOn = fold(unclean, fenceBrokerRecords(unclean, uncleanConfig, 1));
  t.deepEqual([orders(uncleanOn).leader, orders(uncleanOn).isr], [2, [2]], 'unclean on: the first live replica');
});

test('controlled shutdown marks the broker, then moves its leadership and ISR membership away', (t) => {
  const start = image();
  const records = controlledShutdownRecords(start, config, 1);
  t.deepEqual(records.map((r) => r.type), ['BrokerRegistrationChangeRecord', 'PartitionChangeRecord']);
  const after = fold(start, records);
  t.true(after.brokers.get(1)!.inControlledShutdown);
  t.deepEqual([orders(after).leader, orders(after).isr], [2, [2, 3]]);
});

function alter(img: MetadataImage, isr: Array<[number, number]>, epochs: { leaderEpoch?: number; partitionEpoch?: number } = {}): string {
  const request: AlterPartitionRequest = {
    type: 'AlterPartitionRequest', sizeBytes: 0, correlationId: 1, clientId: 'broker-1', brokerId: 1, brokerEpoch: 0,
    topics: [{
      topicName: 'orders',
      partitions: [{
        partitionIndex: 0,
        leaderEpoch: epochs.leaderEpoch ?? orders(img).leaderEpoch,
        partitionEpoch: epochs.partitionEpoch ?? orders(img).partitionEpoch,
        newIsrWithEpochs: isr.map(([brokerId, brokerEpoch]) => ({ brokerId, brokerEpoch })),
      }],
    }],
  };
  const outcome = alterPartitions(img, config, request);
  return outcome.errorCode !== 0 ? errorName(outcome.errorCode) : errorName(outcome.topics[0].partitions[0].errorCode);
}

test('AlterPartition admits only registered, unfenced, not shutting-down brokers at their current epoch', (t) => {
  const start = image([1, 2]);
  t.is(alter(start, [[1, 0], [2, 1], [3, 2]]), 'NONE');
  t.is(alter(start, [[1, 0], [2, 1], [3, -1]]), 'NONE', 'epoch -1: not checked (older clients)');
  t.is(alter(start, [[1, 0], [2, 1], [3, 1]]), 'INELIGIBLE_REPLICA', 'stale broker epoch');
  const shuttingDown = fold(start, [{ type: 'BrokerRegistrationChangeRecord', brokerId: 3, brokerEpoch: 2, inControlledShutdown: true }]);
  t.is(alter(shuttingDown, [[1, 0], [2, 1], [3, 2]]), 'INELIGIBLE_REPLICA', 'shutting down');
  const fenced = fold(start, [{ type: 'FenceBrokerRecord', id: 3, epoch: 2 }]);
  t.is(alter(fenced, [[1, 0], [2, 1], [3, 2]]), 'INELIGIBLE_REPLICA', 'fenced');
  t.is(alter(start, [[1, 0], [2, 1], [4, 0]]), 'INVALID_REQUEST', 'not a replica');
  t.is(alter(start, [[2, 1]]), 'INVALID_REQUEST', 'without the leader');
  t.is(alter(start, [[1, 0]], { partitionEpoch: 8 }), 'INVALID_UPDATE_VERSION');
  t.is(alter(start, [[1, 0]], { leaderEpoch: 4 }), 'FENCED_LEADER_EPOCH');
  t.is(alter(start, [[1, 0]], { leaderEpoch: 6 }), 'NOT_CONTROLLER', 'a newer epoch than ours: this controller is behind');
});

test('an accepted AlterPartition after an unclean election also ends the leader recovery', (t) => {
  let img = image([1]);
  img = fold(img, fenceBrokerRecords(img, uncleanConfig, 1));
  t.is(orders(img).leaderRecoveryState, 1);
  const request: AlterPartitionRequest = {
    type: 'AlterPartitionRequest', sizeBytes: 0, correlationId: 1, clientId: 'broker-2', brokerId: 2, brokerEpoch: 1,
    topics: [{ topicName: 'orders', partitions: [{ partitionIndex: 0, leaderEpoch: orders(img).leaderEpoch, partitionEpoch: orders(img).partitionEpoch, newIsrWithEpochs: [{ brokerId: 2, brokerEpoch: 1 }, { brokerId: 3, brokerEpoch: 2 }] }] }],
  };
  const outcome = alterPartitions(img, uncleanConfig, request);
  img = fold(img, outcome.records);
  t.deepEqual([orders(img).isr, orders(img).leaderRecoveryState, orders(img).leaderEpoch], [[2, 3], 0, 6]);
});

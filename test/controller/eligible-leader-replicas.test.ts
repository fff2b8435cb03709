// KIP-966 part 1 in the controller: eligible leader replicas (ELR), the last known leader, and the handling of a
// broker that registers again after an unclean shutdown. Pure functions of an image, as replication-control.test.ts.

import test from 'ava';
import { fenceBrokerRecords, registrationRecords, unfenceBrokerRecords } from '../../engine/controller/cluster-control.ts';
import { alterPartitions } from '../../engine/controller/replication-control.ts';
import { applyRecords } from '../../engine/metadata/delta.ts';
import { EMPTY_IMAGE, eligibleLeaderReplicasOf, lastKnownElrOf, partitionOf } from '../../engine/metadata/image.ts';
import type { MetadataImage, PartitionRegistration } from '../../engine/metadata/image.ts';
import type { MetadataRecord } from '../../engine/metadata/records.ts';
import type { AlterPartitionRequest } from '../../engine/protocol/alter-partition.ts';
import { brokerConfig } from '../support/controller-cluster.ts';

const elr = brokerConfig(100, { 'min.insync.replicas': 2, 'eligible.leader.replicas.version': 1 });
const noElr = brokerConfig(100, { 'min.insync.replicas': 2 });
const ENDPOINT = (id: number) => [{ name: 'PLAINTEXT', host: `broker-${id}`, port: 9092, securityProtocol: 0 }];

/** Brokers 1..3 (epochs 0..2, incarnations i1..i3), unfenced; `orders` partition 0 on [1, 2, 3] led by 1. */
function image(isr: number[] = [1, 2, 3], leader = 1): MetadataImage {
  const records: MetadataRecord[] = [];
  for (const id of [1, 2, 3]) {
    records.push({ type: 'RegisterBrokerRecord', brokerId: id, incarnationId: `i${id}`, rack: null, fenced: true, inControlledShutdown: false, endPoints: ENDPOINT(id) });
  }
  for (const id of [1, 2, 3]) records.push({ type: 'UnfenceBrokerRecord', id, epoch: id - 1 });
  records.push({ type: 'TopicRecord', name: 'orders', topicId: 'T' });
  records.push({ type: 'PartitionRecord', topicId: 'T', partitionId: 0, replicas: [1, 2, 3], isr, leader, leaderEpoch: 5, partitionEpoch: 9, leaderRecoveryState: 0 });
  return applyRecords(EMPTY_IMAGE, records, 0);
}

const orders = (img: MetadataImage): PartitionRegistration => partitionOf(img, 'orders', 0)!;
const fold = (img: MetadataImage, records: MetadataRecord[]): MetadataImage => applyRecords(img, records, img.offset + 1);
const state = (img: MetadataImage) => {
  const p = orders(img);
  return { leader: p.leader, isr: p.isr, elr: eligibleLeaderReplicasOf(p), lastKnownElr: lastKnownElrOf(p), recovering: p.leaderRecoveryState === 1 };
};

/** Broker `id` registers again as a new process, presenting `previousBrokerEpoch`. */
function restart(img: MetadataImage, config: typeof elr, id: number, previousBrokerEpoch: number, incarnationId = `i${id}-2`) {
  return registrationRecords(img, config, { brokerId: id, incarnationId, endPoints: ENDPOINT(id), rack: null, previousBrokerEpoch });
}

test('replicas that leave an ISR smaller than min.insync.replicas become eligible leaders; an ISR back at min.insync.replicas clears them', (t) => {
  let img = image();
  img = fold(img, fenceBrokerRecords(img, elr, 3));
  t.deepEqual(state(img), { leader: 1, isr: [1, 2], elr: [], lastKnownElr: [], recovering: false }, 'at min.insync.replicas: no ELR');
  img = fold(img, fenceBrokerRecords(img, elr, 2));
  t.deepEqual(state(img), { leader: 1, isr: [1], elr: [2], lastKnownElr: [], recovering: false }, 'below it: broker 2 has every committed record');
  img = fold(img, unfenceBrokerRecords(img, elr, 2));
  const request: AlterPartitionRequest = {
    type: 'AlterPartitionRequest', sizeBytes: 0, correlationId: 1, clientId: 'broker-1', brokerId: 1, brokerEpoch: 0,
    topics: [{ topicName: 'orders', partitions: [{ partitionIndex: 0, leaderEpoch: orders(img).leaderEpoch, partitionEpoch: orders(img).partitionEpoch, newIsrWithEpochs: [{ brokerId: 1, brokerEpoch: 0 }, { brokerId: 2, brokerEpoch: 1 }] }] }],
  };
  img = fold(img, alterPartitions(img, elr, request).records);
  t.deepEqual(state(img), { leader: 1, isr: [1, 2], elr: [], lastKnownElr: [], recovering: false }, 'broker 2 back in sync: the ELR empties');
});

test('with the ISR empty an eligible leader replica leads and becomes the ISR, and the last known leader is forgotten', (t) => {
  let img = image([1, 2]);
  img = fold(img, fenceBrokerRecords(img, elr, 2));
  img = fold(img, fenceBrokerRecords(img, elr, 1));
  t.deepEqual(state(img), { leader: -1, isr: [], elr: [1, 2], lastKnownElr: [1], recovering: false }, 'the ISR may empty; its members stay eligible');
  img = fold(img, unfenceBrokerRecords(img, elr, 2));
  t.deepEqual(state(img), { leader: 2, isr: [2], elr: [1], lastKnownElr: [], recovering: false }, 'a clean election from the ELR');
  t.is(orders(img).leaderEpoch, 7);
});

test('a new incarnation that presents the epoch of the registration it replaces restarted cleanly and keeps its place', (t) => {
  let img = image([1, 2]);
  img = fold(img, fenceBrokerRecords(img, elr, 2));
  img = fold(img, fenceBrokerRecords(img, elr, 1));
  const clean = restart(img, elr, 1, 0);
  t.true(clean.cleanShutdown);
  t.deepEqual(clean.records.map((r) => r.type), ['RegisterBrokerRecord'], 'nothing to change: its log is whole');
  const after = fold(img, clean.records);
  t.deepEqual(state(after).elr, [1, 2]);
  t.is(after.brokers.get(1)!.incarnationId, 'i1-2');
});

test('a new incarnation without its previous epoch restarted uncleanly: it leaves every ISR and ELR before it registers', (t) => {
  let img = image([1, 2]);
  img = fold(img, fenceBrokerRecords(img, elr, 2));
  img = fold(img, fenceBrokerRecords(img, elr, 1));
  for (const previousBrokerEpoch of [-1, 7]) {
    const unclean = restart(img, elr, 1, previousBrokerEpoch);
    t.false(unclean.cleanShutdown, `previous epoch ${previousBrokerEpoch}`);
    t.deepEqual(unclean.records.map((r) => r.type), ['PartitionChangeRecord', 'RegisterBrokerRecord']);
    t.deepEqual(state(fold(img, unclean.records)), { leader: -1, isr: [], elr: [2], lastKnownElr: [1], recovering: false });
  }
  // An unfenced incarnation whose session expired is fenced on the way: out of the ISR into the ELR, then out.
  const live = image([1]);
  const replaced = restart(live, elr, 1, -1);
  t.deepEqual(replaced.records.map((r) => r.type), ['PartitionChangeRecord', 'FenceBrokerRecord', 'PartitionChangeRecord', 'RegisterBrokerRecord']);
  t.deepEqual(state(fold(live, replaced.records)), { leader: -1, isr: [], elr: [], lastKnownElr: [1], recovering: false });
  const same = restart(img, elr, 1, -1, 'i1');
  t.is(same.cleanShutdown, undefined, 'the same process registering again is no restart');
  t.deepEqual(same.records.map((r) => r.type), ['RegisterBrokerRecord']);
});

test('with the ISR and ELR empty the last known leader leads again once unfenced, by an unclean election', (t) => {
  let img = image([1]);
  img = fold(img, fenceBrokerRecords(img, elr, 1));
  t.deepEqual(state(img), { leader: -1, isr: [], elr: [1], lastKnownElr: [1], recovering: false });
  img = fold(img, restart(img, elr, 1, -1).records);
  t.deepEqual(state(img), { leader: -1, isr: [], elr: [], lastKnownElr: [1], recovering: false },
    'brokers 2 and 3 are up but may lack committed records; broker 1 is fenced');
  img = fold(img, unfenceBrokerRecords(img, elr, 1));
  t.deepEqual(state(img), { leader: 1, isr: [1], elr: [], lastKnownElr: [], recovering: true },
    'Kafka\'s last-known-leader recovery: whatever its log lost is lost');
});

test('without eligible leader replicas (Kafka 4.0\'s default) the ISR keeps its last member and an unclean restart changes nothing', (t) => {
  let img = image([1]);
  img = fold(img, fenceBrokerRecords(img, noElr, 1));
  t.deepEqual(state(img), { leader: -1, isr: [1], elr: [], lastKnownElr: [], recovering: false });
  const unclean = restart(img, noElr, 1, -1);
  t.false(unclean.cleanShutdown);
  t.deepEqual(unclean.records.map((r) => r.type), ['RegisterBrokerRecord']);
  img = fold(img, unclean.records);
  img = fold(img, unfenceBrokerRecords(img, noElr, 1));
  t.deepEqual(state(img), { leader: 1, isr: [1], elr: [], lastKnownElr: [], recovering: false }, 'a clean election of a replica that may have lost its tail');
});

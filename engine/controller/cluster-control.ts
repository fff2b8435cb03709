// Broker registrations as the controller changes them (Kafka's ClusterControlManager plus the broker side of
// ReplicationControlManager): register, fence, unfence, enter controlled shutdown. Pure functions of an image.
//
// Order of records, as Kafka writes them:
// - fence: the partition changes first (the broker leaves every ISR it is not the last member of, and every
//   leadership), then FenceBrokerRecord;
// - unfence: UnfenceBrokerRecord, then leaders for the partitions that have none (this broker may be one);
// - controlled shutdown: BrokerRegistrationChangeRecord(inControlledShutdown), then the same partition changes
//   as a fence, so that leadership moves while the broker still serves.

import type { MetadataImage } from '../metadata/image.ts';
import type { BrokerEndpoint, MetadataRecord, RegisterBrokerRecord } from '../metadata/records.ts';
import type { ControllerConfig } from './controller-config.ts';
import { leaderAndIsrUpdates, partitionsWithBrokerInIsr, partitionsWithNoLeader } from './replication-control.ts';

const NONE = -1;

export function registerBrokerRecord(
  brokerId: number,
  incarnationId: string,
  endPoints: readonly BrokerEndpoint[],
  rack: string | null,
): RegisterBrokerRecord {
  return { type: 'RegisterBrokerRecord', brokerId, incarnationId, endPoints, rack, fenced: true, inControlledShutdown: false };
}

/** Records that fence `brokerId`: none if it is fenced already. */
export function fenceBrokerRecords(image: MetadataImage, config: ControllerConfig, brokerId: number): MetadataRecord[] {
  const broker = image.brokers.get(brokerId);
  if (broker === undefined || broker.fenced) return [];
  const records: MetadataRecord[] = leaderAndIsrUpdates(
    image, config, { brokerToRemove: brokerId, brokerToAdd: NONE }, partitionsWithBrokerInIsr(image, brokerId),
  );
  records.push({ type: 'FenceBrokerRecord', id: brokerId, epoch: broker.brokerEpoch });
  return records;
}

/** Records that unfence `brokerId` and elect leaders for leaderless partitions. */
export function unfenceBrokerRecords(image: MetadataImage, config: ControllerConfig, brokerId: number): MetadataRecord[] {
  const broker = image.brokers.get(brokerId);
  if (broker === undefined || !broker.fenced) return [];
  return [
    { type: 'UnfenceBrokerRecord', id: brokerId, epoch: broker.brokerEpoch },
    ...leaderAndIsrUpdates(image, config, { brokerToRemove: NONE, brokerToAdd: brokerId }, partitionsWithNoLeader(image)),
  ];
}

/** Records that start the controlled shutdown of `brokerId`: leadership and ISR membership move away. */
export function controlledShutdownRecords(image: MetadataImage, config: ControllerConfig, brokerId: number): MetadataRecord[] {
  const broker = image.brokers.get(brokerId);
  if (broker === undefined || broker.fenced) return [];
  const records: MetadataRecord[] = [];
  if (!broker.inControlledShutdown) {
    records.push({ type: 'BrokerRegistrationChangeRecord', brokerId, brokerEpoch: broker.brokerEpoch, inControlledShutdown: true });
  }
  records.push(...leaderAndIsrUpdates(
    image, config, { brokerToRemove: brokerId, brokerToAdd: NONE }, partitionsWithBrokerInIsr(image, brokerId),
  ));
  return records;
}

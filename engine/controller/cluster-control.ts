// Broker registrations as the controller changes them (Kafka's ClusterControlManager plus the broker side of
// ReplicationControlManager): register, fence, unfence, enter controlled shutdown. Pure functions of an image.
//
// Order of records, as Kafka writes them:
// - register a new incarnation: the old one fenced if it was not yet, then the shutdown handling of KIP-966 —
//   after an unclean shutdown (the broker did not present the epoch of its previous registration, which only a
//   clean shutdown records) and with eligible leader replicas on, it leaves every ISR and ELR and may not be
//   elected from them (a clean restart keeps its place: fencing already took it out of the ISRs it could
//   leave) — then RegisterBrokerRecord;
// - fence: the partition changes first (the broker leaves every ISR it is not the last member of, and every
//   leadership), then FenceBrokerRecord;
// - unfence: UnfenceBrokerRecord, then leaders for the partitions that have none (this broker may be one);
// - controlled shutdown: BrokerRegistrationChangeRecord(inControlledShutdown), then the same partition changes
//   as a fence, so that leadership moves while the broker still serves.

import { applyRecords } from '../metadata/delta.ts';
import type { MetadataImage } from '../metadata/image.ts';
import type { BrokerEndpoint, MetadataRecord, RegisterBrokerRecord } from '../metadata/records.ts';
import { eligibleLeaderReplicasEnabled } from './controller-config.ts';
import type { ControllerConfig } from './controller-config.ts';
import { leaderAndIsrUpdates, partitionsWithBrokerInElr, partitionsWithBrokerInIsr, partitionsWithNoLeader } from './replication-control.ts';

const NONE = -1;

export function registerBrokerRecord(
  brokerId: number,
  incarnationId: string,
  endPoints: readonly BrokerEndpoint[],
  rack: string | null,
): RegisterBrokerRecord {
  return { type: 'RegisterBrokerRecord', brokerId, incarnationId, endPoints, rack, fenced: true, inControlledShutdown: false };
}

export interface BrokerRegistrationSpec {
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly endPoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  /** The epoch of the broker's previous registration if it shut down cleanly, else -1 (KIP-966). */
  readonly previousBrokerEpoch: number;
}

export interface BrokerRegistrationOutcome {
  readonly records: MetadataRecord[];
  /** A new incarnation whose previous one shut down cleanly (undefined: the same incarnation registers again). */
  readonly cleanShutdown: boolean | undefined;
}

/**
 * Records that register `spec.brokerId`, the RegisterBrokerRecord last: its offset becomes the broker epoch.
 * A new incarnation is judged clean when it presents the epoch of the registration it replaces.
 */
export function registrationRecords(image: MetadataImage, config: ControllerConfig, spec: BrokerRegistrationSpec): BrokerRegistrationOutcome {
  const id = spec.brokerId;
  const existing = image.brokers.get(id);
  const records = fenceBrokerRecords(image, config, id);
  let cleanShutdown: boolean | undefined;
  if (existing === undefined || existing.incarnationId !== spec.incarnationId) {
    cleanShutdown = existing !== undefined && existing.brokerEpoch === spec.previousBrokerEpoch;
    if (eligibleLeaderReplicasEnabled(config) && !cleanShutdown) {
      const fenced = applyRecords(image, records, image.offset + 1);
      const partitions = [...partitionsWithBrokerInIsr(fenced, id), ...partitionsWithBrokerInElr(fenced, id)];
      records.push(...leaderAndIsrUpdates(fenced, config, { brokerToRemove: NONE, brokerToAdd: NONE, brokerWithUncleanShutdown: id }, partitions));
    }
  }
  records.push(registerBrokerRecord(id, spec.incarnationId, spec.endPoints, spec.rack));
  return { records, cleanShutdown };
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

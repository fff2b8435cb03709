// Partition leadership and ISRs as the controller changes them (the partition side of Kafka's
// ReplicationControlManager): elections when a broker is fenced, unfenced or shuts down, and AlterPartition.
//
// All functions are pure: they read an image and return the records to append; the QuorumController appends
// them and folds them into its image.

import { applyPartitionChange } from '../metadata/delta.ts';
import { eligibleLeaderReplicasOf, isActiveBroker } from '../metadata/image.ts';
import type { MetadataImage, PartitionRegistration, TopicImage } from '../metadata/image.ts';
import { LeaderRecoveryState } from '../metadata/records.ts';
import type { PartitionChangeRecord } from '../metadata/records.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { AlterPartitionData, AlterPartitionRequest, AlterPartitionResult } from '../protocol/alter-partition.ts';
import { effectiveMinIsr, eligibleLeaderReplicasEnabled, uncleanElectionEnabled } from './controller-config.ts';
import type { ControllerConfig } from './controller-config.ts';
import { buildPartitionChange } from './partition-change.ts';
import type { PartitionChangeSpec } from './partition-change.ts';

/** No broker (Kafka's NO_LEADER used as "none" for brokerToRemove / brokerToAdd). */
const NONE = -1;

export interface LeaderAndIsrUpdate {
  /** A broker leaving the ISRs and leadership (fenced, shutting down), or -1. */
  readonly brokerToRemove: number;
  /** A broker that may lead although the image still shows it fenced (being unfenced), or -1. */
  readonly brokerToAdd: number;
  /** A broker that restarted after an unclean shutdown (KIP-966): it leaves ISRs and ELRs and may not lead, or -1. */
  readonly brokerWithUncleanShutdown?: number;
}

/**
 * The records that take `brokerToRemove` (and `brokerWithUncleanShutdown`) out of every ISR it is in and out
 * of leadership, and elect leaders where needed, for `partitions`. Without ELR an ISR is never emptied.
 */
export function leaderAndIsrUpdates(
  image: MetadataImage,
  config: ControllerConfig,
  update: LeaderAndIsrUpdate,
  partitions: Iterable<PartitionRegistration>,
): PartitionChangeRecord[] {
  const unclean = update.brokerWithUncleanShutdown ?? NONE;
  const isAcceptableLeader = (id: number): boolean =>
    id !== update.brokerToRemove && id !== unclean && (id === update.brokerToAdd || isActiveBroker(image, id));
  const records: PartitionChangeRecord[] = [];
  for (const partition of partitions) {
    const topic = image.topics.get(partition.topic)!;
    const targetIsr = partition.isr.filter((id) => id !== update.brokerToRemove && id !== unclean);
    const change = buildPartitionChange(topic.topicId, partition, {
      ...changeSettings(topic, config),
      isAcceptableLeader,
      targetIsr,
      ...(unclean === NONE ? {} : { uncleanShutdownReplicas: [unclean] }),
    });
    if (change !== undefined) records.push(change);
  }
  return records;
}

/** What every partition change of `topic` takes from the controller's config. */
function changeSettings(topic: TopicImage, config: ControllerConfig): Pick<PartitionChangeSpec, 'uncleanElection' | 'eligibleLeaderReplicas'> {
  return {
    uncleanElection: uncleanElectionEnabled(topic, config),
    ...(eligibleLeaderReplicasEnabled(config) ? { eligibleLeaderReplicas: { minIsr: effectiveMinIsr(topic, config) } } : {}),
  };
}

export function partitionsWithBrokerInIsr(image: MetadataImage, brokerId: number): PartitionRegistration[] {
  return allPartitions(image, (partition) => partition.isr.includes(brokerId));
}

export function partitionsWithBrokerInElr(image: MetadataImage, brokerId: number): PartitionRegistration[] {
  return allPartitions(image, (partition) => eligibleLeaderReplicasOf(partition).includes(brokerId));
}

export function partitionsWithNoLeader(image: MetadataImage): PartitionRegistration[] {
  return allPartitions(image, (partition) => partition.leader === NONE);
}

export function hasLeaderships(image: MetadataImage, brokerId: number): boolean {
  for (const topic of image.topics.values()) {
    for (const partition of topic.partitions) if (partition.leader === brokerId) return true;
  }
  return false;
}

function allPartitions(image: MetadataImage, keep: (partition: PartitionRegistration) => boolean): PartitionRegistration[] {
  const found: PartitionRegistration[] = [];
  for (const topic of image.topics.values()) {
    for (const partition of topic.partitions) if (keep(partition)) found.push(partition);
  }
  return found;
}

// -----------------------------------------------------------------------------------------------------------
// AlterPartition

export interface AlterPartitionOutcome {
  readonly errorCode: number;
  readonly records: PartitionChangeRecord[];
  readonly topics: ReadonlyArray<{ readonly topicName: string; readonly partitions: AlterPartitionResult[] }>;
}

/**
 * Checks a leader's ISR change against the image and returns the records to write and the answer, per
 * partition, in Kafka's order of checks: unknown partition; a newer epoch than ours (NOT_CONTROLLER: we are
 * behind); a stale leader epoch (FENCED_LEADER_EPOCH); not the leader (INVALID_REQUEST); a stale partition
 * epoch (INVALID_UPDATE_VERSION); an ISR outside the replicas or without the leader (INVALID_REQUEST); a
 * member not registered, fenced, shutting down or at another broker epoch (INELIGIBLE_REPLICA).
 */
export function alterPartitions(image: MetadataImage, config: ControllerConfig, request: AlterPartitionRequest): AlterPartitionOutcome {
  const sender = image.brokers.get(request.brokerId);
  if (sender === undefined || sender.brokerEpoch !== request.brokerEpoch) {
    return { errorCode: ErrorCode.STALE_BROKER_EPOCH, records: [], topics: [] };
  }
  const records: PartitionChangeRecord[] = [];
  const topics = request.topics.map((topicData) => {
    const topic = image.topics.get(topicData.topicName);
    const partitions = topicData.partitions.map((data): AlterPartitionResult => {
      const partition = topic?.partitions[data.partitionIndex];
      if (topic === undefined || partition === undefined) return failure(data, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const error = validate(image, request.brokerId, partition, data);
      if (error !== ErrorCode.NONE) return failure(data, error);
      const change = isrChange(image, config, topic, partition, data);
      const next = change === undefined ? partition : applyPartitionChange(partition, change);
      if (change !== undefined) records.push(change);
      return {
        partitionIndex: data.partitionIndex,
        errorCode: ErrorCode.NONE,
        leaderId: next.leader,
        leaderEpoch: next.leaderEpoch,
        isr: next.isr,
        partitionEpoch: next.partitionEpoch,
      };
    });
    return { topicName: topicData.topicName, partitions };
  });
  return { errorCode: ErrorCode.NONE, records, topics };
}

function validate(image: MetadataImage, brokerId: number, partition: PartitionRegistration, data: AlterPartitionData): number {
  if (data.leaderEpoch > partition.leaderEpoch || data.partitionEpoch > partition.partitionEpoch) return ErrorCode.NOT_CONTROLLER;
  if (data.leaderEpoch < partition.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
  if (brokerId !== partition.leader) return ErrorCode.INVALID_REQUEST;
  if (data.partitionEpoch < partition.partitionEpoch) return ErrorCode.INVALID_UPDATE_VERSION;
  const newIsr = data.newIsrWithEpochs.map((member) => member.brokerId);
  const distinct = new Set(newIsr);
  if (distinct.size !== newIsr.length || newIsr.some((id) => !partition.replicas.includes(id))) return ErrorCode.INVALID_REQUEST;
  if (!distinct.has(partition.leader)) return ErrorCode.INVALID_REQUEST;
  for (const member of data.newIsrWithEpochs) {
    const broker = image.brokers.get(member.brokerId);
    const eligible = broker !== undefined && !broker.fenced && !broker.inControlledShutdown
      && (member.brokerEpoch === -1 || member.brokerEpoch === broker.brokerEpoch);
    if (!eligible) return ErrorCode.INELIGIBLE_REPLICA;
  }
  return ErrorCode.NONE;
}

function isrChange(
  image: MetadataImage,
  config: ControllerConfig,
  topic: TopicImage,
  partition: PartitionRegistration,
  data: AlterPartitionData,
): PartitionChangeRecord | undefined {
  return buildPartitionChange(topic.topicId, partition, {
    ...changeSettings(topic, config),
    isAcceptableLeader: (id) => isActiveBroker(image, id),
    targetIsr: data.newIsrWithEpochs.map((member) => member.brokerId),
    // Our AlterPartitionRequest has no leaderRecoveryState: a leader that changes its ISR has recovered.
    targetLeaderRecoveryState: LeaderRecoveryState.RECOVERED,
  });
}

function failure(data: AlterPartitionData, errorCode: number): AlterPartitionResult {
  return { partitionIndex: data.partitionIndex, errorCode, leaderId: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1 };
}

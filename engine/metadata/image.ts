// The cluster metadata as a broker sees it after replaying the metadata log: brokers and partitions.
//
// The active controller writes metadata records to the replicated metadata log; every broker follows that
// log and folds the records into an immutable MetadataImage (Kafka's MetadataImage / MetadataDelta). A broker
// acts on the difference between two images: partitions it now leads, follows, or no longer hosts
// (local-changes.ts).
//
// Images share structure: folding a batch copies only what the batch changed, so an unchanged topic or
// partition is the same object in the old and the new image. Never mutate an image.

import type { BrokerEndpoint, LeaderRecoveryState } from './records.ts';

export interface BrokerRegistration {
  readonly brokerId: number;
  /** Changes on every registration (each restart): the offset of the RegisterBrokerRecord. */
  readonly brokerEpoch: number;
  /** A random id per process start (Kafka's incarnationId). */
  readonly incarnationId: string;
  /** The broker's node name in the simulator (`broker-1`). */
  readonly host: string;
  readonly endPoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  /** A fenced broker leads nothing and is not admitted to ISRs. */
  readonly fenced: boolean;
  /** Set by a controlled shutdown: leadership moves away, the broker stays in ISRs until it stops. */
  readonly inControlledShutdown: boolean;
}

export interface PartitionRegistration {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** -1 when no eligible leader exists (the partition is offline). */
  readonly leader: number;
  /** Bumped on every leader change. */
  readonly leaderEpoch: number;
  /** Bumped on every change of the registration (ISR, leader, replicas): AlterPartition's optimistic lock. */
  readonly partitionEpoch: number;
  /** RECOVERING after an unclean election until the leader's next accepted AlterPartition. */
  readonly leaderRecoveryState: LeaderRecoveryState;
  /**
   * KIP-966 eligible leader replicas: members that left an ISR smaller than min.insync.replicas. The high
   * watermark cannot move while the ISR is that small, so they hold every committed record and may lead when
   * the ISR is empty. Absent: none (and always none with eligible.leader.replicas.version=0).
   */
  readonly elr?: readonly number[];
  /** KIP-966: the leader the partition had when its ISR became empty, elected again as a last resort. */
  readonly lastKnownElr?: readonly number[];
}

export interface TopicImage {
  readonly name: string;
  /** Kafka's topic id (a UUID in Kafka; here a stable string from the controller). */
  readonly topicId: string;
  readonly partitions: readonly PartitionRegistration[];
  /** Topic-level config overrides, by Kafka key. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface MetadataImage {
  /** Offset of the last metadata record folded in, -1 for the empty image. */
  readonly offset: number;
  readonly brokers: ReadonlyMap<number, BrokerRegistration>;
  readonly topics: ReadonlyMap<string, TopicImage>;
  /** Topic name by topic id (the partition records name topics by id). */
  readonly topicNamesById: ReadonlyMap<string, string>;
  /** The first producer id not yet handed out in a block (Kafka's ProducerIdsImage). */
  readonly nextProducerId: number;
  /** The active controller's node id, -1 if unknown. Not from the log: set by whoever follows the Raft leader. */
  readonly controllerId: number;
}

export const EMPTY_IMAGE: MetadataImage = {
  offset: -1,
  brokers: new Map(),
  topics: new Map(),
  topicNamesById: new Map(),
  nextProducerId: 0,
  controllerId: -1,
};

/** The partition `topic`-`partition` of `image`, or undefined. */
export function partitionOf(image: MetadataImage, topic: string, partition: number): PartitionRegistration | undefined {
  return image.topics.get(topic)?.partitions[partition];
}

const NONE: readonly number[] = [];

/** The partition's eligible leader replicas (KIP-966), empty when it has none. */
export function eligibleLeaderReplicasOf(partition: PartitionRegistration): readonly number[] {
  return partition.elr ?? NONE;
}

/** The partition's last known leader as KIP-966 keeps it, empty when it has none. */
export function lastKnownElrOf(partition: PartitionRegistration): readonly number[] {
  return partition.lastKnownElr ?? NONE;
}

/** True if the broker may lead and join ISRs: registered, unfenced, not in controlled shutdown (Kafka's isActive). */
export function isActiveBroker(image: MetadataImage, brokerId: number): boolean {
  const broker = image.brokers.get(brokerId);
  return broker !== undefined && !broker.fenced && !broker.inControlledShutdown;
}

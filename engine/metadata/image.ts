// The cluster metadata as a broker sees it after replaying the metadata log: brokers and partitions.
//
// The active controller writes metadata records to the replicated metadata log; every broker follows that
// log and folds the records into an immutable MetadataImage (Kafka's MetadataImage / MetadataDelta). A broker
// acts on the difference between two images: partitions it now leads, follows, or no longer hosts.

export interface BrokerRegistration {
  readonly brokerId: number;
  /** Changes on every registration (each restart): the offset of the RegisterBrokerRecord. */
  readonly brokerEpoch: number;
  /** The broker's node name in the simulator (`broker-1`). */
  readonly host: string;
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
  /** The active controller's node id, -1 if unknown. */
  readonly controllerId: number;
}

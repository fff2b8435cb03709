// The records of the metadata log, named as Kafka's KRaft names them (org.apache.kafka.common.metadata).
//
// The active controller appends them to the replicated metadata log; every controller and broker folds them,
// in log order, into a MetadataImage (see delta.ts). They are plain JSON-able objects: `type` names the
// record, field names are Kafka's in camelCase. Where Kafka marks "no change" with a null or a sentinel
// (PartitionChangeRecord's isr = null, leader = -2), a field here is simply absent.
//
// One deliberate difference: RegisterBrokerRecord carries no brokerEpoch. A broker's epoch is the offset of
// its RegisterBrokerRecord in the log (as Kafka's controller chooses it), and every replica derives it while
// replaying, so the controller need not predict an offset before it appends.

/** partitionRecord.leader when no replica may lead: the partition is offline. */
export const NO_LEADER = -1;

/** KIP-704: after an unclean election the new leader is RECOVERING until it reports RECOVERED. */
export const LeaderRecoveryState = { RECOVERED: 0, RECOVERING: 1 } as const;
export type LeaderRecoveryState = (typeof LeaderRecoveryState)[keyof typeof LeaderRecoveryState];

/** ConfigRecord.resourceType, Kafka's ConfigResource.Type ids. Only topic configs live in the image. */
export const ConfigResourceType = { TOPIC: 2 } as const;

export interface BrokerEndpoint {
  readonly name: string;
  /** The broker's node name in the simulator (`broker-1`). */
  readonly host: string;
  readonly port: number;
  /** Kafka's SecurityProtocol id; 0 = PLAINTEXT. */
  readonly securityProtocol: number;
}

/** A broker (re)registers: a new incarnation, fenced until it has caught up with the metadata log. */
export interface RegisterBrokerRecord {
  readonly type: 'RegisterBrokerRecord';
  readonly brokerId: number;
  /** A random id per process start; a different one means the broker restarted. */
  readonly incarnationId: string;
  readonly endPoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

export interface UnregisterBrokerRecord {
  readonly type: 'UnregisterBrokerRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface FenceBrokerRecord {
  readonly type: 'FenceBrokerRecord';
  readonly id: number;
  readonly epoch: number;
}

export interface UnfenceBrokerRecord {
  readonly type: 'UnfenceBrokerRecord';
  readonly id: number;
  readonly epoch: number;
}

/** A change of a registration; an absent field is unchanged (Kafka: BrokerRegistration*Change.NONE). */
export interface BrokerRegistrationChangeRecord {
  readonly type: 'BrokerRegistrationChangeRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly fenced?: boolean;
  readonly inControlledShutdown?: boolean;
}

export interface TopicRecord {
  readonly type: 'TopicRecord';
  readonly name: string;
  readonly topicId: string;
}

export interface PartitionRecord {
  readonly type: 'PartitionRecord';
  readonly partitionId: number;
  readonly topicId: string;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly leaderRecoveryState: LeaderRecoveryState;
  /** KIP-966: replicas outside the ISR that hold every committed record (absent: none). */
  readonly eligibleLeaderReplicas?: readonly number[];
  /** KIP-966: the last leader, kept while the ISR and ELR are empty (absent: none). */
  readonly lastKnownElr?: readonly number[];
}

/**
 * A change of a partition; absent fields are unchanged. Replaying it bumps the partition epoch; a present
 * `leader` (even the same one) bumps the leader epoch too.
 */
export interface PartitionChangeRecord {
  readonly type: 'PartitionChangeRecord';
  readonly partitionId: number;
  readonly topicId: string;
  readonly isr?: readonly number[];
  readonly leader?: number;
  readonly replicas?: readonly number[];
  readonly leaderRecoveryState?: LeaderRecoveryState;
  readonly eligibleLeaderReplicas?: readonly number[];
  readonly lastKnownElr?: readonly number[];
}

/** A block of producer ids handed to a broker: ids below nextProducerId are taken. */
export interface ProducerIdsRecord {
  readonly type: 'ProducerIdsRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly nextProducerId: number;
}

/** A topic config override; value null removes it. */
export interface ConfigRecord {
  readonly type: 'ConfigRecord';
  readonly resourceType: (typeof ConfigResourceType)['TOPIC'];
  readonly resourceName: string;
  readonly name: string;
  readonly value: string | null;
}

/** Changes nothing. A new active controller appends one and waits for it to commit: then every record of
 *  earlier epochs is committed and replayed, and its state is complete (Kafka's KIP-835 NoOpRecord). */
export interface NoOpRecord {
  readonly type: 'NoOpRecord';
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | UnregisterBrokerRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | BrokerRegistrationChangeRecord
  | TopicRecord
  | PartitionRecord
  | PartitionChangeRecord
  | ProducerIdsRecord
  | ConfigRecord
  | NoOpRecord;

export type MetadataRecordType = MetadataRecord['type'];

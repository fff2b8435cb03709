// AlterPartition (API key 56, KIP-497 / KIP-903). A partition leader asks the active controller to change the
// ISR; the controller accepts it only for the current leader epoch and partition epoch, and only admits a
// replica whose broker is registered, unfenced and at the broker epoch given.
//
//   AlterPartitionRequest  => brokerId brokerEpoch [topics]
//     topics               => topicName [partitions]
//     partitions           => partitionIndex leaderEpoch [newIsrWithEpochs] leaderRecoveryState partitionEpoch
//     newIsrWithEpochs     => brokerId brokerEpoch
//   AlterPartitionResponse => errorCode [topics]
//     topics               => topicName [partitions]
//     partitions           => partitionIndex errorCode leaderId leaderEpoch [isr] leaderRecoveryState partitionEpoch
//
// Errors: FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION (stale partitionEpoch), INELIGIBLE_REPLICA,
// NOT_CONTROLLER, STALE_BROKER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION.

import type { Request, Response } from './envelope.ts';

export interface BrokerIdAndEpoch {
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface AlterPartitionData {
  readonly partitionIndex: number;
  readonly leaderEpoch: number;
  readonly newIsrWithEpochs: readonly BrokerIdAndEpoch[];
  readonly partitionEpoch: number;
}

export interface AlterPartitionRequest extends Request {
  readonly type: 'AlterPartitionRequest';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly topics: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly AlterPartitionData[] }>;
}

export interface AlterPartitionResult {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
}

export interface AlterPartitionResponse extends Response {
  readonly type: 'AlterPartitionResponse';
  readonly errorCode: number;
  readonly topics: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly AlterPartitionResult[] }>;
}

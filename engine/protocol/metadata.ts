// Metadata (API key 3).
//
//   MetadataRequest  => [topics] allowAutoTopicCreation      (topics null = all topics)
//   MetadataResponse => [brokers] clusterId controllerId [topics]
//     brokers        => nodeId host port rack
//     topics         => errorCode name [partitions]
//     partitions     => errorCode partitionIndex leaderId leaderEpoch [replicaNodes] [isrNodes] [offlineReplicas]
//
// In the simulator a broker's address is its node name (`broker-1`), carried in `host`.

import type { Request, Response } from './envelope.ts';

export interface MetadataRequest extends Request {
  readonly type: 'MetadataRequest';
  readonly topics: readonly string[] | null;
  readonly allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface MetadataPartition {
  readonly errorCode: number;
  readonly partitionIndex: number;
  /** -1 when the partition has no leader. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface MetadataTopic {
  readonly errorCode: number;
  readonly name: string;
  readonly partitions: readonly MetadataPartition[];
}

export interface MetadataResponse extends Response {
  readonly type: 'MetadataResponse';
  readonly brokers: readonly MetadataBroker[];
  readonly clusterId: string;
  readonly controllerId: number;
  readonly topics: readonly MetadataTopic[];
}

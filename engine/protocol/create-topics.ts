// CreateTopics (API key 19). Sent by a client to any broker, which forwards it to the active controller.
//
//   CreateTopicsRequest  => [topics] timeoutMs validateOnly
//     topics             => name numPartitions replicationFactor [assignments] [configs]
//     assignments        => partitionIndex [brokerIds]
//     configs            => name value
//   CreateTopicsResponse => [topics]
//     topics             => name errorCode errorMessage numPartitions replicationFactor
//
// numPartitions / replicationFactor -1 take the broker defaults (num.partitions, default.replication.factor).

import type { Request, Response } from './envelope.ts';

export interface CreatableTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: ReadonlyArray<{ readonly partitionIndex: number; readonly brokerIds: readonly number[] }>;
  readonly configs: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

export interface CreateTopicsRequest extends Request {
  readonly type: 'CreateTopicsRequest';
  readonly topics: readonly CreatableTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

export interface CreatableTopicResult {
  readonly name: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

export interface CreateTopicsResponse extends Response {
  readonly type: 'CreateTopicsResponse';
  readonly topics: readonly CreatableTopicResult[];
}

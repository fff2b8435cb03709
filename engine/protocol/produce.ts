// Produce (API key 0).
//
//   ProduceRequest  => acks timeoutMs [topicData]
//     topicData     => topic [partitionData]
//     partitionData => partition records
//   ProduceResponse => [responses]
//     responses     => topic [partitionResponses]
//     partitionResponses => partition errorCode baseOffset logAppendTimeMs logStartOffset errorMessage
//
// acks: 0 (no response is sent), 1 (the leader's append), -1 (all: the high watermark passed the batch while
// the ISR held at least min.insync.replicas).

import type { Request, Response } from './envelope.ts';

export type Acks = -1 | 0 | 1;

export interface ProducePartitionData {
  readonly partition: number;
  /** One or more RecordBatch v2, as the producer encoded them (baseOffset 0, the leader assigns offsets). */
  readonly records: Uint8Array;
}

export interface ProduceTopicData {
  readonly topic: string;
  readonly partitions: readonly ProducePartitionData[];
}

export interface ProduceRequest extends Request {
  readonly type: 'ProduceRequest';
  readonly acks: Acks;
  readonly timeoutMs: number;
  readonly topicData: readonly ProduceTopicData[];
}

export interface ProducePartitionResponse {
  readonly partition: number;
  readonly errorCode: number;
  /** Offset of the first record appended, or -1 on error. */
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  readonly errorMessage: string | null;
}

export interface ProduceTopicResponse {
  readonly topic: string;
  readonly partitions: readonly ProducePartitionResponse[];
}

export interface ProduceResponse extends Response {
  readonly type: 'ProduceResponse';
  readonly responses: readonly ProduceTopicResponse[];
}

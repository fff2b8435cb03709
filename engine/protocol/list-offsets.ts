// ListOffsets (API key 2).
//
//   ListOffsetsRequest  => replicaId isolationLevel [topics]
//     topics            => name [partitions]
//     partitions        => partitionIndex currentLeaderEpoch timestamp
//   ListOffsetsResponse => [topics]
//     topics            => name [partitions]
//     partitions        => partitionIndex errorCode timestamp offset leaderEpoch
//
// timestamp -2 asks for the earliest offset (log start), -1 for the latest (the high watermark for a
// consumer), otherwise the first offset whose timestamp is at or after it.

import type { Request, Response } from './envelope.ts';

export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface ListOffsetsPartition {
  readonly partitionIndex: number;
  readonly currentLeaderEpoch: number;
  readonly timestamp: number;
}

export interface ListOffsetsRequest extends Request {
  readonly type: 'ListOffsetsRequest';
  readonly replicaId: number;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly ListOffsetsPartition[] }>;
}

export interface ListOffsetsPartitionResponse {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly timestamp: number;
  readonly offset: number;
  readonly leaderEpoch: number;
}

export interface ListOffsetsResponse extends Response {
  readonly type: 'ListOffsetsResponse';
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly ListOffsetsPartitionResponse[] }>;
}

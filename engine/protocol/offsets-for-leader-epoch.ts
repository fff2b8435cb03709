// OffsetsForLeaderEpoch (API key 23), KIP-101 / KIP-279 / KIP-320.
//
//   OffsetsForLeaderEpochRequest  => replicaId [topics]
//     topics                      => topic [partitions]
//     partitions                  => partition currentLeaderEpoch leaderEpoch
//   OffsetsForLeaderEpochResponse => [topics]
//     topics                      => topic [partitions]
//     partitions                  => errorCode partition leaderEpoch endOffset
//
// The answer is the largest epoch <= leaderEpoch that the leader knows and the end offset of that epoch
// (the start offset of the next one, or the log end offset for the latest epoch). A consumer uses it to
// validate its position after a leader change and to detect truncation.

import type { Request, Response } from './envelope.ts';

export interface OffsetForLeaderPartition {
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly leaderEpoch: number;
}

export interface OffsetsForLeaderEpochRequest extends Request {
  readonly type: 'OffsetsForLeaderEpochRequest';
  readonly replicaId: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly OffsetForLeaderPartition[] }>;
}

export interface EpochEndOffsetResponse {
  readonly errorCode: number;
  readonly partition: number;
  /** -1 with endOffset -1 when the leader knows no epoch <= the one asked. */
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

export interface OffsetsForLeaderEpochResponse extends Response {
  readonly type: 'OffsetsForLeaderEpochResponse';
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly EpochEndOffsetResponse[] }>;
}

// Fetch (API key 1), for followers and consumers.
//
//   FetchRequest   => replicaId replicaEpoch maxWaitMs minBytes maxBytes isolationLevel [topics]
//     topics       => topic [partitions]
//     partitions   => partition currentLeaderEpoch fetchOffset lastFetchedEpoch logStartOffset partitionMaxBytes
//   FetchResponse  => errorCode [responses]
//     responses    => topic [partitions]
//     partitions   => partition errorCode highWatermark lastStableOffset logStartOffset divergingEpoch
//                     currentLeader records
//     divergingEpoch => epoch endOffset          (KIP-320: the follower truncates to endOffset, then refetches)
//     currentLeader  => leaderId leaderEpoch     (KIP-595/KIP-951 hint after NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH)
//
// replicaId is -1 for a consumer (who reads only up to the high watermark) and the broker id for a follower.
// lastFetchedEpoch is the epoch of the follower's last batch; currentLeaderEpoch fences stale leaders and
// stale fetchers (FENCED_LEADER_EPOCH if older than the leader's, UNKNOWN_LEADER_EPOCH if newer).

import type { Request, Response } from './envelope.ts';

export const CONSUMER_REPLICA_ID = -1;

export interface FetchPartition {
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  /** Epoch of the fetcher's last appended batch, or -1. */
  readonly lastFetchedEpoch: number;
  readonly logStartOffset: number;
  readonly partitionMaxBytes: number;
}

export interface FetchTopic {
  readonly topic: string;
  readonly partitions: readonly FetchPartition[];
}

export interface FetchRequest extends Request {
  readonly type: 'FetchRequest';
  readonly replicaId: number;
  /** The follower's broker epoch (KIP-380), -1 for consumers. */
  readonly replicaEpoch: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly topics: readonly FetchTopic[];
}

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export interface LeaderIdAndEpoch {
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export interface FetchPartitionResponse {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** Set when the fetcher's log diverges from the leader's (KIP-320). */
  readonly divergingEpoch: EpochEndOffset | null;
  readonly currentLeader: LeaderIdAndEpoch | null;
  /** Whole batches from fetchOffset on; empty when nothing is readable. */
  readonly records: Uint8Array;
}

export interface FetchTopicResponse {
  readonly topic: string;
  readonly partitions: readonly FetchPartitionResponse[];
}

export interface FetchResponse extends Response {
  readonly type: 'FetchResponse';
  readonly errorCode: number;
  readonly responses: readonly FetchTopicResponse[];
}

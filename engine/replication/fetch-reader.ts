// Reading the partitions of one FetchRequest from the local replicas (Kafka's ReplicaManager.readFromLog).
//
// Byte limits as Kafka's: each partition gets at most its partitionMaxBytes and the response at most the
// request's maxBytes, except that the first batch of the first partition with data comes back whole even when
// larger, so a consumer or follower can never be stuck behind a big batch.

import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { FetchPartitionResponse, FetchRequest, FetchTopicResponse, LeaderIdAndEpoch } from '../protocol/fetch.ts';
import type { Partition } from './partition.ts';

export interface PartitionLookup {
  /** The replica hosted here, or the error code to answer for a partition that is not. */
  lookup(topic: string, partition: number): Partition | number;
  /** The leader as the metadata says, for errors that send the fetcher elsewhere. */
  leaderHint(topic: string, partition: number): LeaderIdAndEpoch | null;
}

export interface FetchReadResult {
  readonly responses: FetchTopicResponse[];
  /** Record bytes read. */
  readonly bytes: number;
  /** Some partition answered an error or a diverging epoch: the fetch must not wait. */
  readonly mustAnswer: boolean;
  /** What the network charges for the response. */
  readonly sizeBytes: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads every partition of `request`. `updateFollowers` is true on the request's first read only: a
 * follower's fetch offset tells the leader its log end once, when the request arrives.
 */
export function readFetch(request: FetchRequest, replicas: PartitionLookup, updateFollowers: boolean): FetchReadResult {
  const responses: FetchTopicResponse[] = [];
  let bytes = 0;
  let entries = 0;
  let mustAnswer = false;
  let remaining = request.maxBytes;
  for (const topic of request.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const fetch of topic.partitions) {
      entries++;
      const found = replicas.lookup(topic.topic, fetch.partition);
      if (typeof found === 'number') {
        mustAnswer = true;
        partitions.push(errorEntry(fetch.partition, found, replicas.leaderHint(topic.topic, fetch.partition)));
        continue;
      }
      const limit = Math.max(0, Math.min(fetch.partitionMaxBytes, remaining));
      const read = found.readAsLeader(fetch, request.replicaId, request.replicaEpoch, limit, updateFollowers, bytes === 0);
      if (read.errorCode !== ErrorCode.NONE || read.divergingEpoch !== null) mustAnswer = true;
      const hint = read.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || read.errorCode === ErrorCode.FENCED_LEADER_EPOCH
        ? replicas.leaderHint(topic.topic, fetch.partition) : null;
      partitions.push({
        partition: fetch.partition,
        errorCode: read.errorCode,
        highWatermark: read.highWatermark,
        lastStableOffset: read.highWatermark,
        logStartOffset: read.logStartOffset,
        divergingEpoch: read.divergingEpoch,
        currentLeader: hint,
        records: read.records,
      });
      bytes += read.records.length;
      remaining -= read.records.length;
    }
    responses.push({ topic: topic.topic, partitions });
  }
  return { responses, bytes, mustAnswer, sizeBytes: HEADER_BYTES + entries * PARTITION_ENTRY_BYTES + bytes };
}

/**
 * A cheap look before a waiting fetch reads again: true if some partition has data past its fetch offset (the
 * log end for a follower, the high watermark for a consumer) or must answer something else (it is no longer
 * led here, or under another epoch). Reading every partition of the request on every append would cost
 * O(partitions) per append.
 */
export function fetchMayComplete(request: FetchRequest, replicas: PartitionLookup): boolean {
  const isFollower = request.replicaId >= 0;
  for (const topic of request.topics) {
    for (const fetch of topic.partitions) {
      const found = replicas.lookup(topic.topic, fetch.partition);
      if (typeof found === 'number' || !found.isLeader || found.checkLeaderEpoch(fetch.currentLeaderEpoch) !== ErrorCode.NONE) return true;
      const end = isFollower ? found.logEndOffset : found.highWatermark;
      if (end > fetch.fetchOffset || fetch.fetchOffset > found.logEndOffset || fetch.fetchOffset < found.logStartOffset) return true;
    }
  }
  return false;
}

function errorEntry(partition: number, errorCode: number, leader: LeaderIdAndEpoch | null): FetchPartitionResponse {
  return { partition, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, divergingEpoch: null, currentLeader: leader, records: EMPTY };
}

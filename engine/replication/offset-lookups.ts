// Offset lookups a partition leader answers: ListOffsets and OffsetsForLeaderEpoch.

import { ErrorCode } from '../protocol/errors.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol/list-offsets.ts';
import type { Partition } from './partition.ts';

export interface TimestampLookup {
  readonly errorCode: number;
  readonly timestamp: number;
  readonly offset: number;
  readonly leaderEpoch: number;
}

/**
 * ListOffsets as leader: EARLIEST (-2) is the log start; LATEST (-1) the high watermark for a consumer and
 * the log end for a replica; otherwise the first offset whose timestamp is at or after `timestamp` (a
 * consumer sees only offsets below the high watermark; none found is offset -1). A consumer gets
 * OFFSET_NOT_AVAILABLE while a new leader's high watermark is still below the start of its epoch (KIP-207):
 * it would otherwise see the end move backwards.
 */
export function fetchOffsetForTimestamp(partition: Partition, timestamp: number, currentLeaderEpoch: number, fromReplica: boolean): TimestampLookup {
  const none = (errorCode: number): TimestampLookup => ({ errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 });
  if (!partition.isLeader) return none(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const epochError = partition.checkLeaderEpoch(currentLeaderEpoch);
  if (epochError !== ErrorCode.NONE) return none(epochError);
  const hw = partition.highWatermark;
  if (!fromReplica && hw < partition.leaderEpochStartOffset) return none(ErrorCode.OFFSET_NOT_AVAILABLE);
  const log = partition.log;
  const cache = log.leaderEpochCache;
  const epochOf = (offset: number): number => cache.epochForOffset(offset) ?? -1;
  if (timestamp === EARLIEST_TIMESTAMP) return { errorCode: ErrorCode.NONE, timestamp: -1, offset: log.logStartOffset, leaderEpoch: epochOf(log.logStartOffset) };
  if (timestamp === LATEST_TIMESTAMP) {
    return { errorCode: ErrorCode.NONE, timestamp: -1, offset: fromReplica ? log.logEndOffset : hw, leaderEpoch: cache.latestEpoch() ?? -1 };
  }
  if (timestamp < 0) return none(ErrorCode.INVALID_REQUEST);
  const found = log.offsetForTimestamp(timestamp);
  if (found === undefined || (!fromReplica && found.offset >= hw)) return none(ErrorCode.NONE);
  return { errorCode: ErrorCode.NONE, timestamp: found.timestamp, offset: found.offset, leaderEpoch: epochOf(found.offset) };
}

/** OffsetsForLeaderEpoch as leader: the largest epoch <= `epoch` in this log and where it ends. */
export function lastOffsetForLeaderEpoch(partition: Partition, currentLeaderEpoch: number, epoch: number): { errorCode: number; leaderEpoch: number; endOffset: number } {
  if (!partition.isLeader) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, leaderEpoch: -1, endOffset: -1 };
  const epochError = partition.checkLeaderEpoch(currentLeaderEpoch);
  if (epochError !== ErrorCode.NONE) return { errorCode: epochError, leaderEpoch: -1, endOffset: -1 };
  const end = partition.log.endOffsetForEpoch(epoch);
  return { errorCode: ErrorCode.NONE, leaderEpoch: end.epoch, endOffset: end.endOffset };
}

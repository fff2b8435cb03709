// What a consumer hands its owner: records, truncations it detected, errors it cannot handle alone.

import type { ErrorName } from '../protocol/errors.ts';
import type { RecordHeader } from '../records/batch.ts';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ConsumedRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  /** The leader epoch the record was appended in (its batch's partitionLeaderEpoch). */
  readonly leaderEpoch: number;
  readonly headers: readonly RecordHeader[];
}

/** Records of one partition from one fetch, in offset order, each past the previous position. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The leader's high watermark in that fetch answer (for lag). */
  readonly highWatermark: number;
}

/**
 * The leader's log no longer holds what the consumer read (KIP-320): the position was past the end of the
 * consumer's last epoch on the current leader. Records the consumer saw from `endOffset` on are gone from
 * the log (unless endOffset is -1: the leader knows nothing of that epoch, the divergence point is unknown).
 */
export interface TruncationEvent {
  readonly topic: string;
  readonly partition: number;
  /** The consumer's position when validated, and the epoch of the record before it. */
  readonly position: number;
  readonly positionEpoch: number;
  /** The leader's end offset for positionEpoch (the divergence point), -1 if unknown. */
  readonly endOffset: number;
  readonly endEpoch: number;
  /** Where reading resumes: the divergence point, a reset to earliest/latest, or nowhere (auto.offset.reset=none). */
  readonly resumeFrom: number | 'earliest' | 'latest' | 'none';
}

/** Why a partition stopped being read until a seek(), or a transient problem worth telling. */
export type ConsumerErrorName =
  | ErrorName
  | `UNKNOWN_CODE_${number}`
  /** No position and auto.offset.reset=none (Kafka's NoOffsetForPartitionException). */
  | 'NO_OFFSET_FOR_PARTITION'
  /** Truncation detected with auto.offset.reset=none (Kafka's LogTruncationException). */
  | 'LOG_TRUNCATION';

export interface ConsumerErrorEvent {
  readonly topic: string;
  readonly partition: number;
  readonly error: ConsumerErrorName;
  /** True when the partition is stopped until seek(); false for errors the consumer retries by itself. */
  readonly fatal: boolean;
  readonly message: string;
}

/** The position moved by auto.offset.reset (no position yet, or OFFSET_OUT_OF_RANGE): reading resumes at offset. */
export interface PositionResetEvent {
  readonly topic: string;
  readonly partition: number;
  readonly strategy: 'earliest' | 'latest';
  readonly offset: number;
}

export interface ConsumerListener {
  /** Records fetched, in order; the harness records each call as a poll. */
  onRecords(batch: ConsumedBatch): void;
  onTruncation?(event: TruncationEvent): void;
  /** A reset by auto.offset.reset moved the position (a harness records it as a seek). */
  onPositionReset?(event: PositionResetEvent): void;
  onError?(event: ConsumerErrorEvent): void;
}

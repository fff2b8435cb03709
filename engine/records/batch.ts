// RecordBatch v2: the shapes that go in and come out, and the codec's entry points.
//
// encodeBatch writes one batch into one pre-sized buffer; decodeBatch verifies the CRC and every structural
// length and returns records whose keys and values are views into the input (or into the decompressed
// records when the batch is compressed). readBatches walks concatenated batches, as a log read returns them.

import type { BatchHeader, CompressionType, TimestampType } from './batch-header.ts';

export { encodeBatch } from './encode-batch.ts';
export { decodeBatch } from './decode-batch.ts';
export { readBatches, readBatchHeaders } from './read-batches.ts';

export { NO_PARTITION_LEADER_EPOCH, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, NO_TIMESTAMP } from './batch-header.ts';

export interface RecordHeader {
  key: string;
  value: Uint8Array | null;
}

/** A decoded record, with its absolute offset and timestamp. */
export interface KafkaRecord {
  offset: number;
  /** baseTimestamp + timestampDelta, or the batch's maxTimestamp under LogAppendTime. */
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** Shared and frozen when the record has none (most do not). */
  headers: readonly RecordHeader[];
}

export interface RecordInput {
  key?: Uint8Array | null;
  value?: Uint8Array | null;
  /** Defaults to BatchInput.timestamp, then NO_TIMESTAMP. */
  timestamp?: number;
  headers?: readonly RecordHeader[];
  /** Defaults to the record's index. Strictly increasing; gaps are how a compacted batch keeps its offsets. */
  offsetDelta?: number;
}

export interface BatchInput {
  /** Default 0: a producer's batch gets its offsets from the leader (setBaseOffset). */
  baseOffset?: number;
  /** Default NO_PARTITION_LEADER_EPOCH (-1). */
  partitionLeaderEpoch?: number;
  /** Default NO_PRODUCER_ID (-1). */
  producerId?: number;
  /** Default NO_PRODUCER_EPOCH (-1). */
  producerEpoch?: number;
  /** Default NO_SEQUENCE (-1). */
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Default 'CreateTime'. */
  timestampType?: TimestampType;
  /** Default 'none'. */
  compression?: 'none' | 'gzip';
  /** Timestamp of records that carry none; default NO_TIMESTAMP. Also the batch timestamps of an empty batch. */
  timestamp?: number;
  /** Default: the last record's offsetDelta (0 for an empty batch). */
  lastOffsetDelta?: number;
  records: readonly RecordInput[];
}

export interface DecodedBatch extends BatchHeader {
  records: KafkaRecord[];
}

export type { BatchHeader, CompressionType, TimestampType };

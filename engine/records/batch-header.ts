// The fixed 61-byte header of a Kafka RecordBatch v2, read and stamped in place.
//
// Layout (big-endian), offsets from the start of the batch:
//    0 baseOffset int64          12 partitionLeaderEpoch int32   16 magic int8 (= 2)
//    8 batchLength int32         17 crc uint32 (CRC-32C of bytes 21 .. end of batch)
//   21 attributes int16          23 lastOffsetDelta int32        27 baseTimestamp int64
//   35 maxTimestamp int64        43 producerId int64             51 producerEpoch int16
//   53 baseSequence int32        57 recordCount int32            61 records ...
// baseOffset, batchLength and partitionLeaderEpoch lie outside the CRC: the leader stamps offsets and epoch on
// append without recomputing it. A flipped bit there is caught only structurally (see readBatchHeader).

import { COMPRESSION_BY_ID, COMPRESSION_MASK, CONTROL_MASK, DELETE_HORIZON_MASK, TIMESTAMP_TYPE_MASK, TRANSACTIONAL_MASK } from './attributes.ts';
import type { CompressionType, TimestampType } from './attributes.ts';
import { assertInt32, assertSafeInt64, readInt16, readInt32, readInt64, readInt8, readUint32, writeInt16, writeInt32, writeInt64 } from './big-endian.ts';
import { crc32c } from './crc32c.ts';
import { CorruptRecordError } from './errors.ts';

export type { CompressionType, TimestampType } from './attributes.ts';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** Bytes of the fixed header, from baseOffset to the first record. */
export const BATCH_HEADER_BYTES = 61;
/** baseOffset int64 + batchLength int32: the bytes not counted in batchLength. */
export const LOG_OVERHEAD_BYTES = 12;
/** The smallest legal batchLength: a header with no records. */
export const MIN_BATCH_LENGTH = BATCH_HEADER_BYTES - LOG_OVERHEAD_BYTES;
export const CURRENT_MAGIC = 2;

/** Kafka's "no timestamp": what a record gets when neither it nor its batch input names a time. */
export const NO_TIMESTAMP = -1;
/** Kafka's "no producer id / epoch / sequence" (a non-idempotent producer). */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
/** What a producer writes into partitionLeaderEpoch; the leader stamps its epoch on append. */
export const NO_PARTITION_LEADER_EPOCH = -1;

export interface BatchHeader {
  baseOffset: number;
  /** Bytes after the batchLength field. */
  batchLength: number;
  /** LOG_OVERHEAD_BYTES + batchLength: the whole batch on disk. */
  sizeBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Stored CRC-32C, unsigned. */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  /** KIP-534: baseTimestamp holds the delete horizon of a compacted batch with tombstones. */
  hasDeleteHorizon: boolean;
}

/**
 * Reads the size of the batch at `position` (LOG_OVERHEAD_BYTES + batchLength) without parsing the rest, or
 * -1 if fewer than LOG_OVERHEAD_BYTES bytes remain. No validation: for scanners that re-check with
 * readBatchHeader.
 */
export function peekBatchSize(bytes: Uint8Array, position: number): number {
  if (bytes.length - position < LOG_OVERHEAD_BYTES) return -1;
  return LOG_OVERHEAD_BYTES + readInt32(bytes, position + BATCH_LENGTH_OFFSET);
}

/**
 * Parses the 61-byte header of the batch at `position`. Checks, in this order:
 *  - SHORT_BUFFER: fewer than 12 bytes remain (no batchLength to read);
 *  - BAD_LENGTH: batchLength < 49 (cannot hold a header);
 *  - TRUNCATED_BATCH: the batch announced by batchLength runs past the end of `bytes` (a torn tail, or a
 *    corrupted batchLength: a length is outside the CRC, so only such structure catches a flip there);
 *  - BAD_MAGIC: magic != 2;
 *  - BAD_ATTRIBUTES: compression codec id 5..7;
 *  - UNSAFE_INTEGER: an int64 field (or baseOffset + lastOffsetDelta) beyond ±(2^53-1).
 * The CRC is NOT verified here: call verifyBatchCrc (decodeBatch always does).
 */
export function readBatchHeader(bytes: Uint8Array, position: number): BatchHeader {
  const remaining = bytes.length - position;
  if (position < 0 || remaining < LOG_OVERHEAD_BYTES) {
    throw new CorruptRecordError('SHORT_BUFFER', position, `need ${LOG_OVERHEAD_BYTES} bytes for baseOffset and batchLength, ${Math.max(remaining, 0)} remain`);
  }
  const batchLength = readInt32(bytes, position + BATCH_LENGTH_OFFSET);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new CorruptRecordError('BAD_LENGTH', position + BATCH_LENGTH_OFFSET, `batchLength ${batchLength} is below the ${MIN_BATCH_LENGTH} bytes of a header`);
  }
  const sizeBytes = LOG_OVERHEAD_BYTES + batchLength;
  if (sizeBytes > remaining) {
    throw new CorruptRecordError('TRUNCATED_BATCH', position, `batch announces ${sizeBytes} bytes, only ${remaining} remain in the buffer`);
  }
  const magic = readInt8(bytes, position + MAGIC_OFFSET);
  if (magic !== CURRENT_MAGIC) {
    throw new CorruptRecordError('BAD_MAGIC', position + MAGIC_OFFSET, `magic is ${magic}, only RecordBatch v2 (magic 2) is supported`);
  }
  const attributes = readInt16(bytes, position + ATTRIBUTES_OFFSET);
  const compression = COMPRESSION_BY_ID[attributes & COMPRESSION_MASK];
  if (compression === undefined) {
    throw new CorruptRecordError('BAD_ATTRIBUTES', position + ATTRIBUTES_OFFSET, `unknown compression codec id ${attributes & COMPRESSION_MASK} in attributes 0x${(attributes & 0xffff).toString(16)}`);
  }
  const baseOffset = readInt64(bytes, position + BASE_OFFSET_OFFSET);
  const lastOffsetDelta = readInt32(bytes, position + LAST_OFFSET_DELTA_OFFSET);
  if (!Number.isSafeInteger(baseOffset + lastOffsetDelta)) {
    throw new CorruptRecordError('UNSAFE_INTEGER', position, `lastOffset ${baseOffset} + ${lastOffsetDelta} is outside ±(2^53-1)`);
  }
  return {
    baseOffset,
    batchLength,
    sizeBytes,
    partitionLeaderEpoch: readInt32(bytes, position + PARTITION_LEADER_EPOCH_OFFSET),
    magic,
    crc: readUint32(bytes, position + CRC_OFFSET),
    attributes,
    lastOffsetDelta,
    lastOffset: baseOffset + lastOffsetDelta,
    baseTimestamp: readInt64(bytes, position + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: readInt64(bytes, position + MAX_TIMESTAMP_OFFSET),
    producerId: readInt64(bytes, position + PRODUCER_ID_OFFSET),
    producerEpoch: readInt16(bytes, position + PRODUCER_EPOCH_OFFSET),
    baseSequence: readInt32(bytes, position + BASE_SEQUENCE_OFFSET),
    recordCount: readInt32(bytes, position + RECORD_COUNT_OFFSET),
    compression,
    timestampType: (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    isControl: (attributes & CONTROL_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_MASK) !== 0,
  };
}

/** CRC-32C over attributes .. end of batch, as stored in the crc field (unsigned). */
export function computeBatchCrc(bytes: Uint8Array, position: number, sizeBytes: number): number {
  return crc32c(bytes.subarray(position + ATTRIBUTES_OFFSET, position + sizeBytes));
}

/** True when the stored CRC matches the bytes from attributes to the end of the batch. */
export function verifyBatchCrc(bytes: Uint8Array, position: number, header: BatchHeader): boolean {
  return computeBatchCrc(bytes, position, header.sizeBytes) === header.crc;
}

/** Stamps baseOffset in place (outside the CRC region: the CRC stays valid). */
export function setBaseOffset(bytes: Uint8Array, position: number, baseOffset: number): void {
  assertSafeInt64('baseOffset', baseOffset);
  writeInt64(bytes, position + BASE_OFFSET_OFFSET, baseOffset);
}

/** Stamps partitionLeaderEpoch in place (outside the CRC region: the CRC stays valid). */
export function setPartitionLeaderEpoch(bytes: Uint8Array, position: number, epoch: number): void {
  assertInt32('partitionLeaderEpoch', epoch);
  writeInt32(bytes, position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
}

/**
 * Sets the timestamp type bit and maxTimestamp, then recomputes the CRC (both fields are inside it). This is
 * what a broker does for message.timestamp.type=LogAppendTime: every record of the batch then reads as
 * maxTimestamp. The batch must be whole at `position` (checked via readBatchHeader).
 */
export function setMaxTimestampAndType(bytes: Uint8Array, position: number, timestampType: TimestampType, maxTimestamp: number): void {
  assertSafeInt64('maxTimestamp', maxTimestamp);
  const header = readBatchHeader(bytes, position);
  const attributes = timestampType === 'LogAppendTime' ? header.attributes | TIMESTAMP_TYPE_MASK : header.attributes & ~TIMESTAMP_TYPE_MASK;
  writeInt16(bytes, position + ATTRIBUTES_OFFSET, attributes);
  writeInt64(bytes, position + MAX_TIMESTAMP_OFFSET, maxTimestamp);
  writeInt32(bytes, position + CRC_OFFSET, computeBatchCrc(bytes, position, header.sizeBytes));
}

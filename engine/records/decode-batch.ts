// Decoding a RecordBatch v2, trusting nothing.
//
// Order of checks: the header (readBatchHeader: lengths, magic, attributes), then the CRC over attributes ..
// end (so every later field is as the writer wrote it; a consumer with check.crcs=false skips it, as Kafka's
// does, and then reads whatever the bytes say), then the records: each record's length must fit the
// batch, each field its record, and exactly `recordCount` records must fill the records section
// (COUNT_MISMATCH when the section ends early, TRAILING_BYTES when bytes remain). Keys and values are
// subarray views, never copies, into `bytes` (or into the decompressed section of a gzip batch).
//
// Outside the CRC lie baseOffset, batchLength and partitionLeaderEpoch. A flip in batchLength is caught
// structurally (TRUNCATED_BATCH or BAD_LENGTH, or CRC_MISMATCH because the CRC then covers other bytes). A flip
// in baseOffset or partitionLeaderEpoch cannot be told from a legal value by the batch alone (the leader stamps
// both without recomputing the CRC): decodeBatch returns the batch as stamped, except a negative or unsafe
// baseOffset, which is BAD_OFFSET / UNSAFE_INTEGER. The log catches the rest by offset continuity.

import { ATTRIBUTES_OFFSET, BATCH_HEADER_BYTES, computeBatchCrc, readBatchHeader } from './batch-header.ts';
import type { BatchHeader } from './batch-header.ts';
import type { DecodedBatch, KafkaRecord, RecordHeader } from './batch.ts';
import { decompressRecords } from './compression.ts';
import { CorruptRecordError } from './errors.ts';
import { readUtf8 } from './utf8.ts';
import { readVarint, readVarlong } from './varint.ts';
import type { Cursor } from './varint.ts';

/** A read position plus what views into the data need, looked up once per batch. */
interface RecordCursor extends Cursor {
  readonly arrayBuffer: ArrayBufferLike;
  readonly byteOffset: number;
}

/** The smallest record: length, attributes, timestampDelta, offsetDelta, key, value, headerCount: 1 byte each. */
const MIN_RECORD_BYTES = 7;
/** The smallest record body (after its length varint). */
const MIN_RECORD_BODY_BYTES = MIN_RECORD_BYTES - 1;
/** The headers of a record without any: one frozen array for all of them. */
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

/**
 * Decodes the batch at `position`: header, CRC (verified unless `verifyCrc` is false), records. Throws
 * CorruptRecordError.
 */
export function decodeBatch(bytes: Uint8Array, position = 0, verifyCrc = true): DecodedBatch {
  const header = readBatchHeader(bytes, position);
  if (verifyCrc) {
    const computedCrc = computeBatchCrc(bytes, position, header.sizeBytes);
    if (computedCrc !== header.crc) {
      throw new CorruptRecordError('CRC_MISMATCH', position, `stored CRC-32C 0x${header.crc.toString(16)} but bytes ${position + ATTRIBUTES_OFFSET}..${position + header.sizeBytes} give 0x${computedCrc.toString(16)}`);
    }
  }
  if (header.baseOffset < 0) {
    throw new CorruptRecordError('BAD_OFFSET', position, `baseOffset ${header.baseOffset} is negative`);
  }
  if (header.lastOffsetDelta < 0) {
    throw new CorruptRecordError('BAD_OFFSET', position, `lastOffsetDelta ${header.lastOffsetDelta} is negative`);
  }
  if (header.recordCount < 0) {
    throw new CorruptRecordError('COUNT_MISMATCH', position, `record count ${header.recordCount} is negative`);
  }
  const sectionStart = position + BATCH_HEADER_BYTES;
  const sectionEnd = position + header.sizeBytes;
  if (header.compression === 'none') return withRecords(header, readRecords(bytes, sectionStart, sectionEnd, header));
  const section = decompressRecords(header.compression, bytes.subarray(sectionStart, sectionEnd), sectionStart);
  try {
    return withRecords(header, readRecords(section, 0, section.length, header));
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    throw new CorruptRecordError(error.reason, position, `in the ${header.compression}-decompressed records, byte ${error.position}: ${error.detail}`);
  }
}

/** The header object becomes the decoded batch (it is fresh from readBatchHeader): no copy of its fields. */
function withRecords(header: BatchHeader, records: KafkaRecord[]): DecodedBatch {
  (header as { records?: KafkaRecord[] }).records = records;
  return header as DecodedBatch;
}

function badRecord(position: number, detail: string): CorruptRecordError {
  return new CorruptRecordError('BAD_RECORD', position, detail);
}

/** Reads `header.recordCount` records filling data[start, end) exactly. */
function readRecords(data: Uint8Array, start: number, end: number, header: BatchHeader): KafkaRecord[] {
  const count = header.recordCount;
  if (count > (end - start) / MIN_RECORD_BYTES) {
    throw new CorruptRecordError('COUNT_MISMATCH', start, `record count ${count} cannot fit in a records section of ${end - start} bytes`);
  }
  const { baseOffset, baseTimestamp, lastOffsetDelta } = header;
  const logAppendTime = header.timestampType === 'LogAppendTime' ? header.maxTimestamp : undefined;
  const records: KafkaRecord[] = [];
  const cursor: RecordCursor = { position: start, arrayBuffer: data.buffer, byteOffset: data.byteOffset };
  let previousOffsetDelta = -1;
  for (let i = 0; i < count; i++) {
    const recordStart = cursor.position;
    if (recordStart >= end) {
      throw new CorruptRecordError('COUNT_MISMATCH', recordStart, `header declares ${count} records but the records section ends after ${i}`);
    }
    const length = readVarint(data, cursor, end);
    const bodyStart = cursor.position;
    if (length < MIN_RECORD_BODY_BYTES || length > end - bodyStart) {
      throw badRecord(recordStart, `record ${i} declares ${length} bytes, but ${end - bodyStart} remain in the batch and a record takes at least ${MIN_RECORD_BODY_BYTES}`);
    }
    const recordEnd = bodyStart + length;
    cursor.position = bodyStart + 1; // record attributes: unused by Kafka
    const timestampDelta = readVarlong(data, cursor, recordEnd);
    const offsetDelta = readVarint(data, cursor, recordEnd);
    if (offsetDelta <= previousOffsetDelta || offsetDelta > lastOffsetDelta) {
      throw new CorruptRecordError('BAD_OFFSET', recordStart, `record ${i} has offsetDelta ${offsetDelta}; deltas must rise strictly from ${previousOffsetDelta} up to lastOffsetDelta ${lastOffsetDelta}`);
    }
    previousOffsetDelta = offsetDelta;
    const key = readNullableBytes(data, cursor, recordEnd, 'key');
    const value = readNullableBytes(data, cursor, recordEnd, 'value');
    const headers = readHeaders(data, cursor, recordEnd);
    if (cursor.position !== recordEnd) {
      throw new CorruptRecordError('TRAILING_BYTES', cursor.position, `record ${i} declares ${length} bytes but its fields end ${recordEnd - cursor.position} bytes early`);
    }
    const timestamp = logAppendTime ?? baseTimestamp + timestampDelta;
    if (!Number.isSafeInteger(timestamp)) {
      throw new CorruptRecordError('UNSAFE_INTEGER', recordStart, `record ${i} timestamp ${baseTimestamp} + ${timestampDelta} is outside ±(2^53-1)`);
    }
    records.push({ offset: baseOffset + offsetDelta, timestamp, key, value, headers });
  }
  if (cursor.position !== end) {
    throw new CorruptRecordError('TRAILING_BYTES', cursor.position, `${end - cursor.position} bytes follow the ${count} records the header declares`);
  }
  return records;
}

function readNullableBytes(data: Uint8Array, cursor: RecordCursor, recordEnd: number, field: string): Uint8Array | null {
  const fieldStart = cursor.position;
  const length = readVarint(data, cursor, recordEnd);
  if (length === -1) return null;
  const start = cursor.position;
  if (length < -1 || length > recordEnd - start) {
    throw badRecord(fieldStart, `${field} length ${length} is not -1 (null) nor within the ${recordEnd - start} bytes left in the record`);
  }
  cursor.position = start + length;
  // A view, not a copy; the constructor is about twice as fast as subarray and always gives a plain Uint8Array.
  return new Uint8Array(cursor.arrayBuffer, cursor.byteOffset + start, length);
}

function readHeaders(data: Uint8Array, cursor: RecordCursor, recordEnd: number): readonly RecordHeader[] {
  const countStart = cursor.position;
  const count = readVarint(data, cursor, recordEnd);
  if (count === 0) return NO_HEADERS;
  // Each header takes at least 2 bytes (key length, value length).
  if (count < 0 || count > (recordEnd - cursor.position) / 2) {
    throw badRecord(countStart, `header count ${count} is negative or cannot fit in the ${recordEnd - cursor.position} bytes left in the record`);
  }
  const headers: RecordHeader[] = [];
  for (let h = 0; h < count; h++) {
    const keyStart = cursor.position;
    const keyLength = readVarint(data, cursor, recordEnd);
    const start = cursor.position;
    if (keyLength < 0 || keyLength > recordEnd - start) {
      throw badRecord(keyStart, `header ${h} key length ${keyLength} is negative (Kafka has no null header keys) or past the record's end`);
    }
    cursor.position = start + keyLength;
    const key = readUtf8(data, start, start + keyLength);
    headers.push({ key, value: readNullableBytes(data, cursor, recordEnd, `header ${h} value`) });
  }
  return headers;
}

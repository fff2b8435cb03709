// The leader's timestamp checks on produced batches (Kafka's LogValidator.validateTimestamp).
//
// With message.timestamp.type=CreateTime every record's timestamp must lie within
// [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms] of the leader's clock; one
// record outside refuses the whole append with INVALID_TIMESTAMP. A record without a timestamp (-1) is not
// checked. A batch the producer marked LogAppendTime is refused (only the broker stamps that), except that
// under CreateTime Kafka reads its records' timestamp as the batch's maxTimestamp and range-checks that.
// A bound of Long.MAX_VALUE is no bound.
//
// Kafka checks record by record, so this walks each record's timestampDelta (uncompressed: without decoding
// keys and values; compressed: by decoding the batch). Kafka verifies the CRC first; here a batch is
// CRC-checked only once it is found out of range, so that a corrupted batch is still refused as
// CORRUPT_MESSAGE while a valid one pays no second CRC pass.

import { ErrorCode } from '../protocol/errors.ts';
import { BATCH_HEADER_BYTES, NO_TIMESTAMP, verifyBatchCrc } from '../records/batch-header.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { decodeBatch } from '../records/decode-batch.ts';
import { CorruptRecordError } from '../records/errors.ts';
import { readVarint, readVarlong } from '../records/varint.ts';
import type { Cursor } from '../records/varint.ts';
import { appendRefused } from './append-checks.ts';
import type { LeaderAppendResult } from './append-checks.ts';
import { LONG_MAX } from '../log/log-config.ts';
import type { PartitionSettings } from './replication-config.ts';

/**
 * INVALID_TIMESTAMP (or CORRUPT_MESSAGE) for the first batch of `records` the topic's timestamp rules refuse,
 * undefined when every batch passes. `headers` are the batches' headers, in order.
 */
export function checkTimestamps(records: Uint8Array, headers: readonly BatchHeader[], settings: PartitionSettings, nowMs: number): LeaderAppendResult | undefined {
  const now = Math.floor(nowMs); // Kafka's clock reads whole milliseconds; simulated time is fractional
  const createTime = settings.timestampType === 'CreateTime';
  const before = settings.timestampBeforeMaxMs;
  const after = settings.timestampAfterMaxMs;
  const bounded = createTime && (before < LONG_MAX || after < LONG_MAX);
  let position = 0;
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    if (bounded || header.timestampType === 'LogAppendTime') {
      let problem: string | undefined;
      try {
        problem = batchProblem(records, position, header, createTime, before, after, now);
      } catch (error) {
        if (error instanceof CorruptRecordError) return appendRefused(ErrorCode.CORRUPT_MESSAGE, error.message);
        throw error;
      }
      if (problem !== undefined) {
        if (!verifyBatchCrc(records, position, header)) {
          return appendRefused(ErrorCode.CORRUPT_MESSAGE, `batch ${index}: CRC mismatch (stored 0x${header.crc.toString(16)})`);
        }
        return appendRefused(ErrorCode.INVALID_TIMESTAMP, `batch ${index}: ${problem}`);
      }
    }
    position += header.sizeBytes;
  }
  return undefined;
}

function batchProblem(records: Uint8Array, position: number, header: BatchHeader, createTime: boolean, before: number, after: number, nowMs: number): string | undefined {
  if (header.timestampType === 'LogAppendTime') {
    if (!createTime || header.maxTimestamp === NO_TIMESTAMP) {
      return 'the producer marked it LogAppendTime; only the broker stamps LogAppendTime, a producer sends CreateTime';
    }
    return rangeProblem(header.maxTimestamp, 0, before, after, nowMs);
  }
  if (header.compression !== 'none') {
    const batch = decodeBatch(records, position);
    for (let i = 0; i < batch.records.length; i++) {
      const problem = rangeProblem(batch.records[i]!.timestamp, i, before, after, nowMs);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  // The records section, read only as far as each record's timestampDelta (length, attributes, delta).
  const end = position + header.sizeBytes;
  const cursor: Cursor = { position: position + BATCH_HEADER_BYTES };
  for (let i = 0; i < header.recordCount && cursor.position < end; i++) {
    const length = readVarint(records, cursor, end);
    const bodyStart = cursor.position;
    if (length < 2 || length > end - bodyStart) {
      throw new CorruptRecordError('BAD_RECORD', bodyStart, `record ${i} declares ${length} bytes, ${end - bodyStart} remain in the batch`);
    }
    cursor.position = bodyStart + 1; // record attributes: unused by Kafka
    const timestamp = header.baseTimestamp + readVarlong(records, cursor, bodyStart + length);
    const problem = rangeProblem(timestamp, i, before, after, nowMs);
    if (problem !== undefined) return problem;
    cursor.position = bodyStart + length;
  }
  return undefined;
}

function rangeProblem(timestamp: number, index: number, before: number, after: number, nowMs: number): string | undefined {
  if (timestamp === NO_TIMESTAMP) return undefined;
  const behind = nowMs - timestamp;
  if (before < LONG_MAX && behind > before) {
    return `record ${index} has CreateTime ${timestamp}, ${behind} ms behind the leader's clock (${nowMs}): more than ` +
      `message.timestamp.before.max.ms=${before} allows`;
  }
  if (after < LONG_MAX && -behind > after) {
    return `record ${index} has CreateTime ${timestamp}, ${-behind} ms ahead of the leader's clock (${nowMs}): more than ` +
      `message.timestamp.after.max.ms=${after} allows`;
  }
  return undefined;
}

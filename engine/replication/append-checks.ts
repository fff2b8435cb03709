// What a leader checks and stamps on produced batches before its log takes them, and how refusals become
// Kafka error codes.

import { LogAppendError, LogNotAvailableError } from '../log/log-errors.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { readBatchHeader, setMaxTimestampAndType, verifyBatchCrc } from '../records/batch-header.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { CorruptRecordError } from '../records/errors.ts';
import { DiskError } from '../runtime.ts';

export interface LeaderAppendResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** Offsets of the appended (or, for a duplicate, the original) batches; -1 on error. */
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly logAppendTimeMs: number;
  /** The batch was a duplicate of an earlier one: nothing was appended. */
  readonly duplicate: boolean;
  /** Set when this append started an fsync (flush.messages reached): the answer waits for flushedOffset to pass it. */
  readonly flushTarget: number | undefined;
}

export function appendRefused(errorCode: number, errorMessage: string): LeaderAppendResult {
  return { errorCode, errorMessage, firstOffset: -1, lastOffset: -1, logAppendTimeMs: -1, duplicate: false, flushTarget: undefined };
}

/** The answer for an error thrown by the log's append; anything else is a bug and is rethrown. */
export function appendFailure(error: unknown): LeaderAppendResult {
  if (error instanceof LogAppendError) {
    const code = error.code === 'OFFSET_OUT_OF_ORDER' || error.code === 'UNEXPECTED_APPEND_OFFSET' ? ErrorCode.INVALID_RECORD : ErrorCode[error.code];
    return appendRefused(code, error.message);
  }
  if (error instanceof CorruptRecordError) return appendRefused(ErrorCode.CORRUPT_MESSAGE, error.message);
  if (error instanceof LogNotAvailableError || error instanceof DiskError) return appendRefused(ErrorCode.KAFKA_STORAGE_ERROR, error.message);
  throw error;
}

/** Every batch header of `records` (throws CorruptRecordError on a malformed one). */
export function readHeaders(records: Uint8Array): BatchHeader[] {
  const headers: BatchHeader[] = [];
  let position = 0;
  while (position < records.length) {
    const header = readBatchHeader(records, position);
    headers.push(header);
    position += header.sizeBytes;
  }
  return headers;
}

/**
 * message.timestamp.type=LogAppendTime: every batch takes the broker's clock, in whole milliseconds as Kafka's
 * (simulated time is fractional). The CRC is recomputed, so it is checked first: a corrupted batch must not
 * come out with a valid CRC.
 */
export function stampLogAppendTime(records: Uint8Array, headers: readonly BatchHeader[], nowMs: number): void {
  const timestamp = Math.floor(nowMs);
  let position = 0;
  for (const header of headers) {
    if (!verifyBatchCrc(records, position, header)) throw new CorruptRecordError('CRC_MISMATCH', position, `CRC mismatch (stored 0x${header.crc.toString(16)})`);
    setMaxTimestampAndType(records, position, 'LogAppendTime', timestamp);
    position += header.sizeBytes;
  }
}

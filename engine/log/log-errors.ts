// Typed errors of a partition log. Each carries what its handler needs; codes use Kafka's error names so the
// broker can answer a request with the matching protocol error.

/** A read or a lookup asked for an offset outside [logStartOffset, logEndOffset]. Kafka: OFFSET_OUT_OF_RANGE. */
export class OffsetOutOfRangeError extends Error {
  override readonly name = 'OffsetOutOfRangeError';
  readonly code = 'OFFSET_OUT_OF_RANGE';
  constructor(
    readonly offset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
    readonly partitionDir: string,
  ) {
    super(`offset ${offset} is out of range for ${partitionDir}: the log holds [${logStartOffset}, ${logEndOffset})`);
  }
}

export type LogAppendErrorCode =
  /** A batch is structurally broken or its CRC does not match (Kafka: CORRUPT_MESSAGE). */
  | 'CORRUPT_MESSAGE'
  /** A batch is larger than max.message.bytes (Kafka: MESSAGE_TOO_LARGE). */
  | 'MESSAGE_TOO_LARGE'
  /** The append holds no batch at all (Kafka: INVALID_RECORD). */
  | 'INVALID_RECORD'
  /** A follower's first batch starts below the log end (Kafka: UnexpectedAppendOffsetException). */
  | 'UNEXPECTED_APPEND_OFFSET'
  /** A follower's later batches do not rise (Kafka: OffsetsOutOfOrderException). */
  | 'OFFSET_OUT_OF_ORDER'
  /** A leader append with an epoch older than the log's latest (Kafka: FENCED_LEADER_EPOCH). */
  | 'FENCED_LEADER_EPOCH';

/** An append was refused; the log is unchanged. */
export class LogAppendError extends Error {
  override readonly name = 'LogAppendError';
  constructor(
    readonly code: LogAppendErrorCode,
    readonly partitionDir: string,
    /** Byte position in the appended buffer of the batch at fault. */
    readonly position: number,
    detail: string,
  ) {
    super(`append to ${partitionDir} refused (${code}) at byte ${position} of the request: ${detail}`);
  }
}

/** The log was closed, or went offline after a disk error (Kafka: KAFKA_STORAGE_ERROR). */
export class LogNotAvailableError extends Error {
  override readonly name = 'LogNotAvailableError';
  readonly code = 'KAFKA_STORAGE_ERROR';
  constructor(
    readonly partitionDir: string,
    readonly reason: string,
  ) {
    super(`log ${partitionDir} is not available: ${reason}`);
  }
}

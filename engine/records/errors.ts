// Typed errors of the RecordBatch codec.
//
// A decoder facing bytes from a disk or a network must never crash with a RangeError nor hand back a wrong
// record: every way bytes can be malformed maps to one CorruptRecordError with a reason a caller can branch
// on (the log truncates a torn tail on TRUNCATED_BATCH / SHORT_BUFFER, and treats the rest as corruption).
// Bad *inputs* to the encoder (an unsafe integer offset, a too-large batch) are InvalidRecordInputError:
// that is a programming error of the caller, not corrupt data.

/** Why bytes are not a valid RecordBatch v2. */
export type CorruptionReason =
  /** Fewer than LOG_OVERHEAD_BYTES (12) bytes remain: not even baseOffset + batchLength can be read. */
  | 'SHORT_BUFFER'
  /** batchLength is readable, but the batch it announces runs past the end of the buffer (a torn tail). */
  | 'TRUNCATED_BATCH'
  /** batchLength is smaller than the fixed header (49 bytes after the length field) or otherwise absurd. */
  | 'BAD_LENGTH'
  /** The magic byte is not 2: an older message format or garbage. */
  | 'BAD_MAGIC'
  /** The stored CRC-32C does not match the bytes from attributes to the end of the batch. */
  | 'CRC_MISMATCH'
  /** Unknown bits or an unknown compression codec id in attributes. */
  | 'BAD_ATTRIBUTES'
  /** A varint runs past its bound, is longer than 5 (varint) / 10 (varlong) bytes, or overflows. */
  | 'BAD_VARINT'
  /** A record's own structure is wrong: negative lengths other than -1, a field running past the record. */
  | 'BAD_RECORD'
  /** The compressed records section does not decompress. */
  | 'BAD_COMPRESSION'
  /** The codec (snappy, lz4, zstd) is valid Kafka but not implemented here. */
  | 'UNSUPPORTED_COMPRESSION'
  /** The header's record count differs from the records actually present, or is negative. */
  | 'COUNT_MISMATCH'
  /** Bytes are left inside the batch (or inside a record) after the last field was read. */
  | 'TRAILING_BYTES'
  /** baseOffset or lastOffsetDelta is negative, or record offsetDeltas do not rise strictly up to lastOffsetDelta. */
  | 'BAD_OFFSET'
  /** An int64 field (offset, timestamp, producer id) lies outside JavaScript's safe integer range. */
  | 'UNSAFE_INTEGER';

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';

  /**
   * @param reason   what is wrong, for callers to branch on
   * @param position absolute byte position in the buffer handed to the decoder where the problem was found
   * @param detail   the facts a person needs: expected vs found values
   */
  constructor(
    readonly reason: CorruptionReason,
    readonly position: number,
    readonly detail: string,
  ) {
    super(`corrupt record batch (${reason}) at byte ${position}: ${detail}`);
  }
}

/** The encoder was given something it cannot write as RecordBatch v2. */
export class InvalidRecordInputError extends Error {
  override readonly name = 'InvalidRecordInputError';

  constructor(
    /** The input field at fault, e.g. `baseOffset`, `records[3].timestamp`. */
    readonly field: string,
    detail: string,
  ) {
    super(`cannot encode record batch: ${field} ${detail}`);
  }
}

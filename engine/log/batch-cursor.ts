// Walks the batches of a segment file through a window of bytes read from the disk.
//
// Reading batch by batch would make a read call per header. A cursor reads one window (sized for the caller:
// a fetch's maxBytes, a megabyte for recovery) and re-reads only when a batch runs past its end. Batches
// handed out are views into the window, and the window is what Disk.read returns (in the simulator a view
// of its page cache, not a copy), so a read result copies nothing.

import type { Disk } from '../runtime.ts';
import { BATCH_HEADER_BYTES, LAST_OFFSET_DELTA_OFFSET, LOG_OVERHEAD_BYTES, peekBatchSize, readBatchHeader } from '../records/batch-header.ts';
import { readInt32, readInt64 } from '../records/big-endian.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { CorruptRecordError } from '../records/errors.ts';

const EMPTY = new Uint8Array(0);

export interface CursorBatch {
  readonly header: BatchHeader;
  /** The window holding the batch; the batch is bytes[at, at + header.sizeBytes). */
  readonly bytes: Uint8Array;
  readonly at: number;
  /** Position of the batch in the file. */
  readonly position: number;
}

/** The few header fields a walk needs, read without checking the batch. */
export interface BatchPeek {
  readonly position: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly sizeBytes: number;
}

/** A BatchPeek a walk overwrites batch after batch: one object per walk rather than one per batch. */
export class PeekSlot implements BatchPeek {
  position = 0;
  baseOffset = 0;
  lastOffset = 0;
  sizeBytes = 0;
}

export class BatchCursor {
  private window: Uint8Array = EMPTY;
  private windowStart = 0;

  constructor(
    private readonly disk: Disk,
    private readonly path: string,
    /** Bytes of the file that may be read (its size, or less). */
    readonly endPosition: number,
    private readonly windowBytes: number,
  ) {}

  /**
   * The batch at `position`, or a CorruptRecordError when the bytes there are not a whole batch header
   * (SHORT_BUFFER / TRUNCATED_BATCH: the file ends inside it; BAD_LENGTH, BAD_MAGIC, ...). The CRC is not
   * checked: see verifyBatchCrc.
   */
  batchAt(position: number): CursorBatch | CorruptRecordError {
    if (position + LOG_OVERHEAD_BYTES > this.endPosition) {
      return new CorruptRecordError('SHORT_BUFFER', position, `${this.endPosition - position} bytes left in ${this.path}, need ${LOG_OVERHEAD_BYTES}`);
    }
    this.ensure(position, LOG_OVERHEAD_BYTES);
    let at = position - this.windowStart;
    const sizeBytes = peekBatchSize(this.window, at);
    if (sizeBytes > LOG_OVERHEAD_BYTES && position + sizeBytes <= this.endPosition) {
      this.ensure(position, sizeBytes);
      at = position - this.windowStart;
    }
    try {
      const header = readBatchHeader(this.window, at);
      return { header, bytes: this.window, at, position };
    } catch (error) {
      if (error instanceof CorruptRecordError) return error;
      throw error;
    }
  }

  /**
   * Offsets and size of the batch at `position` from its first bytes only (no magic, CRC or record checks),
   * or undefined if no plausible batch header is there (the file ends inside it, a length below a header's).
   * For walking a log that recovery has already validated.
   */
  peek(position: number): BatchPeek | undefined {
    const slot = new PeekSlot();
    return this.peekInto(position, slot) ? slot : undefined;
  }

  /** peek() into `slot`; false (slot unchanged) where peek() gives undefined. */
  peekInto(position: number, slot: PeekSlot): boolean {
    if (position + BATCH_HEADER_BYTES > this.endPosition) return false;
    this.ensure(position, BATCH_HEADER_BYTES);
    const at = position - this.windowStart;
    const sizeBytes = peekBatchSize(this.window, at);
    if (sizeBytes < BATCH_HEADER_BYTES || position + sizeBytes > this.endPosition) return false;
    try {
      const baseOffset = readInt64(this.window, at);
      slot.lastOffset = baseOffset + readInt32(this.window, at + LAST_OFFSET_DELTA_OFFSET);
      slot.baseOffset = baseOffset;
      slot.position = position;
      slot.sizeBytes = sizeBytes;
      return true;
    } catch (error) {
      if (error instanceof CorruptRecordError) return false;
      throw error;
    }
  }

  /** A view of file bytes [start, end), read if the window does not hold them. */
  slice(start: number, end: number): Uint8Array {
    if (end <= start) return EMPTY;
    this.ensure(start, end - start);
    return this.window.subarray(start - this.windowStart, end - this.windowStart);
  }

  /** Makes the window cover [position, position + length), clipped to endPosition (windows never pass it). */
  private ensure(position: number, length: number): void {
    const wanted = Math.min(length, this.endPosition - position);
    const windowEnd = this.windowStart + this.window.length;
    if (position >= this.windowStart && position + wanted <= windowEnd) return;
    const readLength = Math.min(Math.max(length, this.windowBytes), this.endPosition - position);
    this.window = this.disk.read(this.path, position, readLength);
    this.windowStart = position;
  }
}

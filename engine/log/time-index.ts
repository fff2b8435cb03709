// A segment's time index: `<baseOffset>.timeindex`.
//
// Each entry is 12 bytes, big-endian: a timestamp (int64) and an offset relative to the segment's base
// (int32). An entry (t, o) means: the largest timestamp among the batches up to offset o is t. Entries are
// added next to offset index entries, and only when the segment's largest timestamp has grown, so both
// columns rise. When a segment stops being active its final (largest timestamp, offset) is appended, so the
// last entry always tells the segment's newest timestamp (which time-based retention reads).
//
// As with the offset index, the entries are mirrored in memory; "full" is floor(segment.index.bytes / 12).

import type { Disk } from '../runtime.ts';
import { readInt32, writeInt32, writeInt64 } from '../records/big-endian.ts';
import { invariant } from '../invariants.ts';

export const TIME_INDEX_ENTRY_BYTES = 12;
/** Kafka's "no timestamp": the last entry of an empty time index. */
export const NO_TIMESTAMP = -1;
const INT32_MAX = 2147483647;
const TWO_POW_32 = 4294967296;

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

export class TimeIndex {
  private timestamps: Float64Array;
  private relativeOffsets: Int32Array;
  private count: number;
  readonly maxEntries: number;
  /** While rebuilding, entries stay in memory until rewriteFile() writes them all. */
  private rebuilding = false;
  private readonly entryBytes = new Uint8Array(TIME_INDEX_ENTRY_BYTES);

  private constructor(
    private readonly disk: Disk,
    readonly path: string,
    readonly baseOffset: number,
    maxIndexBytes: number,
    timestamps: Float64Array,
    relativeOffsets: Int32Array,
    count: number,
  ) {
    this.maxEntries = Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_BYTES);
    this.timestamps = timestamps;
    this.relativeOffsets = relativeOffsets;
    this.count = count;
  }

  static create(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number): TimeIndex {
    if (disk.exists(path)) disk.truncate(path, 0);
    else disk.create(path);
    return new TimeIndex(disk, path, baseOffset, maxIndexBytes, new Float64Array(16), new Int32Array(16), 0);
  }

  /** An empty index to be rebuilt: nothing touches the file until rewriteFile() replaces it. */
  static forRebuild(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number): TimeIndex {
    const index = new TimeIndex(disk, path, baseOffset, maxIndexBytes, new Float64Array(16), new Int32Array(16), 0);
    index.rebuilding = true;
    return index;
  }

  /** Loads an existing time index, or undefined if it is missing or fails the sanity check. */
  static load(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number): TimeIndex | undefined {
    if (!disk.exists(path)) return undefined;
    const sizeBytes = disk.size(path);
    if (sizeBytes % TIME_INDEX_ENTRY_BYTES !== 0) return undefined;
    const count = sizeBytes / TIME_INDEX_ENTRY_BYTES;
    const bytes = disk.read(path, 0, sizeBytes);
    if (bytes.length !== sizeBytes) return undefined;
    const capacity = Math.max(16, count);
    const timestamps = new Float64Array(capacity);
    const relativeOffsets = new Int32Array(capacity);
    for (let i = 0; i < count; i++) {
      const at = i * TIME_INDEX_ENTRY_BYTES;
      const high = readInt32(bytes, at);
      const timestamp = high * TWO_POW_32 + (readInt32(bytes, at + 4) >>> 0);
      const relative = readInt32(bytes, at + 8);
      if (!Number.isSafeInteger(timestamp) || timestamp < 0 || relative < 0) return undefined;
      if (i > 0 && (timestamp <= timestamps[i - 1] || relative < relativeOffsets[i - 1])) return undefined;
      timestamps[i] = timestamp;
      relativeOffsets[i] = relative;
    }
    return new TimeIndex(disk, path, baseOffset, maxIndexBytes, timestamps, relativeOffsets, count);
  }

  get entries(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.count * TIME_INDEX_ENTRY_BYTES;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** The last entry, or (NO_TIMESTAMP, baseOffset) when there is none. */
  lastEntry(): TimestampOffset {
    if (this.count === 0) return { timestamp: NO_TIMESTAMP, offset: this.baseOffset };
    return this.entry(this.count - 1);
  }

  entry(index: number): TimestampOffset {
    invariant(index >= 0 && index < this.count, 'index-entry-exists', this.path, index, this.count);
    return { timestamp: this.timestamps[index], offset: this.baseOffset + this.relativeOffsets[index] };
  }

  /**
   * Appends (timestamp, offset) if the timestamp is above the last entry's; otherwise nothing changes.
   * `force` skips the full check: the final entry of a segment that stops being active always fits.
   */
  maybeAppend(timestamp: number, offset: number, force = false): void {
    const last = this.lastEntry();
    if (timestamp <= last.timestamp) return;
    invariant(force || !this.isFull(), 'index-entry-exists', this.path, this.count, this.count);
    const relative = offset - this.baseOffset;
    invariant(relative >= 0 && relative <= INT32_MAX && (this.count === 0 || offset >= last.offset), 'index-entries-rise', this.path, offset, timestamp, last.offset);
    if (this.count === this.timestamps.length) this.grow();
    this.timestamps[this.count] = timestamp;
    this.relativeOffsets[this.count] = relative;
    this.count++;
    if (this.rebuilding) return;
    const bytes = this.entryBytes;
    writeInt64(bytes, 0, timestamp);
    writeInt32(bytes, 8, relative);
    this.disk.append(this.path, bytes);
  }

  /** The entry with the largest timestamp <= `targetTimestamp`, or (NO_TIMESTAMP, baseOffset) if none. */
  lookup(targetTimestamp: number): TimestampOffset {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.timestamps[middle] <= targetTimestamp) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found < 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(found);
  }

  /** Replaces the file by a new one holding the current entries (see OffsetIndex.rewriteFile). */
  rewriteFile(): void {
    if (this.disk.exists(this.path)) this.disk.delete(this.path);
    this.disk.create(this.path);
    const bytes = new Uint8Array(this.count * TIME_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) {
      writeInt64(bytes, i * TIME_INDEX_ENTRY_BYTES, this.timestamps[i]);
      writeInt32(bytes, i * TIME_INDEX_ENTRY_BYTES + 8, this.relativeOffsets[i]);
    }
    if (bytes.length > 0) this.disk.write(this.path, 0, bytes);
    this.rebuilding = false;
  }

  /** Starts over, empty, in memory only: the file is left alone until rewriteFile(). */
  beginRebuild(): void {
    this.count = 0;
    this.rebuilding = true;
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: number): void {
    const relative = offset - this.baseOffset;
    let keep = this.count;
    while (keep > 0 && this.relativeOffsets[keep - 1] >= relative) keep--;
    if (keep === this.count) return;
    this.count = keep;
    this.disk.truncate(this.path, keep * TIME_INDEX_ENTRY_BYTES);
  }

  private grow(): void {
    const timestamps = new Float64Array(this.timestamps.length * 2);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
    const relativeOffsets = new Int32Array(this.relativeOffsets.length * 2);
    relativeOffsets.set(this.relativeOffsets);
    this.relativeOffsets = relativeOffsets;
  }
}

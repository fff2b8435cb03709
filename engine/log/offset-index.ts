// A segment's sparse offset index: `<baseOffset>.index`.
//
// Each entry is 8 bytes, big-endian: the offset relative to the segment's base (int32) and the byte position
// in the `.log` file (int32) of a batch. An entry (o, p) means: the batch at position p ends at offset o, so
// any offset above o lies in a batch at p or later. The log adds one every index.interval.bytes of batches,
// which keeps the index small (an entry per 4 KiB) and a read's scan short.
//
// Kafka memory-maps this file and preallocates it to segment.index.bytes; here the file grows by one small
// append per entry and the entries are mirrored in typed arrays, which plays the part of the mapping:
// lookups never touch the disk. "Full" is the same as Kafka's: floor(segment.index.bytes / 8) entries.

import type { Disk } from '../runtime.ts';
import { readInt32, writeInt32 } from '../records/big-endian.ts';
import { invariant } from '../invariants.ts';

export const OFFSET_INDEX_ENTRY_BYTES = 8;
const INT32_MAX = 2147483647;

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

export class OffsetIndex {
  private relativeOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  /** Most entries this index may hold (segment.index.bytes / 8). */
  readonly maxEntries: number;
  /** While rebuilding, entries stay in memory until rewriteFile() writes them all. */
  private rebuilding = false;
  private readonly entryBytes = new Uint8Array(OFFSET_INDEX_ENTRY_BYTES);

  private constructor(
    private readonly disk: Disk,
    readonly path: string,
    readonly baseOffset: number,
    maxIndexBytes: number,
    relativeOffsets: Int32Array,
    positions: Int32Array,
    count: number,
  ) {
    this.maxEntries = Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_BYTES);
    this.relativeOffsets = relativeOffsets;
    this.positions = positions;
    this.count = count;
  }

  /** A new empty index file (an existing file at `path` is emptied). */
  static create(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number): OffsetIndex {
    if (disk.exists(path)) disk.truncate(path, 0);
    else disk.create(path);
    return new OffsetIndex(disk, path, baseOffset, maxIndexBytes, new Int32Array(16), new Int32Array(16), 0);
  }

  /** An empty index to be rebuilt: nothing touches the file until rewriteFile() replaces it. */
  static forRebuild(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number): OffsetIndex {
    const index = new OffsetIndex(disk, path, baseOffset, maxIndexBytes, new Int32Array(16), new Int32Array(16), 0);
    index.rebuilding = true;
    return index;
  }

  /**
   * Loads an existing index, or returns undefined if it is missing or fails the sanity check (a size that is
   * not a whole number of entries, offsets or positions that do not rise, a position past the log's end):
   * the caller then rebuilds it from the log.
   */
  static load(disk: Disk, path: string, baseOffset: number, maxIndexBytes: number, logSizeBytes: number): OffsetIndex | undefined {
    if (!disk.exists(path)) return undefined;
    const sizeBytes = disk.size(path);
    if (sizeBytes % OFFSET_INDEX_ENTRY_BYTES !== 0) return undefined;
    const count = sizeBytes / OFFSET_INDEX_ENTRY_BYTES;
    const bytes = disk.read(path, 0, sizeBytes);
    if (bytes.length !== sizeBytes) return undefined;
    const capacity = Math.max(16, count);
    const relativeOffsets = new Int32Array(capacity);
    const positions = new Int32Array(capacity);
    for (let i = 0; i < count; i++) {
      const relative = readInt32(bytes, i * OFFSET_INDEX_ENTRY_BYTES);
      const position = readInt32(bytes, i * OFFSET_INDEX_ENTRY_BYTES + 4);
      if (relative < 0 || position < 0 || position >= logSizeBytes) return undefined;
      if (i > 0 && (relative <= relativeOffsets[i - 1] || position <= positions[i - 1])) return undefined;
      relativeOffsets[i] = relative;
      positions[i] = position;
    }
    return new OffsetIndex(disk, path, baseOffset, maxIndexBytes, relativeOffsets, positions, count);
  }

  get entries(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.count * OFFSET_INDEX_ENTRY_BYTES;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** The last entry, or (baseOffset, 0) when there is none. */
  lastEntry(): OffsetPosition {
    if (this.count === 0) return { offset: this.baseOffset, position: 0 };
    return this.entry(this.count - 1);
  }

  entry(index: number): OffsetPosition {
    invariant(index >= 0 && index < this.count, 'index-entry-exists', this.path, index, this.count);
    return { offset: this.baseOffset + this.relativeOffsets[index], position: this.positions[index] };
  }

  /** Adds (offset, position); both must be above the last entry's. */
  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    const last = this.count - 1;
    const rises = last < 0 || (relative > this.relativeOffsets[last] && position > this.positions[last]);
    invariant(rises && relative >= 0 && relative <= INT32_MAX && position >= 0 && position <= INT32_MAX, 'index-entries-rise', this.path,
      offset, position, last < 0 ? this.baseOffset : this.baseOffset + this.relativeOffsets[last]);
    if (this.count === this.relativeOffsets.length) this.grow();
    this.relativeOffsets[this.count] = relative;
    this.positions[this.count] = position;
    this.count++;
    if (this.rebuilding) return;
    const bytes = this.entryBytes;
    writeInt32(bytes, 0, relative);
    writeInt32(bytes, 4, position);
    this.disk.append(this.path, bytes);
  }

  /** The entry with the largest offset <= `targetOffset`, or (baseOffset, 0) if there is none. */
  lookup(targetOffset: number): OffsetPosition {
    const relative = targetOffset - this.baseOffset;
    const slot = this.largestAtMost(this.relativeOffsets, relative);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(slot);
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: number): void {
    const keep = this.largestAtMost(this.relativeOffsets, offset - this.baseOffset - 1) + 1;
    this.truncateToEntries(keep);
  }

  /** Removes every entry whose position is >= `position`. */
  truncateToPosition(position: number): void {
    const keep = this.largestAtMost(this.positions, position - 1) + 1;
    this.truncateToEntries(keep);
  }

  /**
   * Replaces the file by a new one holding the current entries (delete + create: metadata the disk journals,
   * so until that commits a crash finds the old file untouched, never a half-changed one).
   */
  rewriteFile(): void {
    if (this.disk.exists(this.path)) this.disk.delete(this.path);
    this.disk.create(this.path);
    const bytes = new Uint8Array(this.count * OFFSET_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) {
      writeInt32(bytes, i * OFFSET_INDEX_ENTRY_BYTES, this.relativeOffsets[i]);
      writeInt32(bytes, i * OFFSET_INDEX_ENTRY_BYTES + 4, this.positions[i]);
    }
    if (bytes.length > 0) this.disk.write(this.path, 0, bytes);
    this.rebuilding = false;
  }

  /** Starts over, empty, in memory only: the file is left alone until rewriteFile(). */
  beginRebuild(): void {
    this.count = 0;
    this.rebuilding = true;
  }

  private truncateToEntries(keep: number): void {
    if (keep >= this.count) return;
    this.count = keep;
    this.disk.truncate(this.path, keep * OFFSET_INDEX_ENTRY_BYTES);
  }

  /** Index of the last slot whose value is <= target (values rise strictly), or -1. */
  private largestAtMost(values: Int32Array, target: number): number {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (values[middle] <= target) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  private grow(): void {
    const relativeOffsets = new Int32Array(this.relativeOffsets.length * 2);
    relativeOffsets.set(this.relativeOffsets);
    this.relativeOffsets = relativeOffsets;
    const positions = new Int32Array(this.positions.length * 2);
    positions.set(this.positions);
    this.positions = positions;
  }
}

// One segment of a partition log: `<baseOffset>.log` with its `.index` and `.timeindex`.
//
// The `.log` file is nothing but RecordBatch v2 batches back to back, exactly as producers and followers sent
// them (with offsets and leader epoch stamped by the leader). The segment keeps in memory what Kafka's
// LogSegment keeps: its size, its largest timestamp so far and that batch's offset, the bytes appended since
// the last index entry, and when it was created (for segment.ms).

import type { Disk, DiskError } from '../runtime.ts';
import { BATCH_HEADER_BYTES, verifyBatchCrc } from '../records/batch-header.ts';
import { decodeBatch } from '../records/batch.ts';
import { CorruptRecordError } from '../records/errors.ts';
import type { AppendedBatches } from './append-validation.ts';
import { BatchCursor, PeekSlot } from './batch-cursor.ts';
import type { BatchPeek, CursorBatch } from './batch-cursor.ts';
import { DELETED_FILE_SUFFIX, indexFileName, joinPath, logFileName, timeIndexFileName } from './file-names.ts';
import type { LeaderEpochCache } from './leader-epoch-cache.ts';
import type { LogConfig } from './log-config.ts';
import { invariant, invariantWith } from '../invariants.ts';
import { OffsetIndex } from './offset-index.ts';
import { NO_TIMESTAMP, TimeIndex } from './time-index.ts';
import type { TimestampOffset } from './time-index.ts';

const INT32_MAX = 2147483647;
const RECOVERY_WINDOW_BYTES = 1024 * 1024;
const WALK_WINDOW_BYTES = 64 * 1024;
const EMPTY = new Uint8Array(0);

export interface RollCheck {
  readonly messagesSizeBytes: number;
  readonly maxTimestampInMessages: number;
  readonly maxOffsetInMessages: number;
  readonly nowMs: number;
}

export interface SegmentReadResult {
  /** Whole batches, a view of what was read from the file. */
  readonly bytes: Uint8Array;
  /** Base offset of the first batch returned. */
  readonly firstOffset: number;
  /** One past the last offset returned (the startOffset asked for when nothing was returned). */
  readonly nextOffset: number;
}

export interface SegmentRecovery {
  /** Bytes cut from the end of the file: the first invalid batch and everything after it. */
  readonly truncatedBytes: number;
  /** One past the last valid batch's last offset; undefined if the scan found no valid batch. */
  readonly nextOffset: number | undefined;
  /** Why the scan stopped before the end of the file, if it did. */
  readonly corruption: string | undefined;
}

export class LogSegment {
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;
  /** Largest batch maxTimestamp so far (NO_TIMESTAMP if none), and the last offset of the batch that had it. */
  maxTimestampSoFar = NO_TIMESTAMP;
  offsetOfMaxTimestampSoFar: number;
  /** Simulated time the segment was created or loaded (segment.ms falls back to it, as Kafka's does). */
  createdMs: number;
  /** Simulated time of the last append (retention.ms falls back to it when batches carry no timestamps). */
  lastModifiedMs: number;
  /** Bumped by every change of the segment's files; flush compares it with what the last fsync covered. */
  changeSeq = 1;
  durableSeq = 0;
  private bytesSinceLastIndexEntry = 0;
  /** The first batch's maxTimestamp, which segment.ms counts from; null until read, -1 if none. */
  private rollingBasedTimestamp: number | null = null;

  private constructor(
    private readonly disk: Disk,
    readonly dir: string,
    readonly baseOffset: number,
    private readonly config: LogConfig,
    public sizeBytes: number,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    nowMs: number,
  ) {
    this.logPath = joinPath(dir, logFileName(baseOffset));
    this.indexPath = offsetIndex.path;
    this.timeIndexPath = timeIndex.path;
    this.offsetOfMaxTimestampSoFar = baseOffset;
    this.createdMs = nowMs;
    this.lastModifiedMs = nowMs;
    const lastTime = timeIndex.lastEntry();
    this.maxTimestampSoFar = lastTime.timestamp;
    this.offsetOfMaxTimestampSoFar = lastTime.offset;
  }

  /** A new, empty segment; its three files must not exist. */
  static create(disk: Disk, dir: string, baseOffset: number, config: LogConfig, nowMs: number): LogSegment {
    const logPath = joinPath(dir, logFileName(baseOffset));
    invariantWith(!disk.exists(logPath), 'log-structure', logPath, () => `segment ${logPath} already exists`);
    disk.create(logPath);
    const offsetIndex = OffsetIndex.create(disk, joinPath(dir, indexFileName(baseOffset)), baseOffset, config.segmentIndexBytes);
    const timeIndex = TimeIndex.create(disk, joinPath(dir, timeIndexFileName(baseOffset)), baseOffset, config.segmentIndexBytes);
    const segment = new LogSegment(disk, dir, baseOffset, config, 0, offsetIndex, timeIndex, nowMs);
    segment.rollingBasedTimestamp = NO_TIMESTAMP;
    return segment;
  }

  /**
   * An existing segment. Its indexes are loaded if they pass the sanity check, else left empty in memory with
   * `indexesRebuilt` set: the caller must then recover the segment, which writes them anew.
   */
  static load(disk: Disk, dir: string, baseOffset: number, config: LogConfig, nowMs: number): { segment: LogSegment; indexesRebuilt: boolean } {
    const logPath = joinPath(dir, logFileName(baseOffset));
    const sizeBytes = disk.size(logPath);
    const indexPath = joinPath(dir, indexFileName(baseOffset));
    const timeIndexPath = joinPath(dir, timeIndexFileName(baseOffset));
    let offsetIndex = OffsetIndex.load(disk, indexPath, baseOffset, config.segmentIndexBytes, sizeBytes);
    let timeIndex = TimeIndex.load(disk, timeIndexPath, baseOffset, config.segmentIndexBytes);
    const indexesRebuilt = offsetIndex === undefined || timeIndex === undefined;
    if (indexesRebuilt) {
      offsetIndex = OffsetIndex.forRebuild(disk, indexPath, baseOffset, config.segmentIndexBytes);
      timeIndex = TimeIndex.forRebuild(disk, timeIndexPath, baseOffset, config.segmentIndexBytes);
    }
    const segment = new LogSegment(disk, dir, baseOffset, config, sizeBytes, offsetIndex as OffsetIndex, timeIndex as TimeIndex, nowMs);
    return { segment, indexesRebuilt };
  }

  /** True when the files have changes no completed fsync covers. */
  get dirty(): boolean {
    return this.durableSeq < this.changeSeq;
  }

  /**
   * Appends validated batches (the whole buffer, in one disk write) and indexes them: an offset index entry
   * (last offset -> position) whenever more than index.interval.bytes were appended since the last one.
   */
  append(bytes: Uint8Array, batches: AppendedBatches, nowMs: number): number {
    const physicalStart = this.disk.append(this.logPath, bytes);
    invariant(physicalStart === this.sizeBytes, 'segment-append-at-end', this.logPath, physicalStart, this.sizeBytes);
    if (this.sizeBytes === 0) this.rollingBasedTimestamp = batches.maxTimestamps[0];
    for (let i = 0; i < batches.count; i++) {
      this.indexBatch(physicalStart + batches.positions[i], batches.lastOffsets[i], batches.maxTimestamps[i], batches.sizes[i]);
    }
    this.sizeBytes += bytes.length;
    this.lastModifiedMs = nowMs;
    this.changeSeq++;
    return physicalStart;
  }

  private indexBatch(position: number, lastOffset: number, maxTimestamp: number, sizeBytes: number): void {
    if (maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = maxTimestamp;
      this.offsetOfMaxTimestampSoFar = lastOffset;
    }
    // A full index only makes lookups scan further; the next append rolls the segment.
    if (this.bytesSinceLastIndexEntry > this.config.indexIntervalBytes && !this.offsetIndex.isFull() && !this.timeIndex.isFull()) {
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += sizeBytes;
  }

  /** Kafka's roll conditions for an append of `check` onto this (active) segment. */
  shouldRoll(check: RollCheck): boolean {
    if (this.sizeBytes > this.config.segmentBytes - check.messagesSizeBytes) return true;
    if (this.sizeBytes > 0 && this.timeWaitedForRollMs(check) > this.config.segmentMs) return true;
    if (this.offsetIndex.isFull() || this.timeIndex.isFull()) return true;
    return check.maxOffsetInMessages - this.baseOffset > INT32_MAX;
  }

  /** Time counts from the first batch's timestamp when batches carry timestamps, else from creation. */
  private timeWaitedForRollMs(check: RollCheck): number {
    if (this.rollingBasedTimestamp === null) this.rollingBasedTimestamp = this.firstBatchMaxTimestamp();
    if (this.rollingBasedTimestamp >= 0) return check.maxTimestampInMessages - this.rollingBasedTimestamp;
    return check.nowMs - this.createdMs;
  }

  private firstBatchMaxTimestamp(): number {
    if (this.sizeBytes === 0) return NO_TIMESTAMP;
    const first = new BatchCursor(this.disk, this.logPath, this.sizeBytes, BATCH_HEADER_BYTES).batchAt(0);
    return first instanceof CorruptRecordError ? NO_TIMESTAMP : first.header.maxTimestamp;
  }

  /** The segment stops being active: its final largest timestamp goes into the time index. */
  onBecomeInactive(): void {
    const before = this.timeIndex.entries;
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
    if (this.timeIndex.entries !== before) this.changeSeq++;
  }

  /** The segment's newest timestamp for retention: the largest batch timestamp, else the last append time. */
  largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0 ? this.maxTimestampSoFar : this.lastModifiedMs;
  }

  /** The first batch whose last offset is >= `offset`, found from the index entry below it; or undefined. */
  translateOffset(offset: number, cursor = this.cursor(WALK_WINDOW_BYTES), slot = new PeekSlot()): BatchPeek | undefined {
    let position = this.offsetIndex.lookup(offset).position;
    while (position < this.sizeBytes) {
      if (!cursor.peekInto(position, slot)) return undefined;
      if (slot.lastOffset >= offset) return slot;
      position += slot.sizeBytes;
    }
    return undefined;
  }

  /**
   * Whole batches from the one holding `startOffset`, up to `maxBytes` (the first batch even if larger, when
   * `minOneBatch`), stopping before any batch whose last offset is >= `maxOffset`. Undefined when the segment
   * holds no batch at or after `startOffset`.
   */
  read(startOffset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): SegmentReadResult | undefined {
    const cursor = this.cursor(this.config.indexIntervalBytes + maxBytes + BATCH_HEADER_BYTES);
    const batch = new PeekSlot();
    if (this.translateOffset(startOffset, cursor, batch) === undefined) return undefined;
    const start = batch.position;
    const firstOffset = batch.baseOffset;
    let end = start;
    let nextOffset = startOffset;
    let more = true;
    while (more && batch.lastOffset < maxOffset) {
      const fits = end - start + batch.sizeBytes <= maxBytes || (minOneBatch && end === start);
      if (!fits) break;
      end += batch.sizeBytes;
      nextOffset = batch.lastOffset + 1;
      more = end < this.sizeBytes && cursor.peekInto(end, batch);
    }
    return { bytes: end > start ? cursor.slice(start, end) : EMPTY, firstOffset, nextOffset };
  }

  /**
   * ListOffsets by timestamp within this segment: the first record at or after `startingOffset` whose
   * timestamp is >= `timestamp`. The time index gives a starting batch; records are decoded only in the batch
   * that holds the answer.
   */
  findOffsetByTimestamp(timestamp: number, startingOffset: number): TimestampOffset | undefined {
    const fromIndex = this.timeIndex.lookup(timestamp);
    let position = this.offsetIndex.lookup(Math.max(fromIndex.offset, startingOffset)).position;
    const cursor = this.cursor(WALK_WINDOW_BYTES);
    while (position < this.sizeBytes) {
      const batch = cursor.batchAt(position);
      if (batch instanceof CorruptRecordError) return undefined;
      const header = batch.header;
      if (header.maxTimestamp >= timestamp && header.lastOffset >= startingOffset) {
        for (const record of decodeBatch(batch.bytes, batch.at).records) {
          if (record.timestamp >= timestamp && record.offset >= startingOffset) return { timestamp: record.timestamp, offset: record.offset };
        }
      }
      position += header.sizeBytes;
    }
    return undefined;
  }

  /**
   * Removes every batch whose last offset is >= `offset`, with their index entries. Returns the base offset
   * of the first batch removed, or undefined if none was.
   */
  truncateTo(offset: number): number | undefined {
    const first = this.translateOffset(offset);
    if (first === undefined) return undefined;
    this.truncateAtPosition(first.position, first.baseOffset);
    return first.baseOffset;
  }

  /** One past the last batch that lies before `cut` (a batch boundary), or the base offset if none does. */
  endOffsetBefore(cut: BatchPeek | undefined): number {
    const limit = cut === undefined ? this.sizeBytes : cut.position;
    if (limit === 0) return this.baseOffset;
    let position = cut === undefined ? this.offsetIndex.lastEntry().position : this.offsetIndex.lookup(cut.baseOffset - 1).position;
    let end = this.baseOffset;
    const cursor = this.cursor(WALK_WINDOW_BYTES);
    while (position < limit) {
      const batch = cursor.peek(position);
      invariantWith(batch !== undefined, 'log-structure', this.logPath, () => `segment ${this.logPath}: no batch at ${position} below ${limit}`);
      end = batch.lastOffset + 1;
      position += batch.sizeBytes;
    }
    return end;
  }

  /**
   * For a segment recovery may still trust: its index files are replaced rather than changed in place, so a
   * power loss can never pair an old `.log` with a half-updated index (the `.log` itself is only cut, which
   * leaves either the old bytes or a prefix of them).
   */
  replaceIndexFiles(): void {
    this.offsetIndex.rewriteFile();
    this.timeIndex.rewriteFile();
    this.changeSeq++;
  }

  /** Cuts the file at `position`, where a batch starting at `baseOffset` was (index entries from there go). */
  private truncateAtPosition(position: number, baseOffset: number): void {
    this.offsetIndex.truncateToPosition(position);
    this.timeIndex.truncateTo(baseOffset);
    this.disk.truncate(this.logPath, position);
    this.sizeBytes = position;
    this.loadLargestTimestamp();
    this.bytesSinceLastIndexEntry = 0;
    if (position === 0) this.rollingBasedTimestamp = NO_TIMESTAMP;
    this.changeSeq++;
  }

  /** As Kafka: the largest timestamp is the time index's last entry, or a larger one in the batches after it. */
  private loadLargestTimestamp(): void {
    const lastTime = this.timeIndex.lastEntry();
    this.maxTimestampSoFar = lastTime.timestamp;
    this.offsetOfMaxTimestampSoFar = lastTime.offset;
    const cursor = this.cursor(WALK_WINDOW_BYTES);
    let position = this.offsetIndex.lookup(lastTime.offset).position;
    while (position < this.sizeBytes) {
      const batch = cursor.batchAt(position);
      if (batch instanceof CorruptRecordError) return;
      if (batch.header.maxTimestamp > this.maxTimestampSoFar) {
        this.maxTimestampSoFar = batch.header.maxTimestamp;
        this.offsetOfMaxTimestampSoFar = batch.header.lastOffset;
      }
      position += batch.header.sizeBytes;
    }
  }

  /**
   * Offset after the last batch, walking headers from the last index entry; undefined if the walk does not
   * end exactly at the end of the file (then the segment needs recovery).
   */
  readNextOffset(): number | undefined {
    let position = this.offsetIndex.lastEntry().position;
    let nextOffset = this.baseOffset;
    const cursor = this.cursor(WALK_WINDOW_BYTES);
    while (position < this.sizeBytes) {
      const batch = cursor.peek(position);
      if (batch === undefined) return undefined;
      nextOffset = batch.lastOffset + 1;
      position += batch.sizeBytes;
    }
    return nextOffset;
  }

  /**
   * Kafka's LogSegment.recover: re-reads every batch from the start, checks its structure and CRC and that
   * offsets rise (from `minOffset` on), rebuilds both indexes (as new files) and adds each new leader epoch to
   * `epochs`.
   * At the first batch that fails, the file is cut there. Beyond Kafka, a batch whose leader epoch is below
   * `scan.maxEpoch` (the largest seen so far in this recovery) also fails: epochs never go down in a log, so
   * such a batch can only be a segment that a truncation had deleted, brought back by a power loss.
   */
  recover(epochs: LeaderEpochCache, minOffset: number, scan: { maxEpoch: number }): SegmentRecovery {
    // The indexes are rebuilt in memory and then replace their files: a crash may have hidden that the disk
    // still trusts this segment (an uncommitted checkpoint deletion), so its index files are never edited.
    this.offsetIndex.beginRebuild();
    this.timeIndex.beginRebuild();
    this.maxTimestampSoFar = NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = this.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
    this.rollingBasedTimestamp = null;
    this.changeSeq++;
    const cursor = this.cursor(RECOVERY_WINDOW_BYTES);
    let position = 0;
    let expectedOffset = Math.max(minOffset, this.baseOffset);
    let nextOffset: number | undefined;
    let corruption: string | undefined;
    while (position < this.sizeBytes) {
      const problem = this.checkBatch(cursor, position, expectedOffset, scan.maxEpoch);
      if (typeof problem === 'string') {
        corruption = problem;
        break;
      }
      const header = problem.header;
      this.indexBatch(position, header.lastOffset, header.maxTimestamp, header.sizeBytes);
      const latest = epochs.latestEpoch();
      if (header.partitionLeaderEpoch >= 0 && (latest === undefined || header.partitionLeaderEpoch > latest)) {
        epochs.assign(header.partitionLeaderEpoch, header.baseOffset);
      }
      if (header.partitionLeaderEpoch > scan.maxEpoch) scan.maxEpoch = header.partitionLeaderEpoch;
      expectedOffset = header.lastOffset + 1;
      nextOffset = expectedOffset;
      position += header.sizeBytes;
    }
    const truncatedBytes = this.sizeBytes - position;
    if (truncatedBytes > 0) {
      this.disk.truncate(this.logPath, position);
      this.sizeBytes = position;
    }
    // As after a roll: the last time index entry holds the segment's largest timestamp.
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
    this.offsetIndex.rewriteFile();
    this.timeIndex.rewriteFile();
    return { truncatedBytes, nextOffset, corruption };
  }

  /** The batch at `position` if it is whole, CRC-valid and continues the offsets; else why not. */
  private checkBatch(cursor: BatchCursor, position: number, expectedOffset: number, maxEpoch: number): CursorBatch | string {
    const batch = cursor.batchAt(position);
    if (batch instanceof CorruptRecordError) return `${batch.reason} at byte ${position}`;
    const header = batch.header;
    if (!verifyBatchCrc(batch.bytes, batch.at, header)) return `CRC_MISMATCH at byte ${position} (batch at offset ${header.baseOffset})`;
    if (header.lastOffsetDelta < 0 || header.baseOffset < expectedOffset) {
      return `BAD_OFFSET at byte ${position}: batch [${header.baseOffset}, ${header.lastOffset}] does not follow offset ${expectedOffset - 1}`;
    }
    if (header.lastOffset - this.baseOffset > INT32_MAX) return `BAD_OFFSET at byte ${position}: offset ${header.lastOffset} is beyond int32 of base ${this.baseOffset}`;
    if (header.partitionLeaderEpoch >= 0 && header.partitionLeaderEpoch < maxEpoch) {
      return `EPOCH_REGRESSION at byte ${position}: batch at offset ${header.baseOffset} has leader epoch ${header.partitionLeaderEpoch} after epoch ${maxEpoch}`;
    }
    return batch;
  }

  /** fsyncs the three files; `done` runs once all completed, with the first error if any. */
  fsync(done: (error?: DiskError) => void): void {
    const seq = this.changeSeq;
    let pending = 3;
    let firstError: DiskError | undefined;
    const one = (error?: DiskError): void => {
      if (error !== undefined && firstError === undefined) firstError = error;
      if (--pending > 0) return;
      if (firstError === undefined && seq > this.durableSeq) this.durableSeq = seq;
      done(firstError);
    };
    this.disk.fsync(this.logPath, one);
    this.disk.fsync(this.indexPath, one);
    this.disk.fsync(this.timeIndexPath, one);
  }

  /** Renames the files to `<name>.deleted`; they are removed later (file.delete.delay.ms). */
  renameToDeleted(): string[] {
    const renamed: string[] = [];
    for (const path of [this.logPath, this.indexPath, this.timeIndexPath]) {
      if (!this.disk.exists(path)) continue;
      this.disk.rename(path, path + DELETED_FILE_SUFFIX);
      renamed.push(path + DELETED_FILE_SUFFIX);
    }
    return renamed;
  }

  private cursor(windowBytes: number): BatchCursor {
    return new BatchCursor(this.disk, this.logPath, this.sizeBytes, windowBytes);
  }
}

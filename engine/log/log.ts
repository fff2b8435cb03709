// A partition's log: a directory of segments, the leader epoch cache, and the recovery point.
//
// Synchronous and sans-I/O like the rest of the engine: every method changes the page cache through the Disk
// at once and returns; durability is asynchronous (flush(done) runs `done` once fsyncs complete). Kafka's
// UnifiedLog + LocalLog, reduced to what a single log directory needs:
//
// - append(): a leader stamps base offsets and its epoch into the batches in place (outside their CRC), a
//   follower appends batches with the offsets they carry; either way the CRC is checked and the buffer goes to
//   the active segment in one write. The active segment rolls on segment.bytes, segment.ms, a full index, or an
//   offset beyond int32 of its base; a roll fsyncs the older segments in the background (Kafka does too) and
//   moves the recovery point up to the new segment.
// - read(): whole batches from the one holding startOffset, found through the sparse index.
// - truncateTo() / truncateFullyAndStartAt(): what a follower does on divergence or when out of range.
// - deleteOldSegments(): retention.ms and retention.bytes, oldest segments first, never the active one.
//
// Durability invariant (what recovery relies on): bytes below the recovery point are fsynced and never rewritten
// in place. A truncation below the highest recovery point a checkpoint may still hold therefore (1) asks the
// owner to invalidate the recovery-point checkpoint before touching any file — LogManager deletes it, and the
// disk's journal makes that deletion durable no later than any file created after it — (2) only cuts the
// segment it lands in (a cut leaves the old bytes or a prefix of them, never a mix) and replaces that
// segment's index files instead of editing them, and (3) continues the log in a new segment file, so no byte
// that recovery might still trust is overwritten. Kafka needs none of this because it writes the checkpoint
// synchronously (fsync before the truncation returns); our fsync reports by callback.

import { DiskError } from '../runtime.ts';
import type { Disk } from '../runtime.ts';
import { newAppendedBatches, stampOffsets, validateAppend } from './append-validation.ts';
import type { AppendOptions } from './append-validation.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './log-types.ts';
import type { LogAppendInfo, LogListener, LogOpenOptions, LogReadResult, ReadOptions } from './log-types.ts';
import { CheckpointWriter } from './checkpoint-file.ts';
import { joinPath, LEADER_EPOCH_CHECKPOINT_FILE } from './file-names.ts';
import { LeaderEpochCache } from './leader-epoch-cache.ts';
import type { EpochEndOffset } from './leader-epoch-cache.ts';
import type { LogConfig } from './log-config.ts';
import { invariantWith } from '../invariants.ts';
import { LogNotAvailableError, OffsetOutOfRangeError } from './log-errors.ts';
import { loadLog } from './log-loader.ts';
import type { LogRecoveryReport } from './log-loader.ts';
import { LogSegment } from './segment.ts';
import type { AppendedBatches } from './append-validation.ts';
import type { TimestampOffset } from './time-index.ts';

/** What a read at the log end returns: shared, since a follower at the end reads nothing many times a second. */
const NOTHING = new Uint8Array(0);

export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './log-types.ts';
export type { AppendOptions, LogAppendInfo, LogListener, LogOpenOptions, LogReadResult, ReadOptions } from './log-types.ts';

interface PendingDeletion {
  readonly paths: readonly string[];
  readonly dueMs: number;
}

export class Log {
  private readonly segmentList: LogSegment[];
  private nextOffset: number;
  private startOffset: number;
  private recoveryPointValue: number;
  /**
   * The highest recovery point a durable checkpoint may hold: the loaded value or any later one. A drop of
   * the recovery point only deletes the checkpoint (a journaled change), so until the rewrite is durable the
   * old value may still be read at the next start. Truncations are judged against this, not the lowered value.
   */
  private recoveryPointHorizon: number;
  /**
   * After a crash the process sees the page cache, not the disk: a checkpoint deletion or rename that the
   * journal has not committed yet may still be undone by a power loss, so any recovery point the previous
   * process had may be durable. Until an fsync of ours completes (which commits the journal), every
   * truncation is treated as one below the horizon.
   */
  private horizonKnown: boolean;
  private readonly epochCache: LeaderEpochCache;
  private readonly epochWriter: CheckpointWriter;
  /** Bumped by every truncation: a flush issued before one must not move the recovery point. */
  private truncations = 0;
  private unflushedRecords = 0;
  private lastFlushMs: number;
  private pendingDeletions: PendingDeletion[] = [];
  private closed = false;
  private failure: DiskError | undefined;
  private readonly appended: AppendedBatches = newAppendedBatches();
  /** What loading found and did. */
  readonly recovery: LogRecoveryReport;

  private constructor(
    private readonly disk: Disk,
    readonly dir: string,
    readonly config: LogConfig,
    nowMs: number,
    options: LogOpenOptions,
  ) {
    const loaded = loadLog(disk, dir, config, nowMs, options);
    this.segmentList = loaded.segments;
    this.nextOffset = loaded.logEndOffset;
    this.startOffset = loaded.logStartOffset;
    this.recoveryPointValue = loaded.recoveryPoint;
    this.recoveryPointHorizon = Math.max(loaded.recoveryPoint, options.recoveryPoint);
    this.recovery = loaded.report;
    this.lastFlushMs = nowMs;
    this.listener = options.listener ?? {};
    this.epochWriter = new CheckpointWriter(disk, joinPath(dir, LEADER_EPOCH_CHECKPOINT_FILE), () => this.epochCache.toCheckpointText(),
      (error) => this.listener.diskError?.(this, error));
    this.epochCache = new LeaderEpochCache(loaded.epochEntries, () => this.epochWriter.markChanged(), dir);
    // The loaded cache may differ from the file (cut to the log, rebuilt from batches): write it out. Its
    // fsync also commits the journal, after which what this process sees is what the disk holds.
    this.horizonKnown = options.cleanShutdown;
    this.epochWriter.markChanged();
    this.epochWriter.whenDurable((error) => {
      if (error === undefined) this.horizonKnown = true;
    });
  }

  private readonly listener: LogListener;

  /**
   * Opens the log in `dir` (creating it if absent), recovering it as the shutdown requires. The recovery
   * point comes from the owner's checkpoint; if loading lowers it (data below it was missing or corrupt),
   * the listener is told so that the checkpoint stops vouching for it.
   */
  static open(disk: Disk, dir: string, config: LogConfig, nowMs: number, options: LogOpenOptions): Log {
    const log = new Log(disk, dir, config, nowMs, options);
    if (log.recoveryPointValue < options.recoveryPoint) log.afterLostDurableData(nowMs);
    return log;
  }

  /**
   * Loading found less than the recovery point vouched for (fsynced bytes missing or corrupt: a disk that
   * lied). Treated like a truncation below the recovery point, so the new end is not appended to in place.
   */
  private afterLostDurableData(nowMs: number): void {
    this.listener.beforeRecoveryPointDrop?.(this);
    const active = this.activeSegment;
    this.setRecoveryPoint(Math.min(this.recoveryPointValue, active.baseOffset));
    this.guard(() => {
      if (active.sizeBytes === 0) return;
      active.onBecomeInactive();
      active.replaceIndexFiles();
      this.segmentList.push(LogSegment.create(this.disk, this.dir, this.nextOffset, this.config, nowMs));
      this.flushUpTo(this.nextOffset);
    });
    this.listener.afterRecoveryPointDrop?.(this);
  }

  // -------------------------------------------------------------------------------------------------------
  // Accessors

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.nextOffset;
  }

  /** Every offset below this is on durable storage (an fsync of it completed). */
  get recoveryPoint(): number {
    return this.recoveryPointValue;
  }

  get segments(): readonly LogSegment[] {
    return this.segmentList;
  }

  get activeSegment(): LogSegment {
    return this.segmentList[this.segmentList.length - 1];
  }

  get leaderEpochCache(): LeaderEpochCache {
    return this.epochCache;
  }

  /** Bytes of all segments. */
  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.segmentList) total += segment.sizeBytes;
    return total;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // -------------------------------------------------------------------------------------------------------
  // Appending

  /**
   * Appends the batches in `bytes` (one or more, back to back). Checks every batch (structure, CRC, size, and
   * for a follower that offsets rise past the log end) before changing anything; then, for a leader, stamps
   * base offsets and `leaderEpoch` into `bytes` in place, and writes the buffer to the active segment in one
   * write (rolling first if it must).
   */
  append(bytes: Uint8Array, options: AppendOptions): LogAppendInfo {
    this.assertUsable();
    const summary = validateAppend(bytes, options, this.appended, {
      dir: this.dir, logEndOffset: this.nextOffset, latestEpoch: this.epochCache.latestEpoch(), maxMessageBytes: this.config.maxMessageBytes,
    });
    // guard() inlined by hand: append is the hottest path of the log, and a closure per append adds up.
    try {
      if (options.assignOffsets) stampOffsets(bytes, this.appended, options.leaderEpoch as number);
      const check = { messagesSizeBytes: bytes.length, maxTimestampInMessages: summary.maxTimestamp, maxOffsetInMessages: summary.lastOffset, nowMs: options.nowMs };
      if (this.activeSegment.shouldRoll(check)) this.roll(options.nowMs);
      this.assignEpochs(options);
      const segment = this.activeSegment;
      const position = segment.append(bytes, this.appended, options.nowMs);
      this.nextOffset = summary.lastOffset + 1;
      this.unflushedRecords += summary.recordCount;
      if (this.unflushedRecords >= this.config.flushMessages) {
        this.lastFlushMs = options.nowMs;
        this.flush();
      }
      this.purgeDeletedFiles(options.nowMs);
      return {
        firstOffset: summary.firstOffset, lastOffset: summary.lastOffset, recordCount: summary.recordCount, maxTimestamp: summary.maxTimestamp,
        segmentBaseOffset: segment.baseOffset, position, batchCount: this.appended.count, sizeBytes: bytes.length,
      };
    } catch (error) {
      this.takeOfflineOnDiskError(error);
      throw error;
    }
  }

  /** A leader's epoch starts at its first offset; a follower takes each newer epoch from its batches. */
  private assignEpochs(options: AppendOptions): void {
    const appended = this.appended;
    if (options.assignOffsets) {
      this.epochCache.assign(options.leaderEpoch as number, appended.baseOffsets[0]);
      return;
    }
    for (let i = 0; i < appended.count; i++) {
      const epoch = appended.leaderEpochs[i];
      const latest = this.epochCache.latestEpoch();
      if (epoch >= 0 && (latest === undefined || epoch > latest)) this.epochCache.assign(epoch, appended.baseOffsets[i]);
    }
  }

  /** Records that `epoch` starts at `startOffset` (a new leader does this at its log end, before appending). */
  assignEpochStartOffset(epoch: number, startOffset = this.nextOffset): void {
    this.assertUsable();
    this.epochCache.assign(epoch, startOffset);
  }

  /** OffsetsForLeaderEpoch for this log. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(epoch, this.nextOffset);
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading

  /**
   * Whole batches from the one holding `startOffset`, at most `maxBytes` of them (but the first one whole when
   * `minOneBatch`), from a single segment. OffsetOutOfRangeError outside [logStartOffset, logEndOffset].
   */
  read(startOffset: number, maxBytes: number, options: ReadOptions = {}): LogReadResult {
    this.assertUsable();
    if (startOffset < this.startOffset || startOffset > this.nextOffset) {
      throw new OffsetOutOfRangeError(startOffset, this.startOffset, this.nextOffset, this.dir);
    }
    const minOneBatch = options.minOneBatch ?? true;
    const maxOffset = options.maxOffset ?? Infinity;
    if (startOffset === this.nextOffset || startOffset >= maxOffset) return { bytes: NOTHING, nextOffset: startOffset };
    // A failed read takes the log offline as a failed write does (Kafka: an IOException on any access to a log
    // directory marks it offline, and a broker whose last log directory is offline halts).
    try {
      for (let i = this.segmentIndexFor(startOffset); i < this.segmentList.length; i++) {
        const result = this.segmentList[i].read(startOffset, maxBytes, maxOffset, minOneBatch);
        if (result !== undefined) return result; // a SegmentReadResult is a LogReadResult (plus firstOffset)
      }
    } catch (error) {
      this.takeOfflineOnDiskError(error);
      throw error;
    }
    return { bytes: NOTHING, nextOffset: startOffset };
  }

  /**
   * ListOffsets: the first offset whose record timestamp is >= `timestamp`, with that timestamp; undefined if
   * every record is older. LATEST_TIMESTAMP (-1) and EARLIEST_TIMESTAMP (-2) give the log end and start.
   */
  offsetForTimestamp(timestamp: number): TimestampOffset | undefined {
    this.assertUsable();
    if (timestamp === LATEST_TIMESTAMP) return { timestamp: -1, offset: this.nextOffset };
    if (timestamp === EARLIEST_TIMESTAMP) return { timestamp: -1, offset: this.startOffset };
    invariantWith(timestamp >= 0, 'log-structure', this.dir, () => `offsetForTimestamp: unsupported timestamp ${timestamp}`);
    for (const segment of this.segmentList) {
      if (segment.largestTimestamp() < timestamp || segment.maxTimestampSoFar < 0) continue;
      const found = segment.findOffsetByTimestamp(timestamp, this.startOffset);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Index of the segment holding `offset`: the last one whose base offset is <= it (the first if none). */
  private segmentIndexFor(offset: number): number {
    const segments = this.segmentList;
    let low = 0;
    let high = segments.length - 1;
    let found = 0;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (segments[middle].baseOffset <= offset) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  // -------------------------------------------------------------------------------------------------------
  // Truncation

  /**
   * Removes every batch holding an offset >= `targetOffset` (a batch straddling it goes whole). The log end
   * becomes one past the last batch kept — `targetOffset` itself when it is a batch boundary of a gapless log —
   * or the base offset of the segment left empty; it is what a restart would compute. Returns false if there
   * was nothing to remove; even then the leader epoch cache loses any entry at or past the log end, as in
   * Kafka's UnifiedLog.truncateTo: a broker that became leader, recorded its epoch at its log end and lost
   * leadership before appending must not keep that empty epoch as its last one. A target below the log start
   * empties the log (truncateFullyAndStartAt).
   */
  truncateTo(targetOffset: number, nowMs: number): boolean {
    this.assertUsable();
    if (targetOffset >= this.nextOffset) {
      this.epochCache.truncateFromEnd(this.nextOffset);
      return false;
    }
    if (targetOffset < this.startOffset) {
      this.truncateFullyAndStartAt(targetOffset, nowMs);
      return true;
    }
    const holder = this.segmentList[this.segmentIndexFor(targetOffset)];
    const firstRemoved = holder.translateOffset(targetOffset);
    const newEnd = holder.endOffsetBefore(firstRemoved);
    const lowersRecoveryPoint = !this.horizonKnown || newEnd < this.recoveryPointHorizon;
    if (lowersRecoveryPoint) this.listener.beforeRecoveryPointDrop?.(this);
    this.guard(() => {
      this.truncations++;
      for (const later of this.segmentList.filter((segment) => segment.baseOffset > targetOffset)) this.removeSegment(later, nowMs);
      if (!lowersRecoveryPoint) {
        holder.truncateTo(targetOffset);
      } else if ((firstRemoved?.position ?? holder.sizeBytes) === 0 && holder.baseOffset === newEnd) {
        // The holder empties: it goes whole (renamed, never cut first) and a fresh file takes its name.
        this.removeSegment(holder, nowMs);
        this.segmentList.push(LogSegment.create(this.disk, this.dir, newEnd, this.config, nowMs));
      } else {
        // Recovery may still trust the holder: cut its .log, replace its indexes, continue in a new file.
        holder.truncateTo(targetOffset);
        holder.onBecomeInactive();
        holder.replaceIndexFiles();
        this.segmentList.push(LogSegment.create(this.disk, this.dir, newEnd, this.config, nowMs));
      }
      this.nextOffset = newEnd;
      this.epochCache.truncateFromEnd(newEnd);
      if (lowersRecoveryPoint) {
        this.setRecoveryPoint(Math.min(this.recoveryPointValue, holder.baseOffset));
        if (this.segmentList.length > 1) this.flushUpTo(newEnd);
      }
    });
    if (lowersRecoveryPoint) this.listener.afterRecoveryPointDrop?.(this);
    return true;
  }

  /** Deletes every segment and restarts the log, empty, at `offset` (a follower far out of range). */
  truncateFullyAndStartAt(offset: number, nowMs: number): void {
    this.assertUsable();
    invariantWith(Number.isSafeInteger(offset) && offset >= 0, 'log-structure', this.dir, () => `truncateFullyAndStartAt: bad offset ${offset}`);
    const lowersRecoveryPoint = !this.horizonKnown || offset < this.recoveryPointHorizon;
    if (lowersRecoveryPoint) this.listener.beforeRecoveryPointDrop?.(this);
    this.guard(() => {
      this.truncations++;
      for (const segment of [...this.segmentList]) this.removeSegment(segment, nowMs);
      this.segmentList.push(LogSegment.create(this.disk, this.dir, offset, this.config, nowMs));
      this.nextOffset = offset;
      this.startOffset = offset;
      this.setRecoveryPoint(offset); // nothing below it is left
      this.epochCache.clear();
    });
    if (lowersRecoveryPoint) this.listener.afterRecoveryPointDrop?.(this);
  }

  // -------------------------------------------------------------------------------------------------------
  // Rolling, retention and deletion

  /** Starts a new active segment at the log end (no-op if the active one is empty) and flushes the older ones. */
  roll(nowMs: number): LogSegment {
    this.assertUsable();
    const active = this.activeSegment;
    if (active.sizeBytes === 0) return active;
    return this.guard(() => {
      active.onBecomeInactive();
      const segment = LogSegment.create(this.disk, this.dir, this.nextOffset, this.config, nowMs);
      this.segmentList.push(segment);
      this.flushUpTo(segment.baseOffset);
      return segment;
    });
  }

  /**
   * Retention: deletes the oldest segments whose newest timestamp is older than retention.ms, then the oldest
   * while the log is larger than retention.bytes. Never the active segment, nor a segment holding offsets at
   * or above `highWatermark` (Kafka keeps what consumers may not have been allowed to read). Returns the number
   * of segments deleted.
   */
  deleteOldSegments(nowMs: number, options: { highWatermark?: number } = {}): number {
    this.assertUsable();
    const highWatermark = options.highWatermark ?? Infinity;
    let deleted = 0;
    if (this.config.retentionMs >= 0) {
      deleted += this.deleteWhile(nowMs, highWatermark, (segment) => nowMs - segment.largestTimestamp() > this.config.retentionMs);
    }
    if (this.config.retentionBytes >= 0) {
      let excessBytes = this.sizeBytes - this.config.retentionBytes;
      deleted += this.deleteWhile(nowMs, highWatermark, (segment) => {
        if (excessBytes - segment.sizeBytes < 0) return false;
        excessBytes -= segment.sizeBytes;
        return true;
      });
    }
    this.purgeDeletedFiles(nowMs);
    return deleted;
  }

  private deleteWhile(nowMs: number, highWatermark: number, shouldDelete: (segment: LogSegment) => boolean): number {
    let count = 0;
    while (this.segmentList.length > 1) {
      const oldest = this.segmentList[0];
      const upperBoundOffset = this.segmentList[1].baseOffset;
      if (upperBoundOffset > highWatermark || !shouldDelete(oldest)) break;
      this.guard(() => this.removeSegment(oldest, nowMs));
      count++;
    }
    if (count > 0) {
      this.startOffset = this.segmentList[0].baseOffset;
      if (this.recoveryPointValue < this.startOffset) this.setRecoveryPoint(this.startOffset);
      this.epochCache.truncateFromStart(this.startOffset);
    }
    return count;
  }

  /** Takes a segment out of the log: its files become `.deleted`, removed after file.delete.delay.ms. */
  private removeSegment(segment: LogSegment, nowMs: number): void {
    const index = this.segmentList.indexOf(segment);
    invariantWith(index >= 0, 'log-structure', this.dir, () => `segment ${segment.baseOffset} is not in ${this.dir}`);
    this.segmentList.splice(index, 1);
    const paths = segment.renameToDeleted();
    this.pendingDeletions.push({ paths, dueMs: nowMs + this.config.fileDeleteDelayMs });
    if (this.config.fileDeleteDelayMs === 0) this.purgeDeletedFiles(nowMs);
  }

  /** Removes `.deleted` files whose delay has passed (all of them with `everything`). */
  purgeDeletedFiles(nowMs: number, everything = false): void {
    if (this.pendingDeletions.length === 0) return;
    const keep: PendingDeletion[] = [];
    for (const pending of this.pendingDeletions) {
      if (!everything && pending.dueMs > nowMs) {
        keep.push(pending);
        continue;
      }
      for (const path of pending.paths) if (this.disk.exists(path)) this.disk.delete(path);
    }
    this.pendingDeletions = keep;
  }

  // -------------------------------------------------------------------------------------------------------
  // Durability

  /**
   * fsyncs every segment with changes below the log end, and the leader epoch checkpoint; once all completed,
   * moves the recovery point to the log end as it was at the call and runs `done` (at once, synchronously, if
   * nothing needed syncing). A truncation meanwhile keeps the recovery point where it is.
   */
  flush(done?: (error?: DiskError) => void): void {
    this.assertUsable();
    this.unflushedRecords = 0;
    this.flushUpTo(this.nextOffset, done);
  }

  /** flush.ms: flushes if the last flush started at least flush.ms ago. */
  flushIfDue(nowMs: number): void {
    if (nowMs - this.lastFlushMs < this.config.flushMs) return;
    this.lastFlushMs = nowMs;
    this.flush();
  }

  private flushUpTo(targetOffset: number, done?: (error?: DiskError) => void): void {
    const truncations = this.truncations;
    const dirty = this.segmentList.filter((segment) => segment.baseOffset < targetOffset && segment.dirty);
    let pending = dirty.length + 1;
    let firstError: DiskError | undefined;
    const partDone = (error?: DiskError): void => {
      if (error !== undefined && firstError === undefined) firstError = error;
      if (--pending > 0) return;
      if (firstError !== undefined) {
        this.listener.diskError?.(this, firstError);
      } else if (truncations === this.truncations && targetOffset > this.recoveryPointValue) {
        this.setRecoveryPoint(targetOffset);
        this.listener.flushed?.(this, targetOffset);
      }
      done?.(firstError);
    };
    for (const segment of dirty) segment.fsync(partDone);
    this.epochWriter.whenDurable(partDone);
  }

  /** Every change of the recovery point goes here: the owner may checkpoint any value it ever had. */
  private setRecoveryPoint(offset: number): void {
    this.recoveryPointValue = offset;
    if (offset > this.recoveryPointHorizon) this.recoveryPointHorizon = offset;
  }

  /**
   * Clean shutdown of this log: the active segment's final time index entry, then a flush of everything; `done`
   * runs when it is durable (the owner then writes the recovery point checkpoint and the clean-shutdown
   * marker). The log refuses further use at once.
   */
  close(nowMs: number, done: (error?: DiskError) => void): void {
    this.assertUsable();
    this.activeSegment.onBecomeInactive();
    this.flush((error) => {
      this.purgeDeletedFiles(nowMs, true);
      done(error);
    });
    this.closed = true;
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw new LogNotAvailableError(this.dir, `offline after a disk error: ${this.failure.message}`);
    if (this.closed) throw new LogNotAvailableError(this.dir, 'the log is closed');
  }

  /**
   * Runs a change; a DiskError from it takes the log offline (its in-memory state may no longer match) and is
   * reported to the listener (Kafka's LogDirFailureChannel) before it is thrown on to the caller.
   */
  private guard<T>(change: () => T): T {
    try {
      return change();
    } catch (error) {
      this.takeOfflineOnDiskError(error);
      throw error;
    }
  }

  /** After a DiskError from a change or a read the log is offline (Kafka's offline log dir); the listener hears of it. */
  private takeOfflineOnDiskError(error: unknown): void {
    if (error instanceof DiskError) {
      this.failure = error;
      this.listener.diskError?.(this, error);
    }
  }
}

// Loading a partition log from its directory, with recovery (Kafka's LogLoader).
//
// 1. Stray files go: segments that were being deleted (`.deleted`) or rewritten by the cleaner (`.cleaned`,
//    `.swap`), checkpoint temporaries (`.tmp`), and index files whose `.log` is gone.
// 2. Every segment is opened. An index that is missing or fails its sanity check is rebuilt by recovering
//    that segment.
// 3. Which segments to re-read depends on how the process ended:
//    - no clean-shutdown marker: every segment that holds offsets at or above the recovery point is re-read
//      from its start — each batch's structure and CRC checked, offsets required to rise — and its indexes and
//      leader epochs rebuilt from the batches. At the first batch that fails, the segment is cut there and every
//      later segment is deleted. Segments wholly below the recovery point were fsynced and are trusted.
//      Two checks go beyond Kafka's, both for leftovers of a truncation that a power loss half undid: a batch
//      whose leader epoch is below one already seen fails like a bad CRC (epochs never go down in a log), and a
//      segment that starts below the end of the one before is deleted with everything after it.
//    - after a clean shutdown the files are trusted (the recovery point is the log end). If anything lies past
//      it — written after a later start whose removal of the marker never reached the disk — the segment
//      holding the recovery point, and any after it, are re-read as above.
//    - without a readable leader-epoch-checkpoint, every segment is re-read, so that the epochs come from the
//      batches themselves.
// 4. The log end offset is the end of the last batch; the epoch cache is cut to [logStartOffset, logEnd).
//    Rebuilt indexes replace their files (delete + create) rather than being edited in place.
//
// What holds afterwards (test/log/recovery-property.ts checks it over thousands of crashes): every batch is
// whole and CRC-valid; within a segment offsets are contiguous; from segment to segment they rise (a gap can
// remain where a truncation's segment deletions did not reach the disk); every batch whose flush completed and
// that was not truncated or retained away since is still there, byte for byte.
//
// Why trusting what lies below the recovery point is safe here: the recovery point advances only after an
// fsync of every segment with changes below it (and of the epoch checkpoint), and the log never rewrites bytes
// below it in place — a truncation below it first has the recovery-point checkpoint deleted, then continues in
// a new segment file (see Log.truncateTo).

import type { Disk } from '../runtime.ts';
import { CheckpointFormatError, readCheckpointText } from './checkpoint-file.ts';
import { joinPath, LEADER_EPOCH_CHECKPOINT_FILE, parseSegmentFileName, TEMP_FILE_SUFFIX } from './file-names.ts';
import { LeaderEpochCache, parseLeaderEpochCheckpoint } from './leader-epoch-cache.ts';
import type { EpochEntry } from './leader-epoch-cache.ts';
import type { LogConfig } from './log-config.ts';
import { LogSegment } from './segment.ts';

export interface LoadOptions {
  /** The log directory's `.kafka_cleanshutdown` marker was present. */
  readonly cleanShutdown: boolean;
  /** This partition's entry in recovery-point-offset-checkpoint; 0 when there is none. */
  readonly recoveryPoint: number;
}

/** What loading found and did, for traces and tests. */
export interface LogRecoveryReport {
  readonly cleanShutdown: boolean;
  /** The recovery point loading started from. */
  readonly recoveryPoint: number;
  readonly segmentsLoaded: number;
  /** Base offsets of the segments whose batches were re-read and checked. */
  readonly segmentsRecovered: number[];
  /** Base offsets of the segments whose index files were missing or failed the sanity check. */
  readonly indexesRebuilt: number[];
  /** Bytes cut at the first invalid batch. */
  readonly truncatedBytes: number;
  /** Base offsets of the segments deleted because they followed an invalid batch. */
  readonly segmentsDeleted: number[];
  /** Why the first invalid batch was invalid, if one was found. */
  readonly corruption: string | undefined;
  readonly strayFilesDeleted: string[];
  readonly epochCheckpoint: 'loaded' | 'missing' | 'malformed';
}

export interface LoadedLog {
  readonly segments: LogSegment[];
  readonly logEndOffset: number;
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
  readonly epochEntries: readonly EpochEntry[];
  readonly report: LogRecoveryReport;
}

interface Report {
  segmentsRecovered: number[];
  indexesRebuilt: number[];
  truncatedBytes: number;
  segmentsDeleted: number[];
  corruption: string | undefined;
  strayFilesDeleted: string[];
}

export function loadLog(disk: Disk, dir: string, config: LogConfig, nowMs: number, options: LoadOptions): LoadedLog {
  disk.mkdirs(dir);
  const report: Report = { segmentsRecovered: [], indexesRebuilt: [], truncatedBytes: 0, segmentsDeleted: [], corruption: undefined, strayFilesDeleted: [] };
  const baseOffsets = removeStrayFiles(disk, dir, report);
  const { entries, status } = readEpochCheckpoint(disk, dir);
  const epochs = new LeaderEpochCache(entries);

  const segments: LogSegment[] = [];
  const needsIndexRebuild = new Set<LogSegment>();
  for (const baseOffset of baseOffsets) {
    const { segment, indexesRebuilt } = LogSegment.load(disk, dir, baseOffset, config, nowMs);
    segments.push(segment);
    if (indexesRebuilt) {
      needsIndexRebuild.add(segment);
      report.indexesRebuilt.push(baseOffset);
    }
  }
  if (segments.length === 0) segments.push(LogSegment.create(disk, dir, 0, config, nowMs));

  const hasData = segments.some((segment) => segment.sizeBytes > 0);
  const fullRescan = status !== 'loaded' && hasData;
  const recoveryPoint = fullRescan ? 0 : options.recoveryPoint;
  const firstUnflushed = firstSegmentAtOrAbove(segments, recoveryPoint);
  // Unclean: re-read from the start of the segment holding the recovery point. Clean: from its batch.
  const recoverFrom = options.cleanShutdown && !fullRescan ? { index: firstUnflushed, offset: recoveryPoint } : { index: firstUnflushed, offset: undefined };

  let logEndOffset: number | undefined;
  const scan = { maxEpoch: -1 };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    let outcome: SegmentOutcome | undefined;
    if (logEndOffset !== undefined && segment.baseOffset < logEndOffset) {
      // Created when the log ended at its base offset: the previous segment's cut never reached the disk.
      outcome = { nextOffset: logEndOffset, corruption: `segment ${segment.baseOffset} starts below the end ${logEndOffset} of the one before` };
      if (report.corruption === undefined) report.corruption = outcome.corruption;
      for (const stale of segments.splice(i)) deleteSegmentFiles(disk, stale, report);
      break;
    }
    if (i > recoverFrom.index || (i === recoverFrom.index && recoverFrom.offset === undefined)) {
      // Unflushed: the epochs of these offsets come from the batches, not from the checkpoint.
      epochs.truncateFromEnd(segment.baseOffset);
      outcome = recoverSegment(segment, epochs, logEndOffset, scan, report);
    } else if (i === recoverFrom.index) {
      outcome = checkFromRecoveryPoint(segment, epochs, recoverFrom.offset as number, needsIndexRebuild.has(segment), scan, report);
    } else if (needsIndexRebuild.has(segment)) {
      // Trusted, but its index must be rebuilt; the checkpoint's epochs stay (later segments rely on them).
      outcome = recoverSegment(segment, epochs, undefined, { maxEpoch: -1 }, report);
    }
    if (outcome === undefined) {
      logEndOffset = undefined; // trusted: the last segment's end is read below
      continue;
    }
    logEndOffset = outcome.nextOffset ?? segment.baseOffset;
    if (outcome.corruption !== undefined) {
      for (const later of segments.splice(i + 1)) deleteSegmentFiles(disk, later, report);
      break;
    }
  }

  const active = segments[segments.length - 1];
  if (logEndOffset === undefined) {
    logEndOffset = active.readNextOffset();
    if (logEndOffset === undefined) {
      epochs.truncateFromEnd(active.baseOffset);
      logEndOffset = recoverSegment(active, epochs, undefined, { maxEpoch: -1 }, report).nextOffset ?? active.baseOffset;
    }
  }
  const logStartOffset = segments[0].baseOffset;
  epochs.truncateFromEnd(logEndOffset);
  epochs.truncateFromStart(logStartOffset);
  return {
    segments,
    logEndOffset,
    logStartOffset,
    recoveryPoint: Math.max(logStartOffset, Math.min(options.recoveryPoint, logEndOffset)),
    epochEntries: epochs.epochEntries(),
    report: { cleanShutdown: options.cleanShutdown, recoveryPoint: options.recoveryPoint, segmentsLoaded: baseOffsets.length, epochCheckpoint: status, ...report },
  };
}

/** Index of the first segment holding offsets at or above `offset` (the last one if all are below). */
function firstSegmentAtOrAbove(segments: readonly LogSegment[], offset: number): number {
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i + 1].baseOffset > offset) return i;
  }
  return segments.length - 1;
}

interface SegmentOutcome {
  readonly nextOffset: number | undefined;
  readonly corruption: string | undefined;
}

function recoverSegment(segment: LogSegment, epochs: LeaderEpochCache, minOffset: number | undefined, scan: { maxEpoch: number }, report: Report): SegmentOutcome {
  const result = segment.recover(epochs, minOffset ?? segment.baseOffset, scan);
  report.segmentsRecovered.push(segment.baseOffset);
  report.truncatedBytes += result.truncatedBytes;
  if (result.corruption !== undefined && report.corruption === undefined) {
    report.corruption = `segment ${segment.baseOffset}: ${result.corruption}`;
  }
  return result;
}

/**
 * After a clean shutdown the recovery point is the log end offset, and the segment holding it is trusted if
 * it ends there and its indexes end inside it. Anything else means the marker is stale — a later start wrote
 * more, and the power failed before the marker's removal reached the disk — so the segment is recovered.
 */
function checkFromRecoveryPoint(segment: LogSegment, epochs: LeaderEpochCache, recoveryPoint: number, indexMissing: boolean, scan: { maxEpoch: number }, report: Report): SegmentOutcome | undefined {
  if (!indexMissing) {
    const end = segment.readNextOffset();
    const indexesInside = (segment.offsetIndex.entries === 0 || segment.offsetIndex.lastEntry().offset < (end ?? 0))
      && (segment.timeIndex.entries === 0 || segment.timeIndex.lastEntry().offset < (end ?? 0));
    if (end !== undefined && end <= Math.max(recoveryPoint, segment.baseOffset) && indexesInside) return undefined;
  }
  epochs.truncateFromEnd(segment.baseOffset);
  return recoverSegment(segment, epochs, undefined, scan, report);
}

function deleteSegmentFiles(disk: Disk, segment: LogSegment, report: Report): void {
  for (const path of [segment.logPath, segment.indexPath, segment.timeIndexPath]) {
    if (disk.exists(path)) disk.delete(path);
  }
  report.segmentsDeleted.push(segment.baseOffset);
}

/** Deletes leftovers of interrupted work; returns the base offsets of the live segments, ascending. */
function removeStrayFiles(disk: Disk, dir: string, report: Report): number[] {
  const names = disk.list(dir);
  const logs = new Set<number>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed !== undefined && parsed.kind === 'log' && parsed.pendingSuffix === '') logs.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    const stray = name.endsWith(TEMP_FILE_SUFFIX)
      || (parsed !== undefined && (parsed.pendingSuffix !== '' || !logs.has(parsed.baseOffset)));
    if (!stray) continue;
    const path = joinPath(dir, name);
    if (disk.isDirectory(path)) continue;
    disk.delete(path);
    report.strayFilesDeleted.push(name);
  }
  return [...logs].sort((a, b) => a - b);
}

function readEpochCheckpoint(disk: Disk, dir: string): { entries: EpochEntry[]; status: LogRecoveryReport['epochCheckpoint'] } {
  const path = joinPath(dir, LEADER_EPOCH_CHECKPOINT_FILE);
  const text = readCheckpointText(disk, path);
  if (text === undefined) return { entries: [], status: 'missing' };
  try {
    return { entries: parseLeaderEpochCheckpoint(text, path), status: 'loaded' };
  } catch (error) {
    if (error instanceof CheckpointFormatError) return { entries: [], status: 'malformed' };
    throw error;
  }
}

// The logs of one log directory (Kafka's LogManager, for a single `log.dirs` entry), and the directory-level
// files:
//
// - `recovery-point-offset-checkpoint`: version 0, a count, then `topic partition offset` lines — up to where
//   each partition's log was fsynced when the file was written. Kafka rewrites it every
//   log.flush.offset.checkpoint.interval.ms (the broker calls checkpointRecoveryPoints on that timer), at
//   shutdown, and here also at once when a log's recovery point must drop (a truncation below it): the file is
//   deleted on the spot and rewritten.
// - `.kafka_cleanshutdown`: written last by a clean shutdown, after every log was flushed and the checkpoint
//   written; deleted once the logs are loaded. Without it, the next start recovers every log from its
//   recovery point. It holds `{"version":0,"brokerEpoch":N}`, the epoch of the registration that shut down
//   cleanly (KIP-966): the next start presents it to the controller as its previous broker epoch, read before
//   the logs are loaded (readCleanShutdownBrokerEpoch).
//
// A missing or malformed checkpoint gives every log a recovery point of 0 (everything is re-read): Kafka
// treats a missing file so, and a malformed one can only come from a write we did not finish.

import { DiskError } from '../runtime.ts';
import type { Disk } from '../runtime.ts';
import { CheckpointFormatError, CheckpointWriter, formatCheckpoint, parseCheckpoint, parseIntegerField, readCheckpointText } from './checkpoint-file.ts';
import { CLEAN_SHUTDOWN_FILE, joinPath, parsePartitionDirName, partitionDirName, RECOVERY_POINT_CHECKPOINT_FILE, TEMP_FILE_SUFFIX } from './file-names.ts';
import type { TopicPartition } from './file-names.ts';
import { Log } from './log.ts';
import type { LogListener } from './log.ts';
import type { LogConfig } from './log-config.ts';
import { invariantWith } from '../invariants.ts';

export const RECOVERY_POINT_CHECKPOINT_VERSION = 0;
/** The version field of `.kafka_cleanshutdown` (Kafka's CleanShutdownFileHandler). */
export const CLEAN_SHUTDOWN_FILE_VERSION = 0;
const encoder = new TextEncoder();
/** Kafka's log.flush.offset.checkpoint.interval.ms default: how often the broker should call checkpointRecoveryPoints. */
export const DEFAULT_RECOVERY_POINT_CHECKPOINT_INTERVAL_MS = 60_000;

export interface LogManagerOptions {
  /** The configuration of a partition's log (topic-level overrides applied). */
  readonly configFor: (topic: string, partition: number) => LogConfig;
  /** An asynchronous disk operation failed; Kafka would take the log directory offline. */
  readonly onDiskError?: (error: DiskError, what: string) => void;
}

export interface LogManagerLoadReport {
  readonly cleanShutdown: boolean;
  readonly recoveryPointCheckpoint: 'loaded' | 'missing' | 'malformed';
  readonly logsLoaded: number;
}

function key(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

export class LogManager {
  private readonly logMap = new Map<string, { readonly topicPartition: TopicPartition; readonly log: Log }>();
  private readonly recoveryPointWriter: CheckpointWriter;
  private readonly listener: LogListener;
  private shuttingDown = false;
  readonly loadReport: LogManagerLoadReport;

  private constructor(
    private readonly disk: Disk,
    readonly logDir: string,
    nowMs: number,
    private readonly options: LogManagerOptions,
  ) {
    disk.mkdirs(logDir);
    const markerPath = joinPath(logDir, CLEAN_SHUTDOWN_FILE);
    const cleanShutdown = disk.exists(markerPath);
    const checkpointPath = joinPath(logDir, RECOVERY_POINT_CHECKPOINT_FILE);
    if (disk.exists(checkpointPath + TEMP_FILE_SUFFIX)) disk.delete(checkpointPath + TEMP_FILE_SUFFIX);
    const { points, status } = readRecoveryPoints(disk, checkpointPath);
    this.recoveryPointWriter = new CheckpointWriter(disk, checkpointPath, () => this.recoveryPointsText(),
      (error) => this.options.onDiskError?.(error, checkpointPath));
    this.listener = {
      beforeRecoveryPointDrop: () => this.recoveryPointWriter.invalidate(),
      afterRecoveryPointDrop: () => this.recoveryPointWriter.markChanged(),
      diskError: (log, error) => this.options.onDiskError?.(error, log.dir),
    };
    for (const name of disk.list(logDir)) {
      const topicPartition = parsePartitionDirName(name);
      const path = joinPath(logDir, name);
      if (topicPartition === undefined || !disk.isDirectory(path)) continue;
      const log = Log.open(disk, path, options.configFor(topicPartition.topic, topicPartition.partition), nowMs, {
        cleanShutdown,
        recoveryPoint: points.get(key(topicPartition.topic, topicPartition.partition)) ?? 0,
        listener: this.listener,
      });
      this.logMap.set(key(topicPartition.topic, topicPartition.partition), { topicPartition, log });
    }
    if (cleanShutdown) disk.delete(markerPath);
    this.loadReport = { cleanShutdown, recoveryPointCheckpoint: status, logsLoaded: this.logMap.size };
  }

  /** Loads every partition log under `logDir`, recovering them as the last shutdown requires. */
  static open(disk: Disk, logDir: string, nowMs: number, options: LogManagerOptions): LogManager {
    return new LogManager(disk, logDir, nowMs, options);
  }

  getLog(topic: string, partition: number): Log | undefined {
    return this.logMap.get(key(topic, partition))?.log;
  }

  /** The partition's log, created empty (at offset 0) if it does not exist. */
  getOrCreateLog(topic: string, partition: number, nowMs: number): Log {
    const existing = this.getLog(topic, partition);
    if (existing !== undefined) return existing;
    const dir = joinPath(this.logDir, partitionDirName(topic, partition));
    const log = Log.open(this.disk, dir, this.options.configFor(topic, partition), nowMs, { cleanShutdown: false, recoveryPoint: 0, listener: this.listener });
    this.logMap.set(key(topic, partition), { topicPartition: { topic, partition }, log });
    return log;
  }

  /** Every log, ordered by topic then partition. */
  logs(): { readonly topicPartition: TopicPartition; readonly log: Log }[] {
    return [...this.logMap.values()].sort((a, b) =>
      a.topicPartition.topic < b.topicPartition.topic ? -1 : a.topicPartition.topic > b.topicPartition.topic ? 1 : a.topicPartition.partition - b.topicPartition.partition);
  }

  /** Writes recovery-point-offset-checkpoint with every log's current recovery point. */
  checkpointRecoveryPoints(done?: (error?: DiskError) => void): void {
    this.recoveryPointWriter.markChanged();
    if (done !== undefined) this.recoveryPointWriter.whenDurable(done);
  }

  /**
   * Clean shutdown: closes (flushes) every log, writes the recovery point checkpoint, then the clean-shutdown
   * marker; `done` runs once the marker is durable. A disk error on the way leaves no marker, so the next start
   * recovers.
   */
  shutdown(nowMs: number, done: (error?: DiskError) => void, brokerEpoch = -1): void {
    invariantWith(!this.shuttingDown, 'lifecycle', this.logDir, () => 'the log manager is already shutting down');
    this.shuttingDown = true;
    const logs = this.logs();
    let pending = logs.length + 1;
    let firstError: DiskError | undefined;
    const closed = (error?: DiskError): void => {
      if (error !== undefined && firstError === undefined) firstError = error;
      if (--pending > 0) return;
      if (firstError !== undefined) return done(firstError);
      this.checkpointRecoveryPoints((checkpointError) => {
        if (checkpointError !== undefined) return done(checkpointError);
        this.writeCleanShutdownMarker(brokerEpoch, done);
      });
    };
    for (const { log } of logs) log.close(nowMs, closed);
    closed();
  }

  private writeCleanShutdownMarker(brokerEpoch: number, done: (error?: DiskError) => void): void {
    const markerPath = joinPath(this.logDir, CLEAN_SHUTDOWN_FILE);
    try {
      if (!this.disk.exists(markerPath)) this.disk.create(markerPath);
      this.disk.truncate(markerPath, 0);
      this.disk.write(markerPath, 0, encoder.encode(JSON.stringify({ version: CLEAN_SHUTDOWN_FILE_VERSION, brokerEpoch })));
    } catch (error) {
      if (error instanceof DiskError) return done(error);
      throw error;
    }
    this.disk.fsync(markerPath, done);
  }

  private recoveryPointsText(): string {
    return formatCheckpoint(RECOVERY_POINT_CHECKPOINT_VERSION,
      this.logs().map(({ topicPartition, log }) => `${topicPartition.topic} ${topicPartition.partition} ${log.recoveryPoint}`));
  }
}

/**
 * The broker epoch a clean shutdown recorded in `logDir`'s `.kafka_cleanshutdown`, or -1 when there is none (no
 * marker: the last stop was not clean; an empty, torn, older or unreadable marker proves nothing). Read before the logs are
 * loaded, which deletes the marker.
 */
export function readCleanShutdownBrokerEpoch(disk: Disk, logDir: string): number {
  let content: unknown;
  try {
    const text = readCheckpointText(disk, joinPath(logDir, CLEAN_SHUTDOWN_FILE));
    if (text === undefined) return -1;
    content = JSON.parse(text);
  } catch (error) {
    if (error instanceof DiskError || error instanceof SyntaxError) return -1;
    throw error;
  }
  const epoch = typeof content === 'object' && content !== null ? (content as { brokerEpoch?: unknown }).brokerEpoch : undefined;
  return typeof epoch === 'number' && Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : -1;
}

/** Parses recovery-point-offset-checkpoint text into "topic partition" -> offset. */
export function parseRecoveryPointCheckpoint(text: string, path: string): Map<string, number> {
  const points = new Map<string, number>();
  parseCheckpoint(text, path, RECOVERY_POINT_CHECKPOINT_VERSION, 3).forEach((fields, i) => {
    const partition = parseIntegerField(fields[1], path, i + 3);
    points.set(key(fields[0], partition), parseIntegerField(fields[2], path, i + 3));
  });
  return points;
}

function readRecoveryPoints(disk: Disk, path: string): { points: Map<string, number>; status: LogManagerLoadReport['recoveryPointCheckpoint'] } {
  const text = readCheckpointText(disk, path);
  if (text === undefined) return { points: new Map(), status: 'missing' };
  try {
    return { points: parseRecoveryPointCheckpoint(text, path), status: 'loaded' };
  } catch (error) {
    if (error instanceof CheckpointFormatError) return { points: new Map(), status: 'malformed' };
    throw error;
  }
}

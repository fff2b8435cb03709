// `replication-offset-checkpoint`: each partition's high watermark, in the log directory (Kafka's format:
// version 0, a count, then `topic partition offset` lines), rewritten every
// replica.high.watermark.checkpoint.interval.ms and at shutdown.
//
// A restarted replica starts from this high watermark. Under the epoch-based protocol that only bounds what a
// new leader serves consumers until its followers report in; in the pre-KIP-101 mode it is what a follower
// truncates to, so a stale value here is exactly how that mode loses acknowledged writes.

import { CheckpointFormatError, CheckpointWriter, formatCheckpoint, parseCheckpoint, parseIntegerField, readCheckpointText } from '../log/checkpoint-file.ts';
import { joinPath, TEMP_FILE_SUFFIX } from '../log/file-names.ts';
import type { Disk, DiskError } from '../runtime.ts';

export const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';
const VERSION = 0;

export interface HighWatermarkEntry {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
}

function key(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

export class HighWatermarkCheckpoint {
  private readonly writer: CheckpointWriter;
  private readonly loaded: Map<string, number>;
  readonly status: 'loaded' | 'missing' | 'malformed';

  constructor(
    disk: Disk,
    logDir: string,
    entries: () => readonly HighWatermarkEntry[],
    onError: (error: DiskError) => void,
  ) {
    const path = joinPath(logDir, HIGH_WATERMARK_CHECKPOINT_FILE);
    if (disk.exists(path + TEMP_FILE_SUFFIX)) disk.delete(path + TEMP_FILE_SUFFIX);
    const text = readCheckpointText(disk, path);
    let status: 'loaded' | 'missing' | 'malformed' = 'missing';
    let loaded = new Map<string, number>();
    if (text !== undefined) {
      try {
        loaded = parseHighWatermarks(text, path);
        status = 'loaded';
      } catch (error) {
        if (!(error instanceof CheckpointFormatError)) throw error;
        status = 'malformed';
      }
    }
    this.loaded = loaded;
    this.status = status;
    this.writer = new CheckpointWriter(disk, path, () => formatCheckpoint(VERSION,
      entries().map((entry) => `${entry.topic} ${entry.partition} ${entry.highWatermark}`)), onError);
  }

  /** The high watermark the file held at start for this partition, or 0. */
  highWatermarkAtStart(topic: string, partition: number): number {
    return this.loaded.get(key(topic, partition)) ?? 0;
  }

  /** Rewrites the file; `done` once it is durable. */
  write(done?: (error?: DiskError) => void): void {
    this.writer.markChanged();
    if (done !== undefined) this.writer.whenDurable(done);
  }
}

export function parseHighWatermarks(text: string, path: string): Map<string, number> {
  const result = new Map<string, number>();
  parseCheckpoint(text, path, VERSION, 3).forEach((fields, i) => {
    result.set(key(fields[0], parseIntegerField(fields[1], path, i + 3)), parseIntegerField(fields[2], path, i + 3));
  });
  return result;
}

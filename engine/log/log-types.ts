// The shapes of the Log's API: what it is told, what it answers, and whom it tells of durability events.

import type { DiskError } from '../runtime.ts';
import type { Log } from './log.ts';

export type { AppendOptions } from './append-validation.ts';

/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface LogListener {
  /**
   * The log is about to drop its recovery point below a value the recovery-point checkpoint may hold. Called
   * synchronously, before any file changes: the owner must make sure no durable checkpoint vouches for the old
   * value (LogManager deletes the file).
   */
  beforeRecoveryPointDrop?(log: Log): void;
  /** The recovery point dropped (after beforeRecoveryPointDrop and the change): time to rewrite the checkpoint. */
  afterRecoveryPointDrop?(log: Log): void;
  /** A flush completed and the recovery point advanced to `recoveryPoint`. */
  flushed?(log: Log, recoveryPoint: number): void;
  /** A disk operation failed: a write, truncation or deletion (reported before it is thrown), an fsync, a
   *  checkpoint write. Kafka takes the log directory offline. */
  diskError?(log: Log, error: DiskError): void;
}

export interface LogOpenOptions {
  /** The log directory's clean-shutdown marker was present. */
  readonly cleanShutdown: boolean;
  /** This partition's entry in recovery-point-offset-checkpoint (0 if none). */
  readonly recoveryPoint: number;
  readonly listener?: LogListener;
}

export interface LogAppendInfo {
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** Base offset of the segment written to, and the byte position of the first batch in it. */
  readonly segmentBaseOffset: number;
  readonly position: number;
  readonly batchCount: number;
  readonly recordCount: number;
  readonly sizeBytes: number;
  readonly maxTimestamp: number;
}

export interface ReadOptions {
  /** Return the first batch even when it is larger than maxBytes (Kafka's minOneMessage). Default true. */
  readonly minOneBatch?: boolean;
  /** Exclusive bound: no batch whose last offset is >= maxOffset (e.g. the high watermark). Default: none. */
  readonly maxOffset?: number;
}

export interface LogReadResult {
  /** Whole batches, possibly empty; a view of bytes read from one segment. */
  readonly bytes: Uint8Array;
  /** One past the last offset returned; startOffset when nothing was. */
  readonly nextOffset: number;
}

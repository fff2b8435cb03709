// The replicated log of the quorum: `__cluster_metadata-0` on engine/log's Log, with what Raft asks of it
// (Kafka's ReplicatedLog / KafkaMetadataLog).
//
// - Durable end: flush() coalesces fsyncs (one in flight, one more queued) and tracks flushedEndOffset, the
//   offset below which every record is on durable storage. A leader counts itself in the majority only up to
//   it; a follower sends its next fetch (which reports its log end) only once it has caught up with its log end.
// - Divergence (KIP-595): validateFetchPosition is the leader's check of a follower's (fetchOffset,
//   lastFetchedEpoch) against its epoch cache; truncateToEndOffset is the follower's answer to a diverging
//   epoch: cut to where both logs agree, as far as this round can tell (a few rounds may be needed).
// - The batch's partitionLeaderEpoch is the Raft epoch that appended it; the log's leader epoch cache is the
//   Raft epoch history.
//
// Opening always re-reads the whole log (no recovery-point checkpoint is kept for it; metadata logs are small):
// torn tails after a power loss are cut by engine/log's recovery.

import type { DiskError, Runtime } from '../runtime.ts';
import { Log } from '../log/log.ts';
import type { LogAppendInfo } from '../log/log.ts';
import { DEFAULT_LOG_CONFIG, withLogConfig } from '../log/log-config.ts';
import type { EpochEndOffset } from './messages.ts';
import { invariantWith } from '../invariants.ts';

export class ReplicatedLog {
  private readonly log: Log;
  private flushed = 0;
  private flushInFlight = false;
  private flushQueued = false;
  /** Bumped by every truncation: a flush issued before one does not vouch for what follows it. */
  private truncations = 0;

  constructor(
    private readonly runtime: Runtime,
    readonly dir: string,
    segmentBytes: number,
    /** The durable end moved. */
    private readonly onFlushed: () => void,
    private readonly onDiskError: (error: DiskError) => void,
  ) {
    const config = withLogConfig(DEFAULT_LOG_CONFIG, { 'segment.bytes': segmentBytes });
    this.log = Log.open(runtime.disk, dir, config, runtime.now(), {
      cleanShutdown: false,
      recoveryPoint: 0,
      listener: { diskError: (_log, error) => onDiskError(error) },
    });
  }

  get startOffset(): number {
    return this.log.logStartOffset;
  }

  get endOffset(): number {
    return this.log.logEndOffset;
  }

  /** Every record below this offset is on durable storage. */
  get flushedEndOffset(): number {
    return this.flushed;
  }

  /** The epoch of the last batch (0 for an empty log): a vote's lastOffsetEpoch, a fetch's lastFetchedEpoch. */
  lastEpoch(): number {
    return this.log.leaderEpochCache.latestEpoch() ?? 0;
  }

  appendAsLeader(batch: Uint8Array, epoch: number): LogAppendInfo {
    return this.log.append(batch, { assignOffsets: true, leaderEpoch: epoch, nowMs: this.runtime.now() });
  }

  /** Appends batches fetched from the leader; they must continue the log exactly. */
  appendAsFollower(batches: Uint8Array): LogAppendInfo {
    const expectedOffset = this.endOffset;
    const info = this.log.append(batches, { assignOffsets: false, nowMs: this.runtime.now() });
    invariantWith(info.firstOffset === expectedOffset, 'raft-log-consistency', this.dir, () => `${this.dir}: fetched batches start at ${info.firstOffset}, the log ends at ${expectedOffset}`);
    return info;
  }

  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.log.endOffsetForEpoch(epoch);
  }

  /**
   * The leader's check of a fetch position: null if the fetcher's log agrees with this one up to fetchOffset,
   * else the diverging epoch — the largest epoch of ours not above lastFetchedEpoch, and where it ends here.
   */
  validateFetchPosition(fetchOffset: number, lastFetchedEpoch: number): EpochEndOffset | null {
    if (fetchOffset <= this.startOffset) return null;
    const end = this.log.endOffsetForEpoch(lastFetchedEpoch);
    if (end.epoch < 0) return { epoch: this.lastEpoch(), endOffset: Math.min(fetchOffset, this.endOffset) };
    if (end.epoch < lastFetchedEpoch || end.endOffset < fetchOffset) return { epoch: end.epoch, endOffset: end.endOffset };
    return null;
  }

  /** The follower's side of a divergence: truncates to where the logs agree; returns the new log end. */
  truncateToEndOffset(diverging: EpochEndOffset, highWatermark: number): number {
    const local = this.log.endOffsetForEpoch(diverging.epoch);
    let target = local.endOffset < 0 ? diverging.endOffset
      : local.epoch === diverging.epoch ? Math.min(local.endOffset, diverging.endOffset) : local.endOffset;
    target = Math.max(Math.min(target, this.endOffset), this.startOffset);
    invariantWith(target >= highWatermark, 'raft-log-consistency', this.dir,
      () => `${this.dir}: truncation to ${target} (diverging epoch ${diverging.epoch} ends at ${diverging.endOffset}) is below the high watermark ${highWatermark}`);
    if (target < this.endOffset) {
      this.truncations++;
      this.log.truncateTo(target, this.runtime.now());
      if (this.flushed > this.log.logEndOffset) this.flushed = this.log.logEndOffset;
    }
    return this.endOffset;
  }

  /** Whole batches from `startOffset`, at most `maxBytes` (the first batch whole), none reaching `maxOffset`. */
  read(startOffset: number, maxBytes: number, maxOffset?: number): Uint8Array {
    return this.log.read(startOffset, maxBytes, { maxOffset }).bytes;
  }

  /** Starts making the log durable up to its end; onFlushed tells when the durable end moved. */
  flush(): void {
    if (this.flushInFlight) {
      this.flushQueued = true;
      return;
    }
    if (this.flushed >= this.endOffset && !this.flushQueued) return;
    this.flushQueued = false;
    this.flushInFlight = true;
    const target = this.endOffset;
    const truncations = this.truncations;
    this.log.flush((error) => {
      this.flushInFlight = false;
      if (error !== undefined) {
        this.onDiskError(error);
        return;
      }
      const moved = truncations === this.truncations && target > this.flushed;
      if (moved) this.flushed = target;
      if (this.flushQueued || this.flushed < this.endOffset) this.flush();
      if (moved) this.onFlushed();
    });
  }
}

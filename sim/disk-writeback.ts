// What the kernel does for a simulated disk in the background: the device's queue, dirty-file bookkeeping,
// the flusher (expired and over-threshold writeback) and the periodic journal commit. See sim/disk.ts for the
// model these implement.

import type { Inode, PendingFlush } from './disk-inode.ts';
import type { WritebackSettings } from './disk-model.ts';
import type { EventId, Scheduler } from './scheduler.ts';

/** The device as one FIFO queue: each job starts when the previous one ends. */
export class DeviceQueue {
  busyUntilMs = 0;

  constructor(private readonly scheduler: Scheduler, private readonly slowFactor: () => number) {}

  /** Queues `durationMs` of work (times the slow factor); returns when it completes. */
  enqueue(durationMs: number): number {
    const now = this.scheduler.now();
    const start = this.busyUntilMs > now ? this.busyUntilMs : now;
    this.busyUntilMs = start + durationMs * this.slowFactor();
    return this.busyUntilMs;
  }

  /** A power loss empties the queue. */
  reset(): void {
    this.busyUntilMs = Math.min(this.busyUntilMs, this.scheduler.now());
  }
}

/** What the writeback needs from its disk. */
export interface WritebackHost {
  readonly scheduler: Scheduler;
  readonly settings: WritebackSettings;
  readonly device: DeviceQueue;
  readonly writeBandwidthBytesPerMs: number;
  readonly journalCommitLatencyMs: number;
  /** Changes at every power loss: work issued before one never completes. */
  powerEpoch(): number;
  /** Makes every pending metadata change durable. */
  commitJournal(): void;
  /** Counts a writeback issued. */
  countWriteback(bytes: number): void;
  trace(event: string, bytes: number): void;
}

export class Writeback {
  /** Dirty files, oldest first (a file is re-added at the end when it is dirtied again). */
  private readonly dirtyInodes = new Set<Inode>();
  private dirtyBytesTotal = 0;
  private bytesInFlight = 0;
  private flusherTimer: EventId | null = null;
  private journalTimer: EventId | null = null;

  constructor(private readonly host: WritebackHost) {}

  dirtyBytes(): number {
    return this.dirtyBytesTotal;
  }

  /** A write or truncation changed `changedBytes` of `inode`; `becameDirty` if it was clean before. */
  noteChange(inode: Inode, becameDirty: boolean, changedBytes: number): void {
    if (becameDirty) this.track(inode);
    this.dirtyBytesTotal += changedBytes;
    if (this.dirtyBytesTotal - this.bytesInFlight > this.host.settings.dirtyBackgroundBytes) this.writeBackOverThreshold();
  }

  /** True when writers must slow to the device's speed (Linux's balance_dirty_pages). */
  throttled(): boolean {
    return this.dirtyBytesTotal > this.host.settings.dirtyLimitBytes;
  }

  /** A flush of `inode` (fsync or writeback) completed. */
  completeFlush(inode: Inode, flush: PendingFlush): void {
    const wasDirty = inode.dirty;
    const undurableBefore = inode.undurableBytes;
    const stillDirty = inode.completeFlush(flush);
    if (!wasDirty) return;
    this.dirtyBytesTotal += inode.undurableBytes - undurableBefore;
    this.dirtyInodes.delete(inode);
    // What remains dirty was written after the flush was issued: it ages from now.
    if (stillDirty) this.track(inode);
  }

  /** An unlinked file: its dirty pages are dropped, never written. */
  discard(inode: Inode): void {
    inode.unlinked = true;
    if (inode.dirty) {
      this.dirtyBytesTotal -= inode.undurableBytes;
      this.dirtyInodes.delete(inode);
      inode.revertToDurable();
    }
    inode.unflushedBytes = 0;
  }

  /** A metadata change joined the running journal transaction: commit it `journalCommitMs` from now. */
  noteMetadataChange(): void {
    if (this.journalTimer !== null) return;
    const host = this.host;
    this.journalTimer = host.scheduler.after(host.settings.journalCommitMs, () => {
      this.journalTimer = null;
      const doneAt = host.device.enqueue(host.journalCommitLatencyMs);
      const powerEpoch = host.powerEpoch();
      host.scheduler.at(doneAt, () => {
        if (powerEpoch === host.powerEpoch()) host.commitJournal();
      });
    });
  }

  /** A power loss: nothing is dirty any more, nothing is in flight, no timer runs. */
  reset(): void {
    if (this.flusherTimer !== null) this.host.scheduler.cancel(this.flusherTimer);
    if (this.journalTimer !== null) this.host.scheduler.cancel(this.journalTimer);
    this.flusherTimer = null;
    this.journalTimer = null;
    this.dirtyInodes.clear();
    this.dirtyBytesTotal = 0;
    this.bytesInFlight = 0;
    this.host.device.reset();
  }

  private track(inode: Inode): void {
    const scheduler = this.host.scheduler;
    inode.dirtiedAtMs = scheduler.now();
    this.dirtyInodes.add(inode);
    if (this.flusherTimer === null) {
      const interval = this.host.settings.dirtyWritebackMs;
      const nextTickMs = (Math.floor(scheduler.now() / interval) + 1) * interval;
      this.flusherTimer = scheduler.at(nextTickMs, () => this.flusherTick());
    }
  }

  /** The flusher's periodic wake-up: write back files dirty for dirtyExpireMs or more. */
  private flusherTick(): void {
    const { scheduler, settings } = this.host;
    this.flusherTimer = null;
    const expiredBeforeMs = scheduler.now() - settings.dirtyExpireMs;
    for (const inode of this.dirtyInodes) {
      if (inode.dirtiedAtMs > expiredBeforeMs) break;
      if (!inode.writebackInFlight) this.writeBack(inode);
    }
    if (this.dirtyInodes.size > 0) {
      this.flusherTimer = scheduler.after(settings.dirtyWritebackMs, () => this.flusherTick());
    }
  }

  /** Too much dirty data: write back the oldest files until what remains is under the background threshold. */
  private writeBackOverThreshold(): void {
    for (const inode of this.dirtyInodes) {
      if (this.dirtyBytesTotal - this.bytesInFlight <= this.host.settings.dirtyBackgroundBytes) break;
      if (!inode.writebackInFlight) this.writeBack(inode);
    }
  }

  private writeBack(inode: Inode): void {
    const host = this.host;
    const bytes = inode.unflushedBytes;
    const counted = inode.undurableBytes;
    inode.unflushedBytes = 0;
    inode.writebackInFlight = true;
    const flush = inode.beginFlush();
    this.bytesInFlight += counted;
    host.countWriteback(bytes);
    const doneAt = host.device.enqueue(bytes / host.writeBandwidthBytesPerMs);
    const powerEpoch = host.powerEpoch();
    host.scheduler.at(doneAt, () => {
      if (powerEpoch !== host.powerEpoch()) return;
      inode.writebackInFlight = false;
      this.bytesInFlight -= counted;
      this.completeFlush(inode, flush);
      host.trace('disk.writeback', bytes);
    });
  }
}

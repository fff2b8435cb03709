// A node's simulated disk: the engine's `Disk`, with a page cache, durability, a time model and faults.
//
// Model, in brief (Linux with ext4, data=ordered, delayed allocation):
// - Data. Every write, append and truncate lands in the page cache at once: reads see it, a process crash
//   (crashProcess) keeps it. A file's bytes AND its length become durable together, when an fsync of that file
//   completes or when background writeback of it completes. Writeback: every `dirtyWritebackMs` (5 s) the
//   flusher writes back each file that has been dirty for `dirtyExpireMs` (30 s) or more, oldest first; above
//   `dirtyBackgroundBytes` of dirty data it writes back oldest files at once. A completed flush (fsync or
//   writeback) makes durable the content the file had when the flush was issued, if only appends followed;
//   after an overwrite or truncation below that size, the content at completion (Linux may write pages
//   dirtied while the flush ran, and keeping no snapshot of the content at issue keeps writes cheap).
// - Metadata. mkdirs, create, rename and delete apply at once to the visible tree and join the running journal
//   transaction. The journal commits (all changes so far become durable, atomically) every `journalCommitMs`
//   (5 s) and whenever any fsync completes (an fsync forces a commit; this also makes the fsynced file's
//   directory entry durable). Truncation is data, not metadata: it becomes durable with the file's bytes.
//   Deleting a file (or replacing it by rename) discards its dirty pages; until the deletion commits, a power
//   loss brings the file back with its durable content.
// - Power loss. The tree reverts to the last committed journal. Each durable file keeps its durable content,
//   plus part of its unsynced changes: with a byte `cut` drawn per file, bytes below the cut have their page
//   cache value and bytes from the cut on their durable value (writeback proceeds in file-offset order).
//   Per dirty file, one of four outcomes, equally likely: nothing unsynced survives (cut at the lowest changed
//   byte); everything survives (length included); the LAST change tears (cut uniform within its byte range,
//   so a random prefix of the last write survives and everything below it); or the cut is uniform over the
//   whole changed range. The surviving length is the durable length, or the cut where page-cache bytes reach
//   further. Nothing whose fsync callback ran without error is lost. Pending fsyncs, writebacks and journal
//   commits vanish (their callbacks never run); the page cache is empty afterwards (reads miss).
// - Process crash. crashProcess() models kill -9: nothing is lost, issued device work completes, but fsync
//   callbacks issued before the crash never run (each fsync remembers the process epoch it was issued in).
// - Time. The device is one FIFO queue: fsyncs (dirty bytes / write bandwidth + fsyncLatencyMs), writeback
//   (bytes / write bandwidth), journal commits (fsyncLatencyMs) and read misses (readLatencyMs + bytes / read
//   bandwidth) each start when the device is free. Synchronous calls charge the calling node: a write costs a
//   memory copy (pageCacheBytesPerMs), or the device's write speed once dirty data passes `dirtyLimitBytes`
//   (Linux throttles writers); a read costs a copy, or waits for the device on a miss. busyUntilMs() is the later
//   of the device queue's end and the synchronous work's end; syncBusyUntilMs() is the latter alone.
// - Faults. failIo (EIO on matching operations), corruptReads (one flipped bit in returned bytes), setFull /
//   capacityBytes (ENOSPC on writes that grow usage), slow (multiplies device times); each returns a handle to
//   undo it, clearFaults() undoes all. A failed write changes nothing; a failed fsync makes nothing durable
//   (the data stays dirty) and passes EIO to its callback.
// All randomness comes from the given stream; time from the scheduler.

import { DiskError } from '../engine/runtime.ts';
import type { Disk, TraceFields } from '../engine/runtime.ts';
import { Inode } from './disk-inode.ts';
import type { PendingFlush } from './disk-inode.ts';
import { DiskFaults } from './disk-faults.ts';
import type { DiskFault, DiskOperationKind, FailIoOptions } from './disk-faults.ts';
import { assertValidProfile, DEFAULT_DISK_PROFILE, DEFAULT_WRITEBACK, diskProfile } from './disk-model.ts';
import type { DiskProfile, DiskProfileName, WritebackSettings } from './disk-model.ts';
import { assertValidPath, DiskPathError, Namespace } from './disk-namespace.ts';
import type { RandomStream } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import { DeviceQueue, Writeback } from './disk-writeback.ts';

export { DiskPathError } from './disk-namespace.ts';
export type { DiskFault, DiskOperationKind, FailIoOptions } from './disk-faults.ts';
export { DISK_PROFILES, DEFAULT_WRITEBACK, diskProfile } from './disk-model.ts';
export type { DiskProfile, DiskProfileName, WritebackSettings } from './disk-model.ts';

export interface SimDiskOptions {
  readonly scheduler: Scheduler;
  /** The disk's own stream (torn writes, fault decisions), e.g. `streams.stream('disk:broker-1')`. */
  readonly random: RandomStream;
  /** A profile or a preset's name; `nvme-ssd` if absent. */
  readonly profile?: DiskProfile | DiskProfileName;
  /** Usable bytes (sum of file sizes); unlimited if absent. */
  readonly capacityBytes?: number;
  /** For messages and traces, e.g. the node's id. */
  readonly name?: string;
  /** Kernel writeback settings; Linux defaults where absent. */
  readonly writeback?: Partial<WritebackSettings>;
  /** Receives the disk's trace events (fsync completions, writebacks, commits, crashes, power losses). */
  readonly trace?: (event: string, fields: TraceFields) => void;
}

/** Counters since the disk was made. */
export interface DiskStats {
  writes: number;
  bytesWritten: number;
  reads: number;
  bytesRead: number;
  readMissBytes: number;
  fsyncs: number;
  fsyncBytes: number;
  fsyncErrors: number;
  writebacks: number;
  writebackBytes: number;
  journalCommits: number;
  ioErrors: number;
  corruptedReads: number;
  processCrashes: number;
  powerLosses: number;
  /** Files that kept only part of their unsynced changes at a power loss. */
  tornFiles: number;
}

function newStats(): DiskStats {
  return {
    writes: 0, bytesWritten: 0, reads: 0, bytesRead: 0, readMissBytes: 0, fsyncs: 0, fsyncBytes: 0, fsyncErrors: 0,
    writebacks: 0, writebackBytes: 0, journalCommits: 0, ioErrors: 0, corruptedReads: 0, processCrashes: 0,
    powerLosses: 0, tornFiles: 0,
  };
}

function assertByteCount(operation: string, path: string, what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DiskPathError(operation, path, `${what} must be a whole number >= 0, got ${value}`);
  }
}

export class SimDisk implements Disk {
  readonly name: string;
  readonly profile: DiskProfile;
  readonly capacityBytes: number;
  readonly settings: WritebackSettings;

  private readonly scheduler: Scheduler;
  private readonly random: RandomStream;
  private readonly traceSink: ((event: string, fields: TraceFields) => void) | undefined;
  private readonly faults: DiskFaults;
  private readonly tree = new Namespace();
  private nextInodeId = 1;

  private readonly device: DeviceQueue;
  private readonly writeback: Writeback;
  private usedBytesTotal = 0;
  private syncBusyUntil = 0;
  private processEpochValue = 0;
  private powerEpoch = 0;
  private readonly statsValue = newStats();

  constructor(options: SimDiskOptions) {
    this.scheduler = options.scheduler;
    this.random = options.random;
    this.name = options.name ?? 'disk';
    const profile = options.profile ?? DEFAULT_DISK_PROFILE;
    this.profile = typeof profile === 'string' ? diskProfile(profile) : profile;
    assertValidProfile(this.profile);
    this.capacityBytes = options.capacityBytes ?? Infinity;
    if (!(this.capacityBytes >= 0)) throw new RangeError(`disk ${this.name}: capacityBytes must be >= 0, got ${this.capacityBytes}`);
    this.settings = { ...DEFAULT_WRITEBACK, ...options.writeback };
    for (const [key, value] of Object.entries(this.settings)) {
      if (!(value > 0)) throw new RangeError(`disk ${this.name}: writeback.${key} must be > 0, got ${value}`);
    }
    this.traceSink = options.trace;
    this.faults = new DiskFaults(this.random);
    this.device = new DeviceQueue(this.scheduler, () => this.faults.slowFactor);
    this.writeback = new Writeback({
      scheduler: this.scheduler,
      settings: this.settings,
      device: this.device,
      writeBandwidthBytesPerMs: this.profile.writeBandwidthBytesPerMs,
      journalCommitLatencyMs: this.profile.fsyncLatencyMs,
      powerEpoch: () => this.powerEpoch,
      commitJournal: () => this.commitJournal(),
      countWriteback: (bytes) => {
        this.statsValue.writebacks++;
        this.statsValue.writebackBytes += bytes;
      },
      trace: (event, bytes) => this.trace(event, { bytes }),
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // The Disk interface

  exists(path: string): boolean {
    return this.tree.get(path) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.tree.get(path)?.kind === 'dir';
  }

  mkdirs(path: string): void {
    this.checkIo('metadata', 'mkdirs', path);
    try {
      this.tree.mkdirs(path);
    } finally {
      this.noteMetadataChange();
    }
  }

  list(path: string): string[] {
    this.checkIo('read', 'list', path);
    return this.tree.list(path);
  }

  size(path: string): number {
    return this.fileAt('size', path).size;
  }

  create(path: string): void {
    this.checkIo('metadata', 'create', path);
    this.tree.create(path, new Inode(this.nextInodeId++));
    this.noteMetadataChange();
  }

  read(path: string, position: number, length: number): Uint8Array {
    const inode = this.fileAt('read', path);
    assertByteCount('read', path, 'position', position);
    assertByteCount('read', path, 'length', length);
    this.checkIo('read', 'read', path);
    const bytes = inode.read(position, length);
    this.statsValue.reads++;
    this.statsValue.bytesRead += bytes.length;
    const missedBytes = inode.cachedPages === null ? 0 : inode.touchCache(position, position + bytes.length);
    if (missedBytes > 0) {
      this.statsValue.readMissBytes += missedBytes;
      const doneAt = this.device.enqueue(this.profile.readLatencyMs + missedBytes / this.profile.readBandwidthBytesPerMs);
      if (doneAt > this.syncBusyUntil) this.syncBusyUntil = doneAt;
    }
    this.chargeSync(bytes.length / this.profile.pageCacheBytesPerMs);
    const corrupted = this.faults.maybeCorrupt(bytes);
    if (corrupted === undefined) return bytes;
    this.statsValue.corruptedReads++;
    return corrupted;
  }

  write(path: string, position: number, bytes: Uint8Array): void {
    const inode = this.fileAt('write', path);
    assertByteCount('write', path, 'position', position);
    if (position > inode.size) {
      throw new DiskPathError('write', path, `position ${position} is past the end of the file (${inode.size} bytes)`);
    }
    this.writeAt('write', path, inode, position, bytes);
  }

  append(path: string, bytes: Uint8Array): number {
    const inode = this.fileAt('append', path);
    const position = inode.size;
    this.writeAt('append', path, inode, position, bytes);
    return position;
  }

  truncate(path: string, size: number): void {
    const inode = this.fileAt('truncate', path);
    assertByteCount('truncate', path, 'size', size);
    this.checkIo('write', 'truncate', path);
    const oldSize = inode.size;
    if (size > oldSize) this.reserve('truncate', path, size - oldSize);
    else this.usedBytesTotal -= oldSize - size;
    this.writeback.noteChange(inode, inode.truncate(size), Math.abs(size - oldSize));
    if (size > oldSize) this.chargeWrite(size - oldSize);
  }

  rename(from: string, to: string): void {
    this.checkIo('metadata', 'rename', from);
    const replaced = this.tree.rename(from, to);
    if (replaced !== undefined) this.discard(replaced);
    this.noteMetadataChange();
  }

  delete(path: string): void {
    this.checkIo('metadata', 'delete', path);
    const removed = this.tree.delete(path);
    if (removed.kind === 'file') this.discard(removed);
    this.noteMetadataChange();
  }

  fsync(path: string, done: (error?: DiskError) => void): void {
    const entry = this.tree.get(path);
    if (entry === undefined) {
      assertValidPath('fsync', path);
      throw new DiskError('ENOENT', 'fsync', path);
    }
    const fails = this.faults.failsIo('fsync', path);
    let bytes = 0;
    let flush: PendingFlush | undefined;
    if (entry.kind === 'file' && !fails) {
      bytes = entry.unflushedBytes;
      entry.unflushedBytes = 0;
      flush = entry.beginFlush();
    }
    const issuedAtMs = this.scheduler.now();
    const doneAt = this.device.enqueue(bytes / this.profile.writeBandwidthBytesPerMs + this.profile.fsyncLatencyMs);
    this.statsValue.fsyncs++;
    this.statsValue.fsyncBytes += bytes;
    const processEpoch = this.processEpochValue;
    const powerEpoch = this.powerEpoch;
    this.scheduler.at(doneAt, () => {
      if (powerEpoch !== this.powerEpoch) return; // the power went out: the fsync vanished
      const alive = processEpoch === this.processEpochValue;
      if (fails) {
        this.statsValue.fsyncErrors++;
        this.statsValue.ioErrors++;
        this.trace('disk.fsync', { path, bytes, latencyMs: doneAt - issuedAtMs, ok: false });
        if (alive) done(new DiskError('EIO', 'fsync', path, `injected I/O error on ${this.name}`));
        return;
      }
      if (flush !== undefined) this.writeback.completeFlush(entry as Inode, flush);
      this.commitJournal();
      this.trace('disk.fsync', { path, bytes, latencyMs: doneAt - issuedAtMs, ok: true });
      if (alive) done();
    });
  }

  busyUntilMs(): number {
    return Math.max(this.device.busyUntilMs, this.syncBusyUntil);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Crashes

  /** kill -9 of the node's process: nothing is lost; fsync callbacks issued before it never run. */
  crashProcess(): void {
    this.processEpochValue++;
    this.statsValue.processCrashes++;
    this.syncBusyUntil = Math.min(this.syncBusyUntil, this.scheduler.now());
    this.trace('disk.crash', { epoch: this.processEpochValue });
  }

  /** Power loss: whatever is not durable is lost (see the file head); also ends the process. */
  powerLoss(): void {
    this.powerEpoch++;
    this.processEpochValue++;
    this.statsValue.powerLosses++;
    this.writeback.reset();
    this.syncBusyUntil = Math.min(this.syncBusyUntil, this.scheduler.now());

    let torn = 0;
    for (const [, inode] of this.tree.durableFiles()) {
      if (inode.dirty && this.survivePartly(inode)) torn++;
      inode.writebackInFlight = false;
      inode.unflushedBytes = 0;
      inode.dropPendingFlushes();
      inode.unlinked = false; // a deletion that had not committed is undone
      inode.dropCache();
    }
    this.tree.revertToDurable();
    this.usedBytesTotal = 0;
    for (const [, inode] of this.tree.files()) this.usedBytesTotal += inode.size;
    this.statsValue.tornFiles += torn;
    this.trace('disk.power-loss', { tornFiles: torn });
  }

  /** Increases at every crashProcess() and powerLoss(): callbacks from an older epoch are dropped. */
  processEpoch(): number {
    return this.processEpochValue;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Faults

  /** EIO on matching operations until cleared. */
  failIo(options: FailIoOptions = {}): DiskFault {
    return this.faults.failIo(options);
  }

  /** Each read flips one random bit of the returned bytes with this probability, until cleared. */
  corruptReads(probability: number): DiskFault {
    return this.faults.corruptReads(probability);
  }

  /** A full disk: ENOSPC on every write that grows usage, until setFull(false) or clearFaults(). */
  setFull(full: boolean): void {
    this.faults.setFull(full);
  }

  /** Multiplies device latencies and transfer times by `factor`, until cleared. */
  slow(factor: number): DiskFault {
    return this.faults.slow(factor);
  }

  clearFaults(): void {
    this.faults.clearAll();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Inspection (tests, checkers, metrics)

  /** What a power loss with nothing torn would leave of file `path`; undefined if it has no durable entry. */
  durableContent(path: string): Uint8Array | undefined {
    const entry = this.tree.durableEntry(path);
    return entry ? entry.durableContent() : undefined;
  }

  /** Paths (directories and files) that would survive a power loss now. */
  durablePaths(): string[] {
    return this.tree.durablePaths();
  }

  /** Bytes changed in the page cache and not yet durable. */
  dirtyBytes(): number {
    return this.writeback.dirtyBytes();
  }

  /** Sum of the visible file sizes. */
  usedBytes(): number {
    return this.usedBytesTotal;
  }

  /** Metadata changes not yet committed by the journal. */
  pendingMetadataChanges(): number {
    return this.tree.journalLength();
  }

  /** End of the synchronous work charged to the calling node (page-cache copies, read misses, throttling). */
  syncBusyUntilMs(): number {
    return this.syncBusyUntil;
  }

  /** End of the work queued on the device (fsyncs, writeback, journal commits, read misses). */
  deviceBusyUntilMs(): number {
    return this.device.busyUntilMs;
  }

  stats(): Readonly<DiskStats> {
    return { ...this.statsValue };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Internals

  private fileAt(operation: string, path: string): Inode {
    const entry = this.tree.get(path);
    if (entry === undefined) {
      assertValidPath(operation, path);
      throw new DiskError('ENOENT', operation, path);
    }
    if (entry.kind === 'dir') throw new DiskError('EISDIR', operation, path);
    return entry;
  }

  private checkIo(kind: DiskOperationKind, operation: string, path: string): void {
    if (this.faults.failsIo(kind, path)) {
      this.statsValue.ioErrors++;
      throw new DiskError('EIO', operation, path, `injected I/O error on ${this.name}`);
    }
  }

  private reserve(operation: string, path: string, growthBytes: number): void {
    if (this.faults.full || this.usedBytesTotal + growthBytes > this.capacityBytes) {
      throw new DiskError('ENOSPC', operation, path, `${this.name} is full (${this.usedBytesTotal} of ${this.capacityBytes} bytes used)`);
    }
    this.usedBytesTotal += growthBytes;
  }

  private writeAt(operation: string, path: string, inode: Inode, position: number, bytes: Uint8Array): void {
    this.checkIo('write', operation, path);
    if (bytes.length === 0) return;
    const growth = position + bytes.length - inode.size;
    if (growth > 0) this.reserve(operation, path, growth);
    this.writeback.noteChange(inode, inode.write(position, bytes), bytes.length);
    if (inode.cachedPages !== null) inode.touchCache(position, position + bytes.length);
    this.statsValue.writes++;
    this.statsValue.bytesWritten += bytes.length;
    this.chargeWrite(bytes.length);
  }

  private chargeWrite(bytes: number): void {
    const bytesPerMs = this.writeback.throttled()
      ? this.profile.writeBandwidthBytesPerMs / this.faults.slowFactor
      : this.profile.pageCacheBytesPerMs;
    this.chargeSync(bytes / bytesPerMs);
  }

  private chargeSync(durationMs: number): void {
    const now = this.scheduler.now();
    this.syncBusyUntil = (this.syncBusyUntil > now ? this.syncBusyUntil : now) + durationMs;
  }

  /** An unlinked file: its space is freed and its dirty pages are dropped. */
  private discard(inode: Inode): void {
    this.usedBytesTotal -= inode.size;
    this.writeback.discard(inode);
  }

  private noteMetadataChange(): void {
    if (this.tree.journalLength() > 0) this.writeback.noteMetadataChange();
  }

  private commitJournal(): void {
    const changes = this.tree.journalLength();
    if (changes === 0) return;
    this.tree.commit();
    this.statsValue.journalCommits++;
    this.trace('disk.journal-commit', { changes });
  }

  /** Applies the power-loss cut to one dirty file (see the file head). Returns true if it tore. */
  private survivePartly(inode: Inode): boolean {
    const low = inode.dirtyLowBytes;
    const high = Math.max(inode.size, inode.durableSize);
    let cut: number;
    switch (this.random.int(0, 3)) {
      case 0:
        inode.survivePowerLoss(low, false);
        return false;
      case 1:
        inode.survivePowerLoss(high, true);
        return false;
      case 2:
        cut = this.random.int(inode.lastChangeStart, inode.lastChangeEnd);
        break;
      default:
        cut = this.random.int(low, high);
        break;
    }
    const tore = cut > low && cut < high;
    inode.survivePowerLoss(cut, false);
    return tore;
  }

  private trace(event: string, fields: TraceFields): void {
    if (this.traceSink !== undefined) this.traceSink(event, { disk: this.name, ...fields });
  }
}

// The crash-recovery property of the partition log, for one seed.
//
// A seeded random history drives a LogManager with two partition logs on a SimDisk: leader and follower
// appends (with leader epoch changes), flushes, truncations (also below the recovery point, and full
// restarts at another offset), retention, rolls, recovery-point checkpoints, time passing (fsyncs complete,
// writeback runs, the journal commits), clean restarts and process crashes. Each cycle ends with a process
// crash or a power loss at a random moment; the logs are then reloaded and checked:
//
//  1. Structure. Every segment file is whole RecordBatch v2 batches, each CRC-valid; a segment's batches are
//     contiguous (each starts one past the previous one's last offset) and start at or above its base offset;
//     offsets rise strictly from segment to segment (a gap between segments is allowed: a retention or
//     truncation whose deletion never reached the disk can leave one). The log end offset is one past the
//     last batch (the active segment's base offset when it is empty).
//  2. Nothing invented. Every batch present is, byte for byte, a batch once appended at that base offset.
//  3. Durability. Every batch that a completed flush covered (its done callback ran without error) and that
//     was not deliberately removed since (truncation, retention, truncateFullyAndStartAt) is present at its
//     offset with identical bytes.
//  4. No loss without power loss. After a process crash or a clean restart, the log holds exactly the
//     batches it held before (the page cache survives a crash); after a clean restart nothing is re-read.
//  5. Indexes and caches agree with the batches: a read at every batch's base offset returns that batch
//     first; offsetForTimestamp equals a scan for the first record at or after the timestamp; the leader
//     epoch cache gives every batch the epoch stamped in it.
//
// Used by test/log/recovery.property.test.ts (a few hundred seeds) and cli/recovery-soak.ts (thousands).

import { crc32c } from '../../engine/records/crc32c.ts';
import { decodeBatch, encodeBatch } from '../../engine/records/batch.ts';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { parseSegmentFileName } from '../../engine/log/file-names.ts';
import { LONG_MAX, parseLogConfig } from '../../engine/log/log-config.ts';
import type { LogConfig } from '../../engine/log/log-config.ts';
import type { Log } from '../../engine/log/log.ts';
import { LogManager } from '../../engine/log/log-manager.ts';
import { SimDisk } from '../../sim/disk.ts';
import { RandomStreams } from '../../sim/random.ts';
import type { RandomStream } from '../../sim/random.ts';
import { Scheduler } from '../../sim/scheduler.ts';

const LOG_DIR = '/data/kafka-logs';
const PARTITIONS = [{ topic: 'orders', partition: 0 }, { topic: 'audit-log', partition: 3 }] as const;

export interface RecoveryPropertyOptions {
  /** Crash-and-recover cycles per seed. */
  readonly cycles?: number;
  /** Operations per cycle before the crash (the crash comes at a random point within it). */
  readonly operationsPerCycle?: number;
}

export interface RecoverySeedResult {
  readonly seed: number;
  readonly ok: boolean;
  /** The violated property, with the operations that led there. */
  readonly failure?: string;
  readonly operations: number;
  readonly powerLosses: number;
  readonly processCrashes: number;
  readonly cleanRestarts: number;
  readonly batchesAppended: number;
  /** Durable batches checked after the crashes. */
  readonly durableBatchesChecked: number;
  /** Recoveries that found an invalid batch (a torn or lost tail) and cut the log there. */
  readonly tailsCut: number;
}

class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

interface ModelBatch {
  readonly id: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Uint8Array;
}

/** What the test knows of one partition log. */
class LogModel {
  present: ModelBatch[] = [];
  readonly durable = new Set<number>();
  /** Every batch ever appended, by base offset + content hash. */
  readonly ever = new Map<string, ModelBatch>();
  epoch = 0;

  constructor(readonly topic: string, readonly partition: number) {}

  add(batch: ModelBatch): void {
    this.present.push(batch);
    this.ever.set(batchKey(batch.baseOffset, batch.bytes), batch);
  }

  removeFrom(offset: number): void {
    this.present = this.present.filter((batch) => batch.lastOffset < offset);
  }

  removeBelow(offset: number): void {
    this.present = this.present.filter((batch) => batch.lastOffset >= offset);
  }
}

function batchKey(baseOffset: number, bytes: Uint8Array): string {
  return `${baseOffset}:${bytes.length}:${crc32c(bytes)}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function randomConfig(random: RandomStream): LogConfig {
  return parseLogConfig({
    'segment.bytes': random.pick([700, 1500, 4000, 30_000]),
    'segment.ms': random.pick([7 * 24 * 3600 * 1000, 4000]),
    'index.interval.bytes': random.pick([0, 64, 300, 4096]),
    'segment.index.bytes': random.pick([40, 100, 10 * 1024 * 1024]),
    'retention.ms': random.pick([-1, 6000, 30_000]),
    'retention.bytes': random.pick([-1, 2500, 12_000]),
    'flush.messages': random.pick([LONG_MAX, LONG_MAX, LONG_MAX, 1, 9]),
    'file.delete.delay.ms': random.pick([0, 1500, 60_000]),
  });
}

export function runRecoverySeed(seed: number, options: RecoveryPropertyOptions = {}): RecoverySeedResult {
  return new RecoveryRun(seed, options).run();
}

class RecoveryRun {
  private readonly scheduler = new Scheduler();
  private readonly streams: RandomStreams;
  private readonly random: RandomStream;
  private readonly disk: SimDisk;
  private readonly configs = new Map<string, LogConfig>();
  private manager: LogManager;
  private readonly models = PARTITIONS.map((p) => new LogModel(p.topic, p.partition));
  private readonly history: string[] = [];
  private nextId = 1;
  private operations = 0;
  private powerLosses = 0;
  private processCrashes = 0;
  private cleanRestarts = 0;
  private batchesAppended = 0;
  private durableBatchesChecked = 0;
  private tailsCut = 0;

  constructor(readonly seed: number, private readonly options: RecoveryPropertyOptions) {
    this.streams = new RandomStreams(seed);
    this.random = this.streams.stream('workload');
    const settings = this.streams.stream('settings');
    for (const p of PARTITIONS) this.configs.set(`${p.topic}-${p.partition}`, randomConfig(settings));
    this.disk = new SimDisk({
      scheduler: this.scheduler,
      random: this.streams.stream('disk'),
      writeback: {
        dirtyExpireMs: settings.pick([300, 2000, 30_000]),
        dirtyWritebackMs: settings.pick([100, 500, 5000]),
        journalCommitMs: settings.pick([200, 1000, 5000]),
      },
    });
    this.manager = this.openManager();
    for (const model of this.models) this.manager.getOrCreateLog(model.topic, model.partition, this.now());
  }

  run(): RecoverySeedResult {
    const cycles = this.options.cycles ?? 3;
    const perCycle = this.options.operationsPerCycle ?? 60;
    let failure: string | undefined;
    try {
      for (let cycle = 0; cycle < cycles; cycle++) {
        const crashAfter = this.random.int(1, perCycle);
        for (let i = 0; i < crashAfter; i++) this.step();
        if (this.random.chance(0.7)) this.powerLoss();
        else this.processCrash();
      }
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      failure = `seed ${this.seed}: ${message}\nlast operations:\n  ${this.history.slice(-30).join('\n  ')}`;
    }
    return {
      seed: this.seed, ok: failure === undefined, failure, operations: this.operations, powerLosses: this.powerLosses,
      processCrashes: this.processCrashes, cleanRestarts: this.cleanRestarts, batchesAppended: this.batchesAppended,
      durableBatchesChecked: this.durableBatchesChecked, tailsCut: this.tailsCut,
    };
  }

  private now(): number {
    return this.scheduler.now();
  }

  private note(text: string): void {
    this.history.push(`[${this.operations}] t=${Math.round(this.now())} ${text}`);
  }

  private openManager(): LogManager {
    return LogManager.open(this.disk, LOG_DIR, this.now(), {
      configFor: (topic, partition) => this.configs.get(`${topic}-${partition}`) as LogConfig,
    });
  }

  private logOf(model: LogModel): Log {
    const log = this.manager.getLog(model.topic, model.partition);
    if (log === undefined) throw new PropertyViolation(`log ${model.topic}-${model.partition} was not loaded`);
    return log;
  }

  private step(): void {
    this.operations++;
    const model = this.random.pick(this.models);
    const roll = this.random.int(0, 99);
    if (roll < 34) this.appendLeader(model);
    else if (roll < 42) this.appendFollower(model);
    else if (roll < 45) this.newEpoch(model);
    else if (roll < 55) this.flush(model);
    else if (roll < 61) this.truncate(model);
    else if (roll < 62) this.truncateFully(model);
    else if (roll < 67) this.retention(model);
    else if (roll < 70) this.rollSegment(model);
    else if (roll < 75) this.checkpoint();
    else if (roll < 96) this.advanceTime();
    else if (roll < 98) this.cleanRestart();
    else this.processCrash();
  }

  private makeBatches(model: LogModel, baseOffset: number | undefined): Uint8Array {
    const count = this.random.int(1, 3);
    const parts: Uint8Array[] = [];
    let offset = baseOffset ?? 0;
    for (let b = 0; b < count; b++) {
      const records = this.random.int(1, 8);
      const valueBytes = this.random.pick([0, 10, 60, 200]);
      const tag = this.random.int(0, 255);
      const bytes = encodeBatch({
        baseOffset: offset,
        partitionLeaderEpoch: baseOffset === undefined ? -1 : model.epoch,
        records: Array.from({ length: records }, (_, i) => ({
          key: new Uint8Array([tag, i]),
          value: new Uint8Array(valueBytes).fill(tag ^ i),
          timestamp: Math.max(0, Math.round(this.now()) + this.random.int(-200, 200)),
        })),
      });
      parts.push(bytes);
      offset += records;
    }
    const total = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      total.set(part, at);
      at += part.length;
    }
    return total;
  }

  private recordAppended(model: LogModel, bytes: Uint8Array): void {
    let position = 0;
    while (position < bytes.length) {
      const header = readBatchHeader(bytes, position);
      const copy = bytes.slice(position, position + header.sizeBytes);
      model.add({ id: this.nextId++, baseOffset: header.baseOffset, lastOffset: header.lastOffset, bytes: copy });
      this.batchesAppended++;
      position += header.sizeBytes;
    }
  }

  private appendLeader(model: LogModel): void {
    const log = this.logOf(model);
    const bytes = this.makeBatches(model, undefined);
    const info = log.append(bytes, { assignOffsets: true, leaderEpoch: model.epoch, nowMs: this.now() });
    this.note(`${model.topic}: leader append [${info.firstOffset}, ${info.lastOffset}] epoch ${model.epoch}, ${bytes.length} bytes`);
    this.recordAppended(model, bytes);
  }

  private appendFollower(model: LogModel): void {
    const log = this.logOf(model);
    const bytes = this.makeBatches(model, log.logEndOffset);
    const info = log.append(bytes, { assignOffsets: false, nowMs: this.now() });
    this.note(`${model.topic}: follower append [${info.firstOffset}, ${info.lastOffset}] epoch ${model.epoch}`);
    this.recordAppended(model, bytes);
  }

  private newEpoch(model: LogModel): void {
    model.epoch++;
    const log = this.logOf(model);
    if (this.random.chance(0.5)) log.assignEpochStartOffset(model.epoch);
    this.note(`${model.topic}: epoch ${model.epoch} at ${log.logEndOffset}`);
  }

  private flush(model: LogModel): void {
    const log = this.logOf(model);
    const covered = model.present.map((batch) => batch.id);
    const disk = this.disk;
    const epoch = disk.processEpoch();
    this.note(`${model.topic}: flush up to ${log.logEndOffset} (${covered.length} batches)`);
    log.flush((error) => {
      if (error !== undefined || disk.processEpoch() !== epoch) return;
      for (const id of covered) model.durable.add(id);
    });
  }

  private truncate(model: LogModel): void {
    const log = this.logOf(model);
    const target = this.random.int(log.logStartOffset, log.logEndOffset);
    const recoveryPoint = log.recoveryPoint;
    const endBefore = log.logEndOffset;
    log.truncateTo(target, this.now());
    model.removeFrom(target);
    this.note(`${model.topic}: truncateTo ${target} (recovery point was ${recoveryPoint}) -> end ${log.logEndOffset}, segments ${log.segments.map((s) => s.baseOffset).join(',')}`);
    if (target < endBefore) this.expectEnd(model, log);
  }

  private truncateFully(model: LogModel): void {
    const log = this.logOf(model);
    const offset = Math.max(0, log.logEndOffset + this.random.int(-30, 30));
    log.truncateFullyAndStartAt(offset, this.now());
    model.present = [];
    this.note(`${model.topic}: truncateFullyAndStartAt ${offset}`);
  }

  private retention(model: LogModel): void {
    const log = this.logOf(model);
    const deleted = log.deleteOldSegments(this.now());
    model.removeBelow(log.logStartOffset);
    this.note(`${model.topic}: retention deleted ${deleted} segments, start ${log.logStartOffset}`);
    const first = model.present[0];
    if (first !== undefined && first.baseOffset < log.logStartOffset) {
      throw new PropertyViolation(`retention moved the log start to ${log.logStartOffset} inside batch [${first.baseOffset}, ${first.lastOffset}]`);
    }
  }

  private rollSegment(model: LogModel): void {
    this.logOf(model).roll(this.now());
    this.note(`${model.topic}: roll at ${this.logOf(model).logEndOffset}`);
  }

  private checkpoint(): void {
    this.manager.checkpointRecoveryPoints();
    this.note(`checkpoint recovery points`);
  }

  private advanceTime(): void {
    const ms = Math.round(this.random.exponential(this.random.pick([20, 300, 2500])));
    this.scheduler.runUntil(this.now() + ms);
    for (const model of this.models) this.logOf(model).purgeDeletedFiles(this.now());
    this.note(`advance ${ms} ms`);
  }

  /** After a truncation the log ends one past the last batch held, or at an empty active segment's base. */
  private expectEnd(model: LogModel, log: Log): void {
    const last = model.present[model.present.length - 1];
    const expected = log.activeSegment.sizeBytes === 0 ? log.activeSegment.baseOffset : last === undefined ? undefined : last.lastOffset + 1;
    if (log.logEndOffset !== expected) {
      throw new PropertyViolation(`${model.topic}: after a truncation the log ends at ${log.logEndOffset}, the batches held at ${expected}`);
    }
  }

  private cleanRestart(): void {
    let result: { error?: Error } | undefined;
    this.manager.shutdown(this.now(), (error) => {
      result = { error };
    });
    this.scheduler.run(100_000);
    if (result === undefined) throw new PropertyViolation('clean shutdown never completed');
    if (result.error !== undefined) throw new PropertyViolation(`clean shutdown failed: ${result.error.message}`);
    this.cleanRestarts++;
    this.note('clean restart');
    this.manager = this.openManager();
    if (!this.manager.loadReport.cleanShutdown) throw new PropertyViolation('the clean-shutdown marker was not found after a clean shutdown');
    this.checkAll('clean restart', true);
  }

  private processCrash(): void {
    this.disk.crashProcess();
    this.processCrashes++;
    this.note('process crash (kill -9)');
    this.manager = this.openManager();
    this.checkAll('process crash', true);
  }

  private powerLoss(): void {
    this.disk.powerLoss();
    this.powerLosses++;
    this.note('power loss');
    this.manager = this.openManager();
    this.checkAll('power loss', false);
  }

  // -------------------------------------------------------------------------------------------------------
  // Checks after a restart

  private checkAll(after: string, nothingLost: boolean): void {
    for (const model of this.models) {
      const log = this.manager.getOrCreateLog(model.topic, model.partition, this.now());
      this.checkLog(after, model, log, nothingLost);
    }
  }

  private checkLog(after: string, model: LogModel, log: Log, nothingLost: boolean): void {
    const where = `after ${after}, ${model.topic}`;
    if (log.recovery.corruption !== undefined) this.tailsCut++;
    const batches = this.checkStructure(where, log);
    // 2. nothing invented
    for (const batch of batches) {
      if (!model.ever.has(batchKey(batch.baseOffset, batch.bytes))) {
        throw new PropertyViolation(`${where}: batch [${batch.baseOffset}, ${batch.lastOffset}] was never appended with these bytes`);
      }
    }
    // 3. durability
    const byOffset = new Map(batches.map((batch) => [batch.baseOffset, batch]));
    for (const expected of model.present) {
      if (!model.durable.has(expected.id)) continue;
      this.durableBatchesChecked++;
      const found = byOffset.get(expected.baseOffset);
      if (found === undefined || !sameBytes(found.bytes, expected.bytes)) {
        throw new PropertyViolation(`${where}: flushed batch [${expected.baseOffset}, ${expected.lastOffset}] ${found === undefined ? 'is missing' : 'has other bytes'} (log holds [${log.logStartOffset}, ${log.logEndOffset}), recovery: ${JSON.stringify(log.recovery)})`);
      }
    }
    // 4. nothing lost without a power loss
    if (nothingLost) {
      const same = batches.length === model.present.length && batches.every((batch, i) => sameBytes(batch.bytes, model.present[i].bytes));
      if (!same) {
        throw new PropertyViolation(`${where}: expected exactly the ${model.present.length} batches held before, found ${batches.length} (${JSON.stringify(log.recovery)})`);
      }
    }
    this.checkReadsAndCaches(where, log, batches);
    // The recovered log becomes the model's truth.
    const stillDurable = new Set<number>();
    model.present = batches.map((batch) => {
      const known = model.ever.get(batchKey(batch.baseOffset, batch.bytes)) as ModelBatch;
      if (model.durable.has(known.id)) stillDurable.add(known.id);
      return known;
    });
    model.durable.clear();
    for (const id of stillDurable) model.durable.add(id);
    const latest = log.leaderEpochCache.latestEpoch();
    if (latest !== undefined && latest > model.epoch) model.epoch = latest;
  }

  /** 1. Reads every segment file from the disk and checks its batches; returns them in log order. */
  private checkStructure(where: string, log: Log): ModelBatch[] {
    const batches: ModelBatch[] = [];
    const files = this.disk.list(log.dir).map((name) => parseSegmentFileName(name)).filter((f) => f !== undefined && f.kind === 'log' && f.pendingSuffix === '');
    const segmentBases = files.map((f) => f!.baseOffset);
    const loadedBases = log.segments.map((s) => s.baseOffset);
    if (segmentBases.join() !== loadedBases.join()) {
      throw new PropertyViolation(`${where}: segment files [${segmentBases}] differ from the loaded segments [${loadedBases}]`);
    }
    let previousLast = -1;
    for (const segment of log.segments) {
      const bytes = this.disk.read(segment.logPath, 0, this.disk.size(segment.logPath));
      if (bytes.length !== segment.sizeBytes) throw new PropertyViolation(`${where}: segment ${segment.baseOffset} is ${bytes.length} bytes, the log says ${segment.sizeBytes}`);
      let position = 0;
      let expected = segment.baseOffset;
      let first = true;
      while (position < bytes.length) {
        let decoded;
        try {
          decoded = decodeBatch(bytes, position);
        } catch (error) {
          throw new PropertyViolation(`${where}: segment ${segment.baseOffset} byte ${position}: ${(error as Error).message}`);
        }
        if (first ? decoded.baseOffset < expected : decoded.baseOffset !== expected) {
          throw new PropertyViolation(`${where}: segment ${segment.baseOffset} byte ${position}: batch at ${decoded.baseOffset}, expected ${first ? '>= ' : ''}${expected}`);
        }
        if (decoded.baseOffset <= previousLast) {
          throw new PropertyViolation(`${where}: batch at ${decoded.baseOffset} does not rise above offset ${previousLast} (segments ${log.segments.map((s) => s.baseOffset)}, recovery ${JSON.stringify(log.recovery)})`);
        }
        first = false;
        batches.push({ id: 0, baseOffset: decoded.baseOffset, lastOffset: decoded.lastOffset, bytes: bytes.slice(position, position + decoded.sizeBytes) });
        previousLast = decoded.lastOffset;
        expected = decoded.lastOffset + 1;
        position += decoded.sizeBytes;
      }
    }
    const expectedEnd = batches.length > 0 ? previousLast + 1 : log.activeSegment.baseOffset;
    const lastInActive = log.activeSegment.sizeBytes > 0;
    if (log.logEndOffset !== (lastInActive ? expectedEnd : log.activeSegment.baseOffset)) {
      throw new PropertyViolation(`${where}: log end offset ${log.logEndOffset}, but the batches end at ${expectedEnd} (active segment ${log.activeSegment.baseOffset})`);
    }
    if (log.recoveryPoint > log.logEndOffset || log.logStartOffset !== log.segments[0].baseOffset) {
      throw new PropertyViolation(`${where}: recovery point ${log.recoveryPoint} / log start ${log.logStartOffset} inconsistent with [${log.segments[0].baseOffset}, ${log.logEndOffset})`);
    }
    return batches;
  }

  /** 5. Reads at each batch, timestamp lookups and the epoch cache agree with the batches. */
  private checkReadsAndCaches(where: string, log: Log, batches: readonly ModelBatch[]): void {
    for (const batch of batches) {
      const read = log.read(batch.baseOffset, 1, { minOneBatch: true });
      if (!sameBytes(read.bytes, batch.bytes)) throw new PropertyViolation(`${where}: read(${batch.baseOffset}) did not return the batch there`);
      const epoch = readBatchHeader(batch.bytes, 0).partitionLeaderEpoch;
      const cached = log.leaderEpochCache.epochForOffset(batch.baseOffset);
      if (epoch >= 0 && cached !== epoch) {
        throw new PropertyViolation(`${where}: batch at ${batch.baseOffset} has leader epoch ${epoch}, the epoch cache says ${cached} (${JSON.stringify(log.leaderEpochCache.epochEntries())}, recovery ${JSON.stringify(log.recovery)})`);
      }
    }
    const records = batches.flatMap((batch) => decodeBatch(batch.bytes, 0).records);
    for (let probe = 0; probe < 3 && records.length > 0; probe++) {
      const target = this.random.pick(records).timestamp + this.random.int(-50, 50);
      if (target < 0) continue;
      const expected = records.find((record) => record.timestamp >= target);
      const found = log.offsetForTimestamp(target);
      if (expected?.offset !== found?.offset) {
        const segments = log.segments.map((s) => `${s.baseOffset}: ${s.sizeBytes} bytes, largest timestamp ${s.largestTimestamp()}`).join('; ');
        throw new PropertyViolation(`${where}: offsetForTimestamp(${target}) = ${JSON.stringify(found)}, a scan finds ${expected?.offset} (segments ${segments}; recovery ${JSON.stringify(log.recovery)})`);
      }
    }
  }
}

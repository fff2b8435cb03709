// Shared helpers of the log tests: a simulated disk, batches, and reading a log back whole.

import { decodeBatch, encodeBatch } from '../../engine/records/batch.ts';
import type { DecodedBatch } from '../../engine/records/batch.ts';
import { parseLogConfig } from '../../engine/log/log-config.ts';
import type { LogConfig, LogConfigInput } from '../../engine/log/log-config.ts';
import { Log } from '../../engine/log/log.ts';
import type { LogListener } from '../../engine/log/log.ts';
import { SimDisk } from '../../sim/disk.ts';
import { RandomStreams } from '../../sim/random.ts';
import { Scheduler } from '../../sim/scheduler.ts';

export const LOG_DIR = '/kafka-logs';
export const PARTITION_DIR = '/kafka-logs/orders-0';

export interface World {
  readonly scheduler: Scheduler;
  readonly disk: SimDisk;
}

export function world(seed = 1): World {
  const scheduler = new Scheduler();
  const disk = new SimDisk({ scheduler, random: new RandomStreams(seed).stream('disk') });
  return { scheduler, disk };
}

export function config(input: LogConfigInput = {}): LogConfig {
  return parseLogConfig(input);
}

export function openLog(w: World, input: LogConfigInput = {}, options: { cleanShutdown?: boolean; recoveryPoint?: number; listener?: LogListener } = {}): Log {
  return Log.open(w.disk, PARTITION_DIR, config(input), w.scheduler.now(), {
    cleanShutdown: options.cleanShutdown ?? false,
    recoveryPoint: options.recoveryPoint ?? 0,
    listener: options.listener,
  });
}

/** A batch of `records` records with `valueBytes`-byte values, all at `timestamp`. */
export function batch(records = 3, options: { valueBytes?: number; timestamp?: number; timestamps?: number[]; baseOffset?: number; epoch?: number; tag?: number } = {}): Uint8Array {
  const valueBytes = options.valueBytes ?? 10;
  return encodeBatch({
    baseOffset: options.baseOffset ?? 0,
    partitionLeaderEpoch: options.epoch ?? -1,
    records: Array.from({ length: records }, (_, i) => ({
      key: new TextEncoder().encode(`key-${i}`),
      value: new Uint8Array(valueBytes).fill((options.tag ?? 0) + i),
      timestamp: options.timestamps?.[i] ?? options.timestamp ?? 1000,
    })),
  });
}

/** Appends as a leader with epoch `epoch`; returns the stamped bytes. */
export function appendLeader(log: Log, bytes: Uint8Array, nowMs = 0, epoch = 0): Uint8Array {
  log.append(bytes, { assignOffsets: true, leaderEpoch: epoch, nowMs });
  return bytes;
}

/** Every batch of the log, read through Log.read, decoded. */
export function readAll(log: Log): DecodedBatch[] {
  const batches: DecodedBatch[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { bytes, nextOffset } = log.read(offset, 1 << 20);
    if (bytes.length === 0) break;
    let position = 0;
    while (position < bytes.length) {
      const decoded = decodeBatch(bytes, position);
      batches.push(decoded);
      position += decoded.sizeBytes;
    }
    offset = nextOffset;
  }
  return batches;
}

export function offsetsOf(batches: readonly DecodedBatch[]): number[] {
  return batches.flatMap((b) => b.records.map((r) => r.offset));
}

/** Runs the scheduler until nothing is pending (fsyncs, writeback, journal commits). */
export function settle(w: World): void {
  w.scheduler.run();
}

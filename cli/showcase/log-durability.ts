// The foundation showcase: Kafka's log on a simulated disk, power-failed at a random moment, under two flush
// policies. It runs the real engine/log on the real sim/disk; nothing here decides what is lost.
//
// One writer node appends 10-record batches to partition `showcase-0` and acknowledges each batch the way a
// Kafka leader with acks=1 would: under Kafka's default (no flush.messages) as soon as the append is in the
// page cache; with flush.messages=1 only once the fsync has completed. The machine then loses power at a
// random moment, restarts, recovers its log from disk, and the showcase counts which acknowledged records
// the recovered log no longer holds.

import type { NodeHandlers, Runtime } from '../../engine/runtime.ts';
import { encodeBatch, readBatches } from '../../engine/records/batch.ts';
import { LogManager } from '../../engine/log/log-manager.ts';
import { parseLogConfig } from '../../engine/log/log-config.ts';
import type { Log } from '../../engine/log/log.ts';
import { Simulation } from '../../sim/simulation.ts';
import type { SimDisk } from '../../sim/disk.ts';

export type FlushPolicy = 'page-cache' | 'fsync-per-write';

export const LOG_DIR = '/kafka-logs';
const TOPIC = 'showcase';
const RECORDS_PER_BATCH = 10;
const APPEND_INTERVAL_MS = 1;
const VALUE_BYTES = 100;

export interface DurabilityRun {
  readonly seed: number;
  readonly policy: FlushPolicy;
  readonly powerLossAtMs: number;
  readonly ackedRecords: number;
  readonly lostRecords: number;
  readonly recoveredRecords: number;
  /** Acknowledged records per simulated second before the power loss. */
  readonly recordsPerSec: number;
  /** Median and p99 time from append to acknowledgement, simulated ms. */
  readonly ackLatencyMsP50: number;
  readonly ackLatencyMsP99: number;
  readonly tornFiles: number;
  /** The recovered log holds record-0, record-1, ... in order with no gap: a clean prefix of what was written. */
  readonly recoveredIsPrefix: boolean;
  readonly traceHash: string;
  readonly events: number;
}

interface WriterState {
  readonly acked: Set<string>;
  readonly latenciesMs: number[];
  log: Log | undefined;
}

function writerNode(policy: FlushPolicy, state: WriterState) {
  return (runtime: Runtime): NodeHandlers => {
    // The writer flushes itself under fsync-per-write (what flush.messages=1 does), so that it can wait for the
    // fsync before acknowledging; the log's own flush.messages stays at Kafka's default (never).
    const config = parseLogConfig({ 'segment.bytes': 256 * 1024 });
    const manager = LogManager.open(runtime.disk, LOG_DIR, runtime.now(), { configFor: () => config });
    const log = manager.getOrCreateLog(TOPIC, 0, runtime.now());
    state.log = log;
    runtime.trace('recovered', { logEndOffset: log.logEndOffset });
    let next = log.logEndOffset;
    const value = new Uint8Array(VALUE_BYTES);
    const appendOne = (): void => {
      const values: string[] = [];
      const records = [];
      for (let i = 0; i < RECORDS_PER_BATCH; i++) {
        const text = `record-${next++}`;
        values.push(text);
        records.push({ key: new TextEncoder().encode(text), value, timestamp: runtime.now() });
      }
      const startedMs = runtime.now();
      const info = log.append(encodeBatch({ records }), { assignOffsets: true, leaderEpoch: 0, nowMs: runtime.now() });
      const acknowledge = (): void => {
        for (const v of values) state.acked.add(v);
        state.latenciesMs.push(runtime.now() - startedMs);
        runtime.trace('ack', { lastOffset: info.lastOffset });
      };
      if (policy === 'fsync-per-write') log.flush((error) => { if (error === undefined) acknowledge(); });
      else acknowledge();
      runtime.setTimer(APPEND_INTERVAL_MS, appendOne);
    };
    runtime.setTimer(APPEND_INTERVAL_MS, appendOne);
    return { onMessage: () => {} };
  };
}

/** Every record value (its key) in the log, in offset order. */
function recordKeys(log: Log): string[] {
  const keys: string[] = [];
  const decoder = new TextDecoder();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, 1 << 20);
    if (read.bytes.length === 0) break;
    for (const batch of readBatches(read.bytes)) for (const record of batch.records) keys.push(decoder.decode(record.key!));
    offset = read.nextOffset;
  }
  return keys;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** One seed: write, lose power at a random moment in [2 s, 10 s), restart, recover, compare. */
export function runDurability(seed: number, policy: FlushPolicy): DurabilityRun & { disk: SimDisk } {
  const sim = new Simulation({ seed });
  const state: WriterState = { acked: new Set(), latenciesMs: [], log: undefined };
  sim.addNode('broker-1', writerNode(policy, state));
  const powerLossAtMs = Math.floor(sim.random.stream('faults').uniform(2_000, 10_000));
  sim.runUntil(powerLossAtMs);
  const ackedRecords = state.acked.size;
  sim.powerLoss('broker-1');
  const tornFiles = sim.disk('broker-1').stats().tornFiles;
  // The restarted writer recovers the log; look before it appends anything new.
  sim.restart('broker-1');
  const keys = recordKeys(state.log!);
  const recoveredIsPrefix = keys.every((key, index) => key === `record-${index}`);
  const recovered = new Set(keys);
  let lostRecords = 0;
  for (const value of state.acked) if (!recovered.has(value)) lostRecords++;
  return {
    seed,
    policy,
    powerLossAtMs,
    ackedRecords,
    lostRecords,
    recoveredRecords: recovered.size,
    recordsPerSec: (ackedRecords / powerLossAtMs) * 1000,
    ackLatencyMsP50: percentile(state.latenciesMs, 0.5),
    ackLatencyMsP99: percentile(state.latenciesMs, 0.99),
    tornFiles,
    recoveredIsPrefix,
    events: sim.scheduler.eventCount(),
    traceHash: sim.traceHash(),
    disk: sim.disk('broker-1'),
  };
}

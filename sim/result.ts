// What one run of a scenario under one seed produces: result.json. Plain JSON-able data, the only input of
// reports (reports/ reads this, never engine internals) and of `npm run replay`.
//
// DESIGN.md fixes the fields users and CI rely on: scenario, seed, traceHash, ok, expected, anomalies (each
// with kind), and stats (events, simulatedMs, wallMs, produced, consumed, throughput, latencyMs). The rest is
// what a report draws: the fault intervals, the steps of a story, and the timeline (per partition and replica
// the high watermark and log end offset, leaders and epochs, ISR sizes; throughput and latency per second).

import type { Anomaly, AnomalyKind, CheckerKind, NotJudged } from './checkers/anomaly.ts';
import type { Expectation } from './scenario.ts';
import type { Fault } from './nemesis.ts';

export const RESULT_FORMAT_VERSION = 1;

/** `scenario`: the scenario as written (scripted faults too); `swarm`: knobs and faults drawn from the seed. */
export type RunMode = 'scenario' | 'swarm';

export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface RunStats {
  readonly events: number;
  readonly simulatedMs: number;
  /** Wall-clock time of the run; 0 until the CLI (the only code that reads a real clock) fills it in. */
  readonly wallMs: number;
  readonly produced: { readonly attempted: number; readonly acked: number; readonly failed: number; readonly indeterminate: number };
  /** Records returned by consumers' polls. */
  readonly consumed: number;
  /** Acknowledged records and bytes per simulated second over the load phases. */
  readonly throughput: { readonly recordsPerSec: number; readonly bytesPerSec: number };
  readonly latencyMs: { readonly produce: LatencySummary; readonly endToEnd: LatencySummary };
}

/** One fault as it happened: the nodes it hit, when it started and ended (simulated ms since the start). */
export interface FaultInterval {
  readonly kind: string;
  /** As scheduled: a node, a list, or a role such as `leader:orders-0`. */
  readonly target: string;
  /** Whom it hit, resolved when it started. */
  readonly nodes: readonly string[];
  readonly startMs: number;
  /** null if it was still active at the end (it never is after the heal). */
  readonly endMs: number | null;
  readonly detail: string | null;
}

/** [timeMs, value] points. */
export type Series = ReadonlyArray<readonly [number, number]>;

export interface ReplicaTimeline {
  readonly broker: string;
  readonly highWatermark: Series;
  readonly logEndOffset: Series;
}

export interface PartitionTimeline {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly ReplicaTimeline[];
  /** Who led from when, in which epoch (a leader change is a point). */
  readonly leaders: ReadonlyArray<{ readonly timeMs: number; readonly broker: string; readonly epoch: number }>;
  /** ISR size as the leader knew it. */
  readonly isrSize: Series;
}

export interface Timeline {
  /** The sampling step of the series below. */
  readonly stepMs: number;
  readonly partitions: readonly PartitionTimeline[];
  /** Acknowledged records per second, by second of simulated time. */
  readonly ackedPerSec: Series;
  /** Produce latency p99 per second (ms), seconds with acknowledgements only. */
  readonly produceLatencyMsP99: Series;
  /** Consumer lag: the highest acknowledged offset minus the highest polled, summed over partitions. */
  readonly consumerLag: Series;
}

export interface RunPhases {
  /** When the topic was ready and the load began. */
  readonly readyAtMs: number;
  /** When every fault was removed and crashed nodes restarted. */
  readonly healMs: number;
  /** When the producers stopped sending. */
  readonly stopMs: number;
  readonly endMs: number;
}

export interface RunResult {
  readonly format: number;
  readonly scenario: string;
  readonly summary: string;
  readonly teaching: string;
  /** Where the scenario came from: a catalogue name or a file path, as given. */
  readonly source: string;
  readonly seed: number;
  readonly mode: RunMode;
  /** `--set` overrides, as given. */
  readonly set: Readonly<Record<string, string>>;
  /** Every option of this run, drawn or given (the banner): cluster shape, configs, rates, fault mix. */
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly traceHash: string;
  /** Whether the verdict matches what the scenario expects. */
  readonly ok: boolean;
  /** Why (one sentence). */
  readonly why: string;
  readonly expected: Expectation | { readonly mayShow: readonly AnomalyKind[]; readonly find: readonly AnomalyKind[] };
  readonly anomalies: readonly Anomaly[];
  /** Anomalies per kind before evidence was cut (a kind with many instances is listed only up to a limit). */
  readonly anomalyCounts: Readonly<Partial<Record<AnomalyKind, number>>>;
  /**
   * Checkers that could not judge this run (or part of it), and why: not judged is never passed. A run whose
   * expectation needs one of them is not ok. Absent in results written before it was recorded.
   */
  readonly notJudged?: readonly NotJudged[];
  readonly stats: RunStats;
  readonly faults: readonly FaultInterval[];
  /**
   * The faults of the schedule (the timeline and, with a random schedule, what was drawn) that started, at the
   * time each started, in ms from the moment the topic was ready: replayed as a timeline without any waiting,
   * it does what the run did. What `npm run shrink` cuts down. Steps' faults are not in it.
   */
  readonly schedule: readonly Fault[];
  /** The steps of a story, when the scenario has them: when each acted (ms since the topic was ready). */
  readonly steps: ReadonlyArray<{ readonly label: string; readonly atMs: number }>;
  readonly phases: RunPhases;
  readonly timeline: Timeline;
  /** The one command that runs this again. */
  readonly reproduce: string;
}

// ---------------------------------------------------------------------------------------------------------
// swarm.json: many seeds of one scenario (written by `npm run swarm`, combined by `npm run merge`).

/** One seed of a swarm, compactly. */
export interface SwarmSeed {
  readonly seed: number;
  readonly ok: boolean;
  readonly traceHash: string;
  /** Anomaly kinds with their counts. */
  readonly anomalies: Readonly<Partial<Record<AnomalyKind, number>>>;
  /** Checkers that did not judge this seed (absent in swarm.json written before it was recorded). */
  readonly notJudged?: readonly CheckerKind[];
  readonly why: string;
  readonly faults: number;
  readonly acked: number;
  readonly events: number;
  readonly simulatedMs: number;
  readonly wallMs: number;
}

/** A seed that failed, or first found a kind: what it showed and the command that reproduces it. */
export interface SwarmFinding {
  readonly seed: number;
  readonly why: string;
  readonly anomalies: Readonly<Partial<Record<AnomalyKind, number>>>;
  /** The first anomaly's message of each kind. */
  readonly messages: readonly string[];
  readonly reproduce: string;
}

export interface SwarmResult {
  readonly format: number;
  readonly scenario: string;
  readonly summary: string;
  readonly source: string;
  readonly mode: RunMode;
  readonly set: Readonly<Record<string, string>>;
  /** The seed range asked for, and the shard of it this swarm ran (null: all of it). */
  readonly range: { readonly from: number; readonly count: number };
  readonly shards: ReadonlyArray<{ readonly k: number; readonly n: number }>;
  readonly workers: number;
  readonly seedsRun: number;
  readonly wallSeconds: number;
  readonly seedsPerSec: number;
  readonly ok: boolean;
  readonly why: string;
  readonly expected: RunResult['expected'];
  readonly failing: readonly SwarmFinding[];
  /** Per checker, how many seeds it did not judge (absent in swarm.json written before it was recorded). */
  readonly notJudged?: Readonly<Partial<Record<CheckerKind, number>>>;
  /** The first seed (lowest number) that showed each anomaly kind. */
  readonly firstByKind: Readonly<Partial<Record<AnomalyKind, SwarmFinding>>>;
  /** For each kind found: how many seeds, in seed order from the range's start, it took to find it. */
  readonly seedsToFind: Readonly<Partial<Record<AnomalyKind, number>>>;
  readonly totals: { readonly events: number; readonly simulatedMs: number; readonly acked: number; readonly faults: number };
  readonly seeds: readonly SwarmSeed[];
}

// One cluster run under one seed: start a cluster, run a workload under a fault schedule, heal, keep the load
// on long enough to judge liveness, stop, let replication settle, capture every replica's log, check.
//
// A pure function of (spec, seed, code): no wall clock, no files, no threads; the caller times it. Phases, in
// simulated time from the moment the topic is ready:
//
//   [0, faultsUntilMs)                    load and faults (every fault ends by faultsUntilMs: the heal)
//   [faultsUntilMs, + livenessMs)         load, no faults: an `unavailable` anomaly if nothing is acked
//   [.., + quiesceMs)                     no new sends; in-flight ones finish, followers catch up
//
// Then the final state is captured and the checkers judge the history.

import type { NewTopic } from '../engine/client/admin.ts';
import { Cluster, type ClusterSpec } from './cluster.ts';
import { HistoryRecorder, type FinalState, type History } from './history.ts';
import { applySchedule, randomSchedule, type Fault, type FaultKind } from './nemesis.ts';
import { Simulation } from './simulation.ts';
import { Workload, type WorkloadSpec } from './workload.ts';
import { checkAll, type Verdict } from './checkers/index.ts';
import type { AnomalyKind } from './checkers/anomaly.ts';

export interface RandomFaults {
  readonly kinds: readonly FaultKind[];
  /** Which nodes faults hit. */
  readonly targets: 'brokers' | 'controllers' | 'all';
  readonly meanGapMs: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  /** A fault waits until no other is active and every partition's ISR is full again (see ApplyOptions). */
  readonly oneAtATime?: boolean;
}

export interface ClusterRunSpec {
  readonly cluster: ClusterSpec;
  readonly topic: NewTopic;
  readonly workload: Omit<WorkloadSpec, 'topic' | 'partitions'>;
  /** A scripted timeline (times from the moment the topic is ready), a random schedule, or neither. */
  readonly faults?: { readonly script?: readonly Fault[]; readonly random?: RandomFaults };
  readonly faultsUntilMs: number;
  readonly livenessMs: number;
  readonly quiesceMs: number;
  readonly sampleIntervalMs?: number;
  /** Which checkers run (all by default). */
  readonly checkers?: readonly AnomalyKind[];
}

export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface ClusterRunResult {
  readonly seed: number;
  readonly traceHash: string;
  readonly verdict: Verdict;
  readonly faults: readonly Fault[];
  readonly readyAtMs: number;
  readonly stats: {
    readonly events: number;
    readonly simulatedMs: number;
    readonly produced: Verdict['stats']['produced'];
    readonly consumed: number;
    readonly throughput: { readonly recordsPerSec: number; readonly bytesPerSec: number };
    readonly latencyMs: { readonly produce: LatencySummary; readonly endToEnd: LatencySummary };
  };
  readonly history: History;
  readonly finalState: FinalState;
}

export function runCluster(spec: ClusterRunSpec, seed: number): ClusterRunResult {
  const sim = new Simulation({ seed });
  const history = new HistoryRecorder(() => sim.now());
  const cluster = new Cluster(sim, spec.cluster);
  cluster.start([spec.topic]);
  const readyAtMs = sim.now();
  // Clients join once the topic exists: a producer's metadata request could otherwise auto-create it with the
  // broker defaults (num.partitions=1) before the admin's CreateTopics lands.
  const workload = new Workload(sim, history, sim.random.stream('workload'), { ...spec.workload, topic: spec.topic.name, partitions: spec.topic.numPartitions }, cluster.brokerNodes);

  const faults = scheduleFaults(sim, cluster, spec, readyAtMs);
  const faultIds = new Map<Fault, number>();
  const oneAtATime = spec.faults?.random?.oneAtATime === true
    ? { healthy: () => cluster.brokersRunning() && cluster.isReady([spec.topic]), pollMs: 100 }
    : undefined;
  applySchedule(sim, faults, {
    faultStarted: (fault) => faultIds.set(fault, history.faultStart(fault.kind, [fault.target])),
    faultEnded: (fault) => history.faultEnd(faultIds.get(fault)!),
  }, { oneAtATime, untilMs: readyAtMs + spec.faultsUntilMs });
  cluster.sampleInto(history, spec.sampleIntervalMs ?? 100);

  workload.start();
  const healMs = readyAtMs + spec.faultsUntilMs;
  sim.runUntil(healMs);
  sim.heal();
  for (const node of sim.nodeIds()) if (sim.status(node) === 'crashed') sim.restart(node);
  history.heal();
  sim.runUntil(healMs + spec.livenessMs);
  workload.stop();
  sim.runUntil(healMs + spec.livenessMs + spec.quiesceMs);
  history.quiesced();

  const finalState = cluster.finalState([spec.topic]);
  const recorded = history.finish();
  const verdict = checkAll(recorded, finalState, { checkers: spec.checkers, unavailableBoundMs: spec.livenessMs, healMs });
  const loadMs = spec.faultsUntilMs + spec.livenessMs;
  return {
    seed,
    traceHash: sim.traceHash(),
    verdict,
    faults,
    readyAtMs,
    stats: {
      events: sim.scheduler.eventCount(),
      simulatedMs: sim.now(),
      produced: verdict.stats.produced,
      consumed: workload.stats.recordsConsumed,
      throughput: {
        recordsPerSec: (verdict.stats.produced.acked / loadMs) * 1000,
        bytesPerSec: (workload.stats.bytesAcked / loadMs) * 1000,
      },
      latencyMs: { produce: summarise(workload.stats.produceLatenciesMs), endToEnd: summarise(workload.stats.endToEndLatenciesMs) },
    },
    history: recorded,
    finalState,
  };
}

function scheduleFaults(sim: Simulation, cluster: Cluster, spec: ClusterRunSpec, readyAtMs: number): Fault[] {
  const shift = (fault: Fault): Fault => ({ ...fault, atMs: fault.atMs + readyAtMs });
  const scripted = (spec.faults?.script ?? []).map(shift);
  const random = spec.faults?.random;
  if (random === undefined) return scripted;
  const targets = random.targets === 'brokers' ? cluster.brokerNodes
    : random.targets === 'controllers' ? cluster.controllerNodes
    : [...cluster.brokerNodes, ...cluster.controllerNodes];
  const drawn = randomSchedule(sim.random.stream('faults'), {
    targets,
    kinds: random.kinds,
    startMs: readyAtMs,
    healMs: readyAtMs + spec.faultsUntilMs,
    meanGapMs: random.meanGapMs,
    minDurationMs: random.minDurationMs,
    maxDurationMs: random.maxDurationMs,
  });
  return [...scripted, ...drawn].sort((a, b) => a.atMs - b.atMs);
}

export function summarise(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: 0, p99: 0, p999: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] };
}

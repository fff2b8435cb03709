// One cluster run under one seed: start a cluster, run a workload under faults (a timeline, story steps, a
// random schedule), heal, keep the load on long enough to judge liveness, stop, let replication settle,
// capture every replica's log, check.
//
// A pure function of (spec, seed, code): no wall clock, no files, no threads; the caller times it. Phases, in
// simulated time from the moment the topic is ready:
//
//   [0, heal)               load and faults; heal = faultsUntilMs, or the last story step if later
//   [heal, + livenessMs)    load, no faults: an `unavailable` anomaly if nothing is acked
//   [.., + quiesceMs)       no new sends; in-flight ones finish, followers catch up
//
// Then the final state is captured and the checkers judge the history (a run with no fault planned is judged
// available from the moment the cluster was ready, not from the heal). An engine invariant that breaks on the
// way ends the run at that event (sim/broken-invariant.ts): the verdict is the `invariant` anomaly, and every
// checker is not judged. Any other error escapes: a plain bug fails loudly.

import type { NewTopic } from '../engine/client/admin.ts';
import type { NodeId } from '../engine/runtime.ts';
import { Cluster, type ClusterSpec } from './cluster.ts';
import type { FinalState, History } from './history.ts';
import { asBrokenInvariant, type BrokenInvariant } from './broken-invariant.ts';
import { applySchedule, randomSchedule, type Fault, type RandomScheduleOptions } from './nemesis.ts';
import { Simulation } from './simulation.ts';
import { Workload, type WorkloadSpec } from './workload.ts';
import { checkAll, cutShortVerdict, type Verdict } from './checkers/index.ts';
import type { AnomalyKind } from './checkers/anomaly.ts';
import { ScriptContext, ScriptHistoryRecorder, type ScriptStep, type StepRecord } from './script.ts';
import { FaultLog } from './fault-log.ts';
import { summarise } from './latency-summary.ts';
import { invariantAnomaly } from './checkers/invariant.ts';
import type { HardwareProfile } from './hardware.ts';
import type { RandomFaultSpec } from './scenario.ts';
import type { FaultInterval, LatencySummary } from './result.ts';

export type { LatencySummary } from './result.ts';

export interface ClusterRunSpec {
  readonly cluster: ClusterSpec;
  readonly topic: NewTopic;
  readonly workload: Omit<WorkloadSpec, 'topic' | 'partitions'>;
  readonly hardware?: HardwareProfile;
  /** Extra one-way latency on every link, ms (a swarm knob). */
  readonly extraLatencyMs?: number;
  /** A timeline (times from the moment the topic is ready), story steps, a random schedule; any of them. */
  readonly faults?: { readonly script?: readonly Fault[]; readonly steps?: readonly ScriptStep[]; readonly random?: RandomFaultSpec };
  readonly faultsUntilMs: number;
  readonly livenessMs: number;
  readonly quiesceMs: number;
  readonly sampleIntervalMs?: number;
  /** Which checkers run (all by default). */
  readonly checkers?: readonly AnomalyKind[];
}

export interface ClusterRunResult {
  readonly seed: number;
  readonly traceHash: string;
  readonly verdict: Verdict;
  /** The schedule as drawn and written (the steps' faults are in `faultIntervals` only). */
  readonly faults: readonly Fault[];
  /** The faults of the schedule that started, at the time each started (simulated ms since the start). */
  readonly startedFaults: readonly Fault[];
  /** Every fault as it happened, steps' included; times are simulated ms since the start. */
  readonly faultIntervals: readonly FaultInterval[];
  readonly steps: readonly StepRecord[];
  readonly readyAtMs: number;
  readonly healMs: number;
  readonly stopMs: number;
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

export function runCluster(spec: ClusterRunSpec, seed: number, checkIntervalMs = 10): ClusterRunResult {
  const sim = new Simulation({ seed, network: spec.hardware?.network, disk: spec.hardware?.disk });
  if (spec.extraLatencyMs !== undefined && spec.extraLatencyMs > 0) sim.network.setGlobalExtraLatency(spec.extraLatencyMs);
  const history = new ScriptHistoryRecorder(() => sim.now(), spec.topic.name);
  // Set as the run gets there: a broken invariant may stop it anywhere, even while the cluster starts.
  let cluster: Cluster | undefined;
  let workload: Workload | undefined;
  let intervals: FaultLog | undefined;
  let faults: Fault[] = [];
  let steps: StepRecord[] = [];
  let readyAtMs: number | undefined;
  let healMs: number | undefined;
  let stopMs: number | undefined;
  let broken: BrokenInvariant | null = null;
  try {
    cluster = new Cluster(sim, spec.cluster);
    cluster.start([spec.topic]);
    readyAtMs = sim.now();
    // Clients join once the topic exists: a producer's metadata request could otherwise auto-create it with the
    // broker defaults (num.partitions=1) before the admin's CreateTopics lands.
    workload = new Workload(sim, history, sim.random.stream('workload'), { ...spec.workload, topic: spec.topic.name, partitions: spec.topic.numPartitions }, cluster.brokerNodes);

    intervals = new FaultLog(history);
    faults = scheduleFaults(sim, cluster, spec, readyAtMs);
    const running = cluster;
    const oneAtATime = spec.faults?.random?.waitForRecovery === true
      ? { healthy: () => running.brokersRunning() && running.isReady([spec.topic]), pollMs: 100 }
      : undefined;
    const nemesis = applySchedule(sim, faults, cluster, intervals, { oneAtATime, untilMs: readyAtMs + spec.faultsUntilMs });
    cluster.sampleInto(history, spec.sampleIntervalMs ?? 100);

    workload.start();
    const ctx = new ScriptContext(sim, cluster, workload, history, readyAtMs, intervals, nemesis);
    steps = spec.faults?.steps === undefined ? [] : ctx.play(spec.faults.steps, checkIntervalMs);
    healMs = Math.max(readyAtMs + spec.faultsUntilMs, sim.now());
    sim.runUntil(healMs);
    nemesis.endAll();
    ctx.healAll();
    intervals.endAll();
    history.heal();
    stopMs = healMs + spec.livenessMs;
    sim.runUntil(stopMs);
    workload.stop();
    sim.runUntil(stopMs + spec.quiesceMs);
    history.quiesced();
  } catch (error) {
    broken = asBrokenInvariant(error, sim.now());
    if (broken === null) throw error;
    intervals?.endAll();
  }

  const stoppedMs = sim.now();
  // A run cut short has no settled final state to capture: its replicas are as the broken event left them.
  const finalState: FinalState = broken === null ? cluster!.finalState([spec.topic]) : { partitions: [] };
  const recorded = history.finish();
  // Without faults, availability is judged from the moment the cluster was ready.
  const unfaulted = (spec.faults?.script ?? []).length === 0 && (spec.faults?.steps ?? []).length === 0 && spec.faults?.random === undefined;
  const options = { checkers: spec.checkers, unavailableBoundMs: spec.livenessMs, healMs, readyMs: unfaulted ? readyAtMs : undefined };
  const verdict = broken === null
    ? checkAll(recorded, finalState, options)
    : cutShortVerdict(recorded, finalState, invariantAnomaly(broken, recorded), options);
  readyAtMs ??= stoppedMs;
  healMs ??= stoppedMs;
  stopMs ??= stoppedMs;
  const loadMs = stopMs - readyAtMs;
  const perSec = (count: number): number => (loadMs > 0 ? (count / loadMs) * 1000 : 0);
  return {
    seed,
    traceHash: sim.traceHash(),
    verdict,
    faults,
    startedFaults: intervals?.started ?? [],
    faultIntervals: intervals?.intervals() ?? [],
    steps,
    readyAtMs,
    healMs,
    stopMs,
    stats: {
      events: sim.scheduler.eventCount(),
      simulatedMs: stoppedMs,
      produced: verdict.stats.produced,
      consumed: workload?.stats.recordsConsumed ?? 0,
      throughput: {
        recordsPerSec: perSec(verdict.stats.produced.acked),
        bytesPerSec: perSec(workload?.stats.bytesAcked ?? 0),
      },
      latencyMs: {
        produce: summarise(workload?.stats.produceLatenciesMs ?? []),
        endToEnd: summarise(workload?.stats.endToEndLatenciesMs ?? []),
      },
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
  const drawn = randomSchedule(sim.random.stream('faults'), randomOptions(random, cluster, spec.topic, readyAtMs, readyAtMs + spec.faultsUntilMs));
  return [...scripted, ...drawn].sort((a, b) => a.atMs - b.atMs);
}

/** A scenario's random fault spec as the nemesis takes it. */
function randomOptions(random: RandomFaultSpec, cluster: Cluster, topic: NewTopic, startMs: number, healMs: number): RandomScheduleOptions {
  const nodes: NodeId[] = random.targets === 'brokers' ? [...cluster.brokerNodes]
    : random.targets === 'controllers' ? [...cluster.controllerNodes]
    : [...cluster.brokerNodes, ...cluster.controllerNodes];
  const roles: string[] = [];
  if (random.aimAtLeaders === true) {
    if (random.targets !== 'controllers') for (let p = 0; p < topic.numPartitions; p++) roles.push(`leader:${topic.name}-${p}`);
    if (random.targets !== 'brokers') roles.push('active-controller');
  }
  return {
    targets: [...nodes, ...roles],
    mix: random.mix,
    startMs,
    healMs,
    meanGapMs: random.meanGapMs,
    minDurationMs: random.durationMs[0],
    maxDurationMs: random.durationMs[1],
    maxConcurrent: random.maxConcurrent ?? 1,
    intensity: random.intensity === undefined ? undefined : { ranges: random.intensity },
    targetsByKind: random.targetsByKind,
  };
}

// A scripted cluster run, for tests: start a cluster and a workload, play a story of steps against them
// (sim/script.ts), heal, let the load run on and the cluster quiesce, capture every replica's log, check.
//
//   runScripted({
//     cluster: { brokers: 3, controllers: 3 },
//     topic: { name: 't', numPartitions: 1, replicationFactor: 3 },
//     workload: { producers: [{ ratePerSec: 50, config: { acks: 1, 'enable.idempotence': false } }], consumers: 1 },
//     script: [
//       { label: 'cut the leader off from its followers', atMs: 2_000,
//         do: (ctx) => ctx.partition([ctx.leaderOf('t', 0)], ctx.followersOf('t', 0)) },
//       { label: 'kill -9 the leader', afterMs: 3_000, do: (ctx) => { ctx.crash(ctx.leaderOf('t', 0)); ctx.heal(); } },
//     ],
//     livenessMs: 20_000, quiesceMs: 5_000,
//   }, 7);
//
// After the last step (and `healAfterMs`): the heal — every network fault removed, every crashed node
// restarted — then `livenessMs` of load (the `unavailable` checker's bound), then `quiesceMs` without new
// sends; then the final state is captured and every checker runs. It is runCluster with steps for faults.

import type { NewTopic } from '../../engine/client/admin.ts';
import type { ClusterSpec } from '../../sim/cluster.ts';
import type { WorkloadSpec } from '../../sim/workload.ts';
import type { AnomalyKind } from '../../sim/checkers/anomaly.ts';
import { runCluster, type ClusterRunResult } from '../../sim/cluster-run.ts';
import type { ScriptStep } from '../../sim/script.ts';

export { ScriptContext, ScriptError, type ScriptStep, type StepRecord, type ReplicaView } from '../../sim/script.ts';

export interface ScriptedRunSpec {
  readonly cluster: ClusterSpec;
  readonly topic: NewTopic;
  readonly workload: Omit<WorkloadSpec, 'topic' | 'partitions'>;
  readonly script: readonly ScriptStep[];
  /** Wait after the last step before the heal (default 0). */
  readonly healAfterMs?: number;
  /** Load after the heal; the `unavailable` checker's bound. */
  readonly livenessMs: number;
  /** No new sends: in-flight ones finish, followers catch up. */
  readonly quiesceMs: number;
  /** How often replica states are sampled for the history (default 100 ms). */
  readonly sampleIntervalMs?: number;
  /** How often a waiting step's `when` is checked (default 10 ms of simulated time). */
  readonly checkIntervalMs?: number;
  /** Which checkers run (all by default). */
  readonly checkers?: readonly AnomalyKind[];
}

export type ScriptedRunResult = ClusterRunResult;

export function runScripted(spec: ScriptedRunSpec, seed: number): ScriptedRunResult {
  // A story is a cluster run whose faults are steps; a wait before the heal is one more step.
  const wait: ScriptStep[] = spec.healAfterMs ? [{ label: 'wait before the heal', afterMs: spec.healAfterMs }] : [];
  return runCluster({
    cluster: spec.cluster,
    topic: spec.topic,
    workload: spec.workload,
    faults: { steps: [...spec.script, ...wait] },
    faultsUntilMs: 0,
    livenessMs: spec.livenessMs,
    quiesceMs: spec.quiesceMs,
    sampleIntervalMs: spec.sampleIntervalMs,
    checkers: spec.checkers,
  }, seed, spec.checkIntervalMs);
}


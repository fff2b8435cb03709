// What the anomaly stories read from a scripted run's verdict: which kinds were found, and which lost writes
// the evidence shows were acknowledged — cross-checked against the history, so that a story asserting "an
// acknowledged write was lost" cannot pass on a lost write nobody was told about.

import { ANOMALY_KINDS, checkLostWrites, type Anomaly, type AnomalyKind } from '../../sim/checkers/index.ts';
import type { ScriptedRunResult } from '../support/scripted-run.ts';
import { catalogueScenario } from '../../scenarios/index.ts';
import { resolveRun } from '../../sim/run.ts';
import { runCluster } from '../../sim/cluster-run.ts';
import { parseSettings } from '../../sim/settings.ts';

/** The kinds with at least one anomaly, in ANOMALY_KINDS order. */
export function kindsFound(run: ScriptedRunResult): AnomalyKind[] {
  return ANOMALY_KINDS.filter((kind) => (run.verdict.counts[kind] ?? 0) > 0);
}

/** Every lost-write anomaly of the run (the verdict keeps at most 100 of a kind; the checker keeps all). */
export function lostWrites(run: ScriptedRunResult): Anomaly[] {
  return checkLostWrites(run.history, run.finalState);
}

/**
 * The values of the lost-write anomalies whose evidence holds the producer's acknowledgement of that very
 * value, at the offset the anomaly names, and whose send the history records as acknowledged there.
 */
export function lostAckedValues(run: ScriptedRunResult): string[] {
  const values: string[] = [];
  for (const anomaly of lostWrites(run)) {
    if (anomaly.detail['acknowledged'] !== true) continue;
    const value = anomaly.values[0];
    const ack = anomaly.records.find((witness) => witness.from === 'ack' && witness.value === value);
    if (ack === undefined || ack.opId === null) continue;
    const send = run.history.ops[ack.opId];
    if (send?.type !== 'send' || send.value !== value) continue;
    if (send.outcome?.status !== 'acked' || send.outcome.offset !== ack.offset) continue;
    values.push(value!);
  }
  return values;
}

/** One line per kind found and the first message of each, for assertion messages. */
export function summary(run: ScriptedRunResult): string {
  const lines = [`seed ${run.seed}, produced ${JSON.stringify(run.stats.produced)}`];
  for (const kind of kindsFound(run)) {
    const first = run.verdict.anomalies.find((anomaly) => anomaly.kind === kind);
    lines.push(`${kind} x${run.verdict.counts[kind]}: ${first?.message ?? ''}`);
  }
  lines.push(`steps: ${run.steps.map((step) => `${step.atMs} ms ${step.label}`).join('; ')}`);
  return lines.join('\n');
}

/**
 * A catalogue scenario's story run under `seed`, with `--set`-style overrides (the safe counterpart of an
 * unsafe scenario is the same story with safe settings), keeping the history and final state the checks read.
 */
export function runStory(name: string, seed: number, settings: readonly string[] = []): ScriptedRunResult {
  const scenario = catalogueScenario(name);
  if (scenario === undefined) throw new Error(`no catalogue scenario ${name}`);
  const { spec } = resolveRun(scenario, seed, { mode: 'scenario', source: name, settings: parseSettings(settings) });
  return runCluster(spec, seed);
}

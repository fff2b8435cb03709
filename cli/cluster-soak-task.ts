// A piscina task: one seed of one scenarios/ cluster spec, reduced to what the soak prints.

import { runCluster } from '../sim/cluster-run.ts';
import { SPECS } from '../scenarios/index.ts';

export interface SoakSeedResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly summary: string;
  readonly traceHash: string;
  readonly acked: number;
  readonly indeterminate: number;
  readonly failed: number;
  readonly faults: number;
  readonly events: number;
  readonly simulatedMs: number;
  /** Simulated time under load (faults and liveness phases). */
  readonly loadMs: number;
}

export default function soakSeed({ name, seed }: { name: string; seed: number }): SoakSeedResult {
  let result;
  try {
    result = runCluster(SPECS[name], seed);
  } catch (error) {
    // A crash of the engine or the harness is a failing seed too, with its message.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { seed, ok: false, summary: `run crashed: ${message}`, traceHash: '', acked: 0, indeterminate: 0, failed: 0, faults: 0, events: 0, simulatedMs: 0, loadMs: 0 };
  }
  const counts = Object.entries(result.verdict.counts).filter(([, n]) => (n ?? 0) > 0).map(([kind, n]) => `${kind} x${n}`);
  const first = result.verdict.anomalies[0];
  return {
    seed,
    ok: result.verdict.ok,
    summary: result.verdict.ok ? 'ok' : `${counts.join(', ')}; first: ${first?.message ?? ''}`,
    traceHash: result.traceHash,
    acked: result.stats.produced.acked,
    indeterminate: result.stats.produced.indeterminate,
    failed: result.stats.produced.failed,
    faults: result.faults.length,
    events: result.stats.events,
    simulatedMs: result.stats.simulatedMs,
    loadMs: SPECS[name].faultsUntilMs + SPECS[name].livenessMs,
  };
}

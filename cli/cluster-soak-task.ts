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
}

export default function soakSeed({ name, seed }: { name: string; seed: number }): SoakSeedResult {
  const result = runCluster(SPECS[name], seed);
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
  };
}

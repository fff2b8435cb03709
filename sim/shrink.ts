// Shrinking a failing run: cut its fault schedule, then its workload, down while the same anomaly kind still
// appears, so that what is left is a minimal reproduction (Zeller's delta debugging, ddmin).
//
// The run is replayed as a timeline: the faults that started, at the times they started, with the seed's
// other randomness (network, disk, workload) as it was. Each candidate is a whole cluster run, so shrinking
// costs tens of runs; `onStep` reports each one.

import type { AnomalyKind } from './checkers/anomaly.ts';
import { runCluster, type ClusterRunSpec } from './cluster-run.ts';
import type { Fault } from './nemesis.ts';

/** A candidate tried while shrinking: what changed, and whether the anomaly kind still appeared. */
export interface ShrinkStep {
  readonly what: string;
  readonly faults: number;
  readonly reproduced: boolean;
}

export interface ShrinkResult {
  readonly spec: ClusterRunSpec;
  /** The faults left, as a timeline (ms from the moment the topic is ready). */
  readonly faults: readonly Fault[];
  readonly originalFaults: number;
  /** Cluster runs it took. */
  readonly runs: number;
  /** The kinds the shrunk run shows (the target kind among them). */
  readonly kinds: readonly AnomalyKind[];
  readonly traceHash: string;
}

export class ShrinkError extends Error {
  override readonly name = 'ShrinkError';
}

/**
 * ddmin: a 1-minimal subset of `items` for which `fails` holds (removing any one item makes it pass), given
 * that it holds for all of them. Tries complements of n chunks, refining n until chunks are single items.
 */
export function ddmin<T>(items: readonly T[], fails: (subset: readonly T[]) => boolean): T[] {
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const chunks = split(current, n);
    let reduced = false;
    for (let i = 0; i < chunks.length && !reduced; i++) {
      if (fails(chunks[i]!)) {
        current = chunks[i]!;
        n = 2;
        reduced = true;
      }
    }
    for (let i = 0; i < chunks.length && !reduced; i++) {
      const complement = chunks.filter((_, j) => j !== i).flat();
      if (fails(complement)) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  if (current.length === 1 && fails([])) return [];
  return current;
}

function split<T>(items: readonly T[], n: number): T[][] {
  const chunks: T[][] = [];
  const size = items.length / n;
  for (let i = 0; i < n; i++) {
    const chunk = items.slice(Math.round(i * size), Math.round((i + 1) * size));
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}

/**
 * Shrinks `spec` (whose faults are given as a timeline in `faults`) under `seed` while `kind` still appears.
 * Throws a ShrinkError when the full timeline does not reproduce the kind in the first place.
 */
export function shrinkRun(
  spec: ClusterRunSpec,
  faults: readonly Fault[],
  seed: number,
  kind: AnomalyKind,
  onStep: (step: ShrinkStep) => void = () => {},
): ShrinkResult {
  let runs = 0;
  const attempt = (candidate: ClusterRunSpec, what: string): { reproduced: boolean; kinds: AnomalyKind[]; traceHash: string } => {
    runs++;
    const run = runCluster(candidate, seed);
    const kinds = (Object.entries(run.verdict.counts) as Array<[AnomalyKind, number]>).filter(([, n]) => n > 0).map(([k]) => k);
    const reproduced = kinds.includes(kind);
    onStep({ what, faults: candidate.faults?.script?.length ?? 0, reproduced });
    return { reproduced, kinds, traceHash: run.traceHash };
  };
  const withFaults = (base: ClusterRunSpec, script: readonly Fault[]): ClusterRunSpec => ({ ...base, faults: { script } });

  const base: ClusterRunSpec = { ...spec, faults: { script: faults } };
  if (!attempt(base, `the whole schedule as a timeline (${faults.length} faults)`).reproduced) {
    throw new ShrinkError(`replaying the ${faults.length} faults of seed ${seed} as a timeline does not show ${kind}: the anomaly depends on something else (story steps, or the nemesis's waiting), so it cannot be shrunk this way`);
  }
  // A kind that shows without any fault needs no schedule at all.
  const kept = faults.length > 0 && attempt(withFaults(spec, []), 'no faults at all').reproduced
    ? []
    : ddmin(faults, (subset) => attempt(withFaults(spec, subset), `${subset.length} of ${faults.length} faults`).reproduced);
  let current = withFaults(spec, kept);

  // Then the workload and the run's length, each cut kept only if the kind still appears.
  const tryCut = (candidate: ClusterRunSpec, what: string): void => {
    if (attempt(candidate, what).reproduced) current = candidate;
  };
  const lastFaultEndMs = Math.max(0, ...kept.map((f) => f.atMs + f.durationMs));
  if (lastFaultEndMs + 1_000 < current.faultsUntilMs) tryCut({ ...current, faultsUntilMs: Math.ceil(lastFaultEndMs / 1000) * 1000 + 1_000 }, 'heal right after the last fault');
  tryCut({ ...current, livenessMs: Math.max(5_000, Math.round(current.livenessMs / 2)) }, 'halve the liveness phase');
  for (let i = current.workload.producers.length - 1; i >= 0 && current.workload.producers.length > 1; i--) {
    const producers = current.workload.producers.filter((_, j) => j !== i);
    tryCut({ ...current, workload: { ...current.workload, producers } }, `drop producer ${i + 1}`);
  }
  if (current.workload.consumers > 0) tryCut({ ...current, workload: { ...current.workload, consumers: 0 } }, 'no consumers');
  for (let halvings = 0; halvings < 4; halvings++) {
    const producers = current.workload.producers.map((p) => ({ ...p, ratePerSec: Math.max(1, Math.round(p.ratePerSec / 2)) }));
    const before = current;
    tryCut({ ...current, workload: { ...current.workload, producers } }, 'halve every producer\'s rate');
    if (current === before) break;
  }
  const final = attempt(current, 'the shrunk run, once more');
  if (!final.reproduced) throw new ShrinkError(`the shrunk run no longer shows ${kind} (a determinism bug: the same spec and seed gave another result)`);
  return { spec: current, faults: current.faults?.script ?? [], originalFaults: faults.length, runs, kinds: final.kinds, traceHash: final.traceHash };
}

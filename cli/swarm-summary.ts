// Builds swarm.json from seeds' outcomes (npm run swarm) or from several shards' swarm.json (npm run merge).

import type { AnomalyKind, CheckerKind } from '../sim/checkers/anomaly.ts';
import { RESULT_FORMAT_VERSION, type RunResult, type SwarmFinding, type SwarmResult, type SwarmSeed } from '../sim/result.ts';
import type { Scenario } from '../sim/scenario.ts';

export interface SwarmMeta {
  readonly scenario: Pick<Scenario, 'name' | 'summary'>;
  readonly source: string;
  readonly mode: SwarmResult['mode'];
  readonly set: Readonly<Record<string, string>>;
  readonly range: SwarmResult['range'];
  readonly shards: SwarmResult['shards'];
  readonly workers: number;
  readonly wallSeconds: number;
  readonly expected: SwarmResult['expected'];
}

export function finding(result: RunResult): SwarmFinding {
  const messages: string[] = [];
  for (const kind of Object.keys(result.anomalyCounts)) {
    const first = result.anomalies.find((a) => a.kind === kind);
    if (first !== undefined) messages.push(`${kind}: ${first.message}`);
  }
  return { seed: result.seed, why: result.why, anomalies: result.anomalyCounts, messages, reproduce: result.reproduce };
}

/** The swarm's verdict: no failing seed, and every kind the scenario must find found. */
export function summariseSwarm(meta: SwarmMeta, seeds: readonly SwarmSeed[], findings: ReadonlyMap<number, SwarmFinding>, reproduce: (seed: number) => string): SwarmResult {
  const sorted = [...seeds].sort((a, b) => a.seed - b.seed);
  const failing: SwarmFinding[] = [];
  const firstByKind: Partial<Record<AnomalyKind, SwarmFinding>> = {};
  const seedsToFind: Partial<Record<AnomalyKind, number>> = {};
  const totals = { events: 0, simulatedMs: 0, acked: 0, faults: 0 };
  const notJudged: Partial<Record<CheckerKind, number>> = {};
  let seedsNotJudged = 0;
  for (const seed of sorted) {
    if ((seed.notJudged ?? []).length > 0) seedsNotJudged++;
    for (const checker of seed.notJudged ?? []) notJudged[checker] = (notJudged[checker] ?? 0) + 1;
    totals.events += seed.events;
    totals.simulatedMs += seed.simulatedMs;
    totals.acked += seed.acked;
    totals.faults += seed.faults;
    const found = findings.get(seed.seed) ?? { seed: seed.seed, why: seed.why, anomalies: seed.anomalies, messages: [], reproduce: reproduce(seed.seed) };
    if (!seed.ok) failing.push(found);
    for (const kind of Object.keys(seed.anomalies) as AnomalyKind[]) {
      if (firstByKind[kind] !== undefined) continue;
      firstByKind[kind] = found;
      seedsToFind[kind] = seed.seed - meta.range.from + 1;
    }
  }
  const find = typeof meta.expected === 'object' && 'find' in meta.expected ? meta.expected.find : [];
  const missing = find.filter((kind) => firstByKind[kind] === undefined);
  const ok = failing.length === 0 && missing.length === 0;
  // Not judged is never passed: a seed that a checker could not judge is counted, even when it was allowed.
  const unjudged = seedsNotJudged === 0 ? '' : `; ${describeSeedsNotJudged(notJudged, seedsNotJudged)}`;
  const verdict = failing.length > 0
    ? `${failing.length} of ${sorted.length} seeds failed`
    : missing.length > 0
      ? `no seed found ${missing.join(', ')}, which this configuration allows: run more seeds`
      : find.length > 0
        ? `every seed as expected; found ${Object.entries(seedsToFind).map(([k, n]) => `${k} within ${n} seeds`).join(', ')}`
        : `no anomaly in ${sorted.length} seeds`;
  const why = `${verdict}${unjudged}`;
  return {
    format: RESULT_FORMAT_VERSION,
    scenario: meta.scenario.name,
    summary: meta.scenario.summary,
    source: meta.source,
    mode: meta.mode,
    set: meta.set,
    range: meta.range,
    shards: meta.shards,
    workers: meta.workers,
    seedsRun: sorted.length,
    wallSeconds: Math.round(meta.wallSeconds * 10) / 10,
    seedsPerSec: meta.wallSeconds > 0 ? Math.round((sorted.length / meta.wallSeconds) * 100) / 100 : 0,
    ok,
    why,
    expected: meta.expected,
    failing,
    notJudged,
    firstByKind,
    seedsToFind,
    totals,
    seeds: sorted,
  };
}

/** "2 seeds not fully judged (unavailable in 2, under-replicated in 1)". */
export function describeSeedsNotJudged(notJudged: Readonly<Partial<Record<CheckerKind, number>>>, seeds: number): string {
  const perChecker = Object.entries(notJudged).map(([checker, n]) => `${checker} in ${n}`).join(', ');
  return `${seeds} ${seeds === 1 ? 'seed' : 'seeds'} not fully judged (${perChecker})`;
}

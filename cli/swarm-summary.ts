// Builds swarm.json from seeds' outcomes (npm run swarm) or from several shards' swarm.json (npm run merge).

import type { AnomalyKind, CheckerKind } from '../sim/checkers/anomaly.ts';
import { RESULT_FORMAT_VERSION, type RunResult, type SwarmFinding, type SwarmResult, type SwarmSeed } from '../sim/result.ts';
import type { Scenario } from '../sim/scenario.ts';
import { counted } from '../sim/counted.ts';

/**
 * swarm.json as the CLI writes it: the swarm's result, with a verdict of three values. `inconclusive`: no seed
 * failed, but the seeds run are not the whole range (one shard of it, or an interrupted swarm) and did not find
 * the anomaly the scenario must find; the rest of the range may, so only the union is judged (npm run merge).
 */
export interface SwarmFile extends SwarmResult {
  readonly verdict: 'ok' | 'failed' | 'inconclusive';
  /** Set when the swarm was interrupted (Ctrl-C) before every seed ran. */
  readonly partial?: PartialSwarm;
}

export interface PartialSwarm {
  readonly reason: string;
  /** The seeds of the range this swarm (or shard) was to run, and how many of them ran. */
  readonly seedsToRun: number;
  readonly seedsDone: number;
  /** The lowest seed not run: where `resume` starts. */
  readonly from: number;
  /** The command that runs the seeds not run (it writes its own swarm.json). */
  readonly resume: string;
}

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
  readonly partial?: PartialSwarm;
}

export function finding(result: RunResult): SwarmFinding {
  const messages: string[] = [];
  for (const kind of Object.keys(result.anomalyCounts)) {
    const first = result.anomalies.find((a) => a.kind === kind);
    if (first !== undefined) messages.push(`${kind}: ${first.message}`);
  }
  return { seed: result.seed, why: result.why, anomalies: result.anomalyCounts, messages, reproduce: result.reproduce };
}

/** The swarm's verdict: no failing seed, and every kind the scenario must find found (judged on the whole range only). */
export function summariseSwarm(meta: SwarmMeta, seeds: readonly SwarmSeed[], findings: ReadonlyMap<number, SwarmFinding>, reproduce: (seed: number) => string): SwarmFile {
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
  const judged = judgeSwarm(meta, sorted.length, failing.length, find, missing, seedsToFind);
  const verdict = judged.verdict;
  const ok = verdict === 'ok';
  // Not judged is never passed: a seed that a checker could not judge is counted, even when it was allowed.
  const unjudged = seedsNotJudged === 0 ? '' : `; ${describeSeedsNotJudged(notJudged, seedsNotJudged)}`;
  const why = `${judged.why}${unjudged}`;
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
    verdict,
    why,
    expected: meta.expected,
    failing,
    notJudged,
    firstByKind,
    seedsToFind,
    totals,
    seeds: sorted,
    ...(meta.partial === undefined ? {} : { partial: meta.partial }),
  };
}

function judgeSwarm(
  meta: SwarmMeta, run: number, failing: number, find: readonly AnomalyKind[], missing: readonly AnomalyKind[], seedsToFind: Partial<Record<AnomalyKind, number>>,
): Pick<SwarmFile, 'verdict' | 'why'> {
  const partial = meta.partial;
  if (failing > 0) {
    const stopped = partial === undefined ? '' : ` (${partial.reason} after ${partial.seedsDone} of ${counted(partial.seedsToRun, 'seed')})`;
    return { verdict: 'failed', why: `${failing} of ${counted(run, 'seed')} failed${stopped}` };
  }
  if (partial !== undefined) {
    return { verdict: 'inconclusive', why: `inconclusive: ${partial.reason} after ${partial.seedsDone} of ${counted(partial.seedsToRun, 'seed')}, none of them failing; the others are not judged, resume with: ${partial.resume}` };
  }
  if (missing.length > 0 && !coversRange(meta.shards)) {
    const where = meta.shards.length === 1 ? 'this shard' : `these shards (${meta.shards.map((s) => `${s.k}/${s.n}`).join(', ')})`;
    return { verdict: 'inconclusive', why: `inconclusive: the anomaly was not found in ${where}; merge the shards to judge (${counted(run, 'seed')} run here, none showed ${missing.join(', ')})` };
  }
  if (missing.length > 0) return { verdict: 'failed', why: `no seed found ${missing.join(', ')}, which this configuration allows: run more seeds` };
  if (find.length === 0) return { verdict: 'ok', why: `no anomaly in ${counted(run, 'seed')}` };
  return { verdict: 'ok', why: `every seed as expected; found ${Object.entries(seedsToFind).map(([kind, n]) => `${kind} within ${counted(n, 'seed')}`).join(', ')}` };
}

/** Whether these shards together are the whole range: none (the swarm ran all of it), or every k of 1..n. */
function coversRange(shards: SwarmResult['shards']): boolean {
  if (shards.length === 0) return true;
  const n = shards[0]!.n;
  return Array.from({ length: n }, (_, i) => i + 1).every((k) => shards.some((s) => s.k === k && s.n === n));
}

/** "2 seeds not fully judged (unavailable in 2, under-replicated in 1)". */
export function describeSeedsNotJudged(notJudged: Readonly<Partial<Record<CheckerKind, number>>>, seeds: number): string {
  const perChecker = Object.entries(notJudged).map(([checker, n]) => `${checker} in ${n}`).join(', ');
  return `${seeds} ${seeds === 1 ? 'seed' : 'seeds'} not fully judged (${perChecker})`;
}

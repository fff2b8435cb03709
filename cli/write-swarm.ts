// Writes a swarm's swarm.json and swarm.html under DIR/NAME/swarm/ (a shard's under swarm-shard-k-of-n/) and
// prints its summary: for `npm run swarm` and `npm run merge`.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyKind } from '../sim/checkers/anomaly.ts';
import { counted } from '../sim/counted.ts';
import type { SwarmFinding, SwarmResult } from '../sim/result.ts';
import { renderSwarmReport } from '../reports/index.ts';
import type { SwarmFile } from './swarm-summary.ts';
import { runDir } from './write-run.ts';

export const SWARM_FILES = ['swarm.json', 'swarm.html'] as const;

export function swarmDirName(swarm: Pick<SwarmResult, 'shards'>): string {
  return swarm.shards.length === 1 ? `swarm-shard-${swarm.shards[0]!.k}-of-${swarm.shards[0]!.n}` : 'swarm';
}

export function swarmDir(outDir: string, swarm: Pick<SwarmResult, 'scenario' | 'shards'>): string {
  return join(outDir, swarm.scenario, swarmDirName(swarm));
}

export function writeSwarm(outDir: string, swarm: SwarmFile): string {
  const dir = swarmDir(outDir, swarm);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'swarm.json'), `${JSON.stringify(swarm, null, 2)}\n`);
  writeFileSync(join(dir, 'swarm.html'), renderSwarmReport(swarm));
  return dir;
}

const LISTED = 20;

/** The summary: figures, the first seed of each kind, failing seeds with their commands (and reports under `outDir`), the verdict. */
export function printSummary(swarm: SwarmFile, dir: string, outDir: string): void {
  const t = swarm.totals;
  const report = (finding: SwarmFinding): string => {
    const path = join(runDir(outDir, { scenario: swarm.scenario, seed: finding.seed, mode: swarm.mode, set: swarm.set }), 'report.html');
    return existsSync(path) ? `\n    report: ${path}` : '';
  };
  console.log(`\n${swarm.scenario}: ${counted(swarm.seedsRun, 'seed')} in ${swarm.wallSeconds} s on ${counted(swarm.workers, 'worker')}, ${swarm.seedsPerSec} seeds/s`);
  console.log(`  ${counted(t.faults, 'fault')}, ${counted(t.acked, 'acked record')}, ${(t.simulatedMs / 1000).toFixed(0)} simulated s (${(t.simulatedMs / 1000 / Math.max(swarm.wallSeconds, 1e-9)).toFixed(1)}x real time)`);
  // Kinds first found by the same seed share one line: one command, one report.
  const bySeed = new Map<number, AnomalyKind[]>();
  for (const [kind, first] of Object.entries(swarm.firstByKind) as Array<[AnomalyKind, SwarmFinding]>) bySeed.set(first.seed, [...(bySeed.get(first.seed) ?? []), kind]);
  for (const [seed, kinds] of bySeed) {
    const first = swarm.firstByKind[kinds[0]!]!;
    console.log(`  ${kinds.join(', ')}: first found by seed ${seed} (${counted(swarm.seedsToFind[kinds[0]!]!, 'seed')} into the range): ${first.reproduce}${report(first)}`);
  }
  for (const failure of swarm.failing.slice(0, LISTED)) console.log(`  FAIL seed ${failure.seed}: ${failure.why}\n    reproduce: ${failure.reproduce}${report(failure)}`);
  if (swarm.failing.length > LISTED) console.log(`  ... and ${counted(swarm.failing.length - LISTED, 'more failing seed')} (swarm.json lists them all)`);
  const verdict = swarm.verdict === 'ok' ? 'OK: ' : swarm.verdict === 'failed' ? 'FAILED: ' : '';
  console.log(`${verdict}${swarm.why}\nswarm.json: ${dir}/swarm.json${swarm.partial !== undefined ? ' (partial)' : ''}`);
}

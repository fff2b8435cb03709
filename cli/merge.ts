// `npm run merge -- A/swarm.json B/swarm.json ... [--out DIR]`: joins the swarm.json files of shards of one
// swarm (the same scenario, mode, --set and seed range, run with --shard k/n on several machines) into one
// swarm.json and swarm.html under DIR/NAME/swarm/. Says which shards are missing, if any.

import { parseArgs } from 'node:util';
import type { SwarmFinding, SwarmResult, SwarmSeed } from '../sim/result.ts';
import { runMain, UsageError } from './command.ts';
import { isMainModule } from './main-module.ts';
import { summariseSwarm } from './swarm-summary.ts';
import { readSwarm } from './result-file.ts';
import { printSummary, writeSwarm } from './swarm.ts';

export function mergeSwarms(paths: readonly string[], swarms: readonly SwarmResult[]): SwarmResult {
  const first = swarms[0]!;
  swarms.forEach((swarm, i) => {
    const same = swarm.scenario === first.scenario && swarm.mode === first.mode && JSON.stringify(swarm.set) === JSON.stringify(first.set)
      && swarm.range.from === first.range.from && swarm.range.count === first.range.count;
    if (!same) throw new UsageError(`${paths[i]} is not a shard of the same swarm as ${paths[0]} (scenario, mode, --set and seed range must match)`);
  });
  const seeds = new Map<number, SwarmSeed>();
  const findings = new Map<number, SwarmFinding>();
  for (const swarm of swarms) {
    for (const seed of swarm.seeds) {
      const known = seeds.get(seed.seed);
      if (known !== undefined && known.traceHash !== seed.traceHash) {
        throw new UsageError(`seed ${seed.seed} has two different trace hashes in these files: they were not run by the same code`);
      }
      seeds.set(seed.seed, seed);
    }
    for (const found of [...swarm.failing, ...Object.values(swarm.firstByKind)]) if (found !== undefined) findings.set(found.seed, found);
  }
  const shards = swarms.flatMap((swarm) => swarm.shards);
  const merged = summariseSwarm({
    scenario: { name: first.scenario, summary: first.summary },
    source: first.source,
    mode: first.mode,
    set: first.set,
    range: first.range,
    shards,
    workers: swarms.reduce((sum, swarm) => sum + swarm.workers, 0),
    // Shards ran side by side: the swarm took as long as its slowest shard.
    wallSeconds: Math.max(...swarms.map((swarm) => swarm.wallSeconds)),
    expected: first.expected,
  }, [...seeds.values()], findings, (seed) => findings.get(seed)?.reproduce ?? `npm run scenario -- ${first.source} --seed ${seed}${first.mode === 'swarm' ? ' --swarm' : ''}`);
  return merged;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: npm run merge -- A/swarm.json B/swarm.json ... [--out DIR]`);
  }
  const paths = parsed.positionals;
  if (paths.length === 0) throw new UsageError('give the swarm.json files of the shards: npm run merge -- A/swarm.json B/swarm.json ... [--out DIR]');
  const merged = mergeSwarms(paths, paths.map(readSwarm));
  const n = merged.shards[0]?.n;
  const missing = n === undefined ? [] : Array.from({ length: n }, (_, i) => i + 1).filter((k) => !merged.shards.some((s) => s.k === k && s.n === n));
  const dir = writeSwarm(parsed.values.out ?? 'out', { ...merged, shards: missing.length === 0 ? [] : merged.shards });
  printSummary(merged, dir);
  if (missing.length > 0) {
    console.log(`INCOMPLETE: shards ${missing.map((k) => `${k}/${n}`).join(', ')} are missing; ${merged.seedsRun} of ${merged.range.count} seeds merged`);
    return 1;
  }
  return merged.ok ? 0 : 1;
}

if (isMainModule(import.meta.url)) runMain('merge', main);

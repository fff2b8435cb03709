// `npm run merge -- A/swarm.json B/swarm.json ... [--out DIR]`: joins the swarm.json files of shards of one
// swarm (the same scenario, mode, --set and seed range, run with --shard k/n on several machines) into one
// swarm.json and swarm.html under DIR/NAME/swarm/, and judges the union: a shard that did not find the anomaly
// its scenario must find is inconclusive alone, the merge fails if no shard found it. Says which shards are
// missing, if any. It does not replace a swarm.json already there unless told to (--force, or --out naming
// where to write).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { counted } from '../sim/counted.ts';
import type { SwarmFinding, SwarmResult, SwarmSeed } from '../sim/result.ts';
import { runMain, UsageError } from './command.ts';
import { isMainModule } from './main-module.ts';
import { summariseSwarm, type SwarmFile } from './swarm-summary.ts';
import { readSwarm } from './result-file.ts';
import { SWARM_FILES, printSummary, swarmDir, writeSwarm } from './write-swarm.ts';
import { prepareOutDir } from './out-dir.ts';

const USAGE = 'npm run merge -- A/swarm.json B/swarm.json ... [--out DIR] [--force]';

export function mergeSwarms(paths: readonly string[], swarms: ReadonlyArray<SwarmResult | SwarmFile>): SwarmFile {
  const first = swarms[0]!;
  swarms.forEach((swarm, i) => {
    const same = swarm.scenario === first.scenario && swarm.mode === first.mode && JSON.stringify(swarm.set) === JSON.stringify(first.set)
      && swarm.range.from === first.range.from && swarm.range.count === first.range.count
      && swarm.shards.every((s) => s.n === first.shards[0]?.n);
    if (!same) throw new UsageError(`${paths[i]} is not a shard of the same swarm as ${paths[0]} (scenario, mode, --set, seed range and number of shards must match)`);
    const partial = 'partial' in swarm ? swarm.partial : undefined;
    if (partial !== undefined) {
      throw new UsageError(`${paths[i]} is a partial swarm.json (${partial.reason} after ${partial.seedsDone} of ${counted(partial.seedsToRun, 'seed')}): merge joins whole shards; run that shard again to the end`);
    }
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
    parsed = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: ${USAGE}`);
  }
  const paths = parsed.positionals;
  if (paths.length === 0) throw new UsageError(`give the swarm.json files of the shards: ${USAGE}`);
  const merged = mergeSwarms(paths, paths.map(readSwarm));
  const n = merged.shards[0]?.n;
  const missing = n === undefined ? [] : Array.from({ length: n }, (_, i) => i + 1).filter((k) => !merged.shards.some((s) => s.k === k && s.n === n));
  const written: SwarmFile = { ...merged, shards: missing.length === 0 ? [] : merged.shards };
  const outDir = parsed.values.out ?? 'out';
  const target = swarmDir(outDir, written);
  prepareOutDir(target, `--out ${outDir}`, SWARM_FILES);
  // The default folder is where a whole swarm of this scenario writes: a merge must not replace one by surprise.
  if (existsSync(join(target, 'swarm.json')) && parsed.values.out === undefined && parsed.values.force !== true) {
    throw new UsageError(`${join(target, 'swarm.json')} exists (a swarm's or an earlier merge's), and merge does not replace it: give --out DIR to write the merge elsewhere, or --force to replace it`);
  }
  const dir = writeSwarm(outDir, written);
  printSummary(written, dir, outDir);
  if (missing.length > 0) {
    console.log(`INCOMPLETE: ${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((k) => `${k}/${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; ${merged.seedsRun} of ${counted(merged.range.count, 'seed')} merged`);
    return 1;
  }
  return merged.verdict === 'ok' ? 0 : 1;
}

if (isMainModule(import.meta.url)) runMain('merge', main);

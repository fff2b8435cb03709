// `npm run bench:workers -- [NAME] [--seeds N] [--rounds R] [--from S] [--workers W] [--with-helpers]`
//
// Does a second worker pay off? Runs the same seed range as a swarm on 1 worker and on W (default: the
// machine's cores), alternating which goes first in each round so that a noisy machine's drift falls on both,
// and prints seeds/s of each, the ratio per round and the medians. Each run is a real `npm run swarm` process
// (the same flags and bundle users get); the trace hash of every seed must be the same on 1 and W workers.
// The default, 120 seeds, is long enough that each worker compiling the engine once (its warm-up, paid by every
// worker) is a small part, as in a real swarm of hundreds of seeds; a short range scales less.
// `--with-helpers` also runs 1 worker with V8's helper threads on (node without --single-threaded), to show
// what turning them off costs the single worker. Exit 0 unless a run failed or a trace hash differed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SwarmResult } from '../sim/result.ts';
import { counted } from '../sim/counted.ts';
import { UsageError, runMain, wholeNumber } from './command.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'npm run bench:workers -- [NAME] [--seeds N] [--rounds R] [--from S] [--workers W] [--with-helpers]';

interface Variant {
  readonly label: string;
  readonly workers: number;
  readonly helpersOff: boolean;
}

interface Measured {
  readonly seedsPerSec: number;
  readonly wallSeconds: number;
  readonly hashes: ReadonlyMap<number, string>;
}

function runSwarm(target: string, name: string, from: number, seeds: number, variant: Variant): Measured {
  const out = mkdtempSync(join(tmpdir(), 'tributary-speedup-'));
  try {
    const args = [
      ...(variant.helpersOff ? ['--single-threaded'] : []),
      '--import', 'tsx', join(ROOT, 'cli', 'swarm.ts'), target,
      '--seeds', String(seeds), '--from', String(from), '--workers', String(variant.workers), '--out', out,
    ];
    const child = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, CI: '1' }, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`the swarm on ${variant.label} exited ${child.status}:\n${child.stdout}\n${child.stderr}`);
    const swarm = JSON.parse(readFileSync(join(out, name, 'swarm', 'swarm.json'), 'utf8')) as SwarmResult;
    return {
      seedsPerSec: swarm.seedsRun / swarm.wallSeconds,
      wallSeconds: swarm.wallSeconds,
      hashes: new Map(swarm.seeds.map((seed) => [seed.seed, seed.traceHash])),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function differingSeeds(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): number[] {
  return [...a].filter(([seed, hash]) => b.get(seed) !== hash).map(([seed]) => seed);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { seeds: { type: 'string' }, rounds: { type: 'string' }, from: { type: 'string' }, workers: { type: 'string' }, 'with-helpers': { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: ${USAGE}`);
  }
  if (parsed.positionals.length > 1) throw new UsageError(`one scenario at most, got ${parsed.positionals.join(' ')}; usage: ${USAGE}`);
  const target = parsed.positionals[0] ?? 'random-faults-safe-configuration';
  const name = (await loadScenario(target)).scenario.name;
  const seeds = wholeNumber('seeds', parsed.values.seeds, 1, 120);
  const rounds = wholeNumber('rounds', parsed.values.rounds, 1, 3);
  const from = wholeNumber('from', parsed.values.from, 0, 1);
  const workers = wholeNumber('workers', parsed.values.workers, 2, Math.max(2, availableParallelism()));
  const one: Variant = { label: '1 worker', workers: 1, helpersOff: true };
  const many: Variant = { label: `${workers} workers`, workers, helpersOff: true };
  const helped: Variant = { label: '1 worker with V8 helper threads (node without --single-threaded)', workers: 1, helpersOff: false };
  const variants = parsed.values['with-helpers'] === true ? [one, many, helped] : [one, many];
  console.log(`worker speedup: ${name}, seeds ${from}..${from + seeds - 1}, ${counted(rounds, 'round')} of ${variants.map((v) => v.label).join(' / ')}, on ${counted(availableParallelism(), 'core')}`);

  const rates = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const ratios: number[] = [];
  let mismatches = 0;
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    const measured = new Map<Variant, Measured>();
    for (const variant of order) {
      const result = runSwarm(target, name, from, seeds, variant);
      measured.set(variant, result);
      rates.get(variant)!.push(result.seedsPerSec);
    }
    const ratio = measured.get(many)!.seedsPerSec / measured.get(one)!.seedsPerSec;
    ratios.push(ratio);
    for (const variant of variants) {
      const differ = differingSeeds(measured.get(one)!.hashes, measured.get(variant)!.hashes);
      if (differ.length > 0) {
        mismatches++;
        console.log(`  TRACE HASHES DIFFER between 1 worker and ${variant.label}: seeds ${differ.join(', ')}`);
      }
    }
    const parts = variants.map((v) => `${v.label} ${measured.get(v)!.seedsPerSec.toFixed(3)} seeds/s (${measured.get(v)!.wallSeconds.toFixed(1)} s)`);
    console.log(`  round ${round}: ${parts.join(', ')}; ratio ${ratio.toFixed(2)}x`);
  }
  const medians = variants.map((v) => `${v.label} ${median(rates.get(v)!).toFixed(3)}`);
  console.log(`median seeds/s: ${medians.join(', ')}`);
  console.log(`ratio ${workers} workers / 1 worker: median ${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  if (variants.includes(helped)) {
    console.log(`1 worker as npm run swarm runs it / with V8 helper threads: ${(median(rates.get(one)!) / median(rates.get(helped)!)).toFixed(2)}x; ${workers} workers / 1 worker with V8 helper threads: ${(median(rates.get(many)!) / median(rates.get(helped)!)).toFixed(2)}x`);
  }
  console.log(mismatches === 0 ? 'every seed had the same trace hash on every run' : `${counted(mismatches, 'run')} had seeds with other trace hashes`);
  return mismatches === 0 ? 0 : 1;
}

if (isMainModule(import.meta.url)) runMain('bench:workers', main);

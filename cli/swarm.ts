// `npm run swarm -- NAME|PATH --seeds N [--from S] [--workers W] [--shard k/n] [--set key=value ...] [--out DIR]`
//
// Runs many seeds of one scenario on a piscina pool of worker threads. A scenario with a `swarm` section runs
// in swarm mode (each seed draws its knobs and a random fault schedule); one without runs as written, each
// seed giving other network, disk and workload randomness. A live progress line on a terminal (plain lines in
// CI); every failing seed printed with the command that reproduces it; swarm.json and swarm.html written to
// DIR/NAME/swarm[-shard-k-of-n]/, and result.json + report.html of failing seeds (and of the first seed that
// found each anomaly kind) to DIR/NAME/seed-N/. `--shard k/n` runs every n-th seed of the range starting at
// the k-th, so n machines (a CI matrix, an indexed Job) cover the range; `npm run merge` joins their files.
// Exit 0 when the swarm's verdict is ok, 1 when not, 2 on a usage error.

import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../sim/settings.ts';
import { reproduceCommand, resolveRun } from '../sim/run.ts';
import type { SwarmFinding, SwarmResult, SwarmSeed } from '../sim/result.ts';
import type { AnomalyKind } from '../sim/checkers/anomaly.ts';
import { renderSwarmReport } from '../reports/index.ts';
import { Progress, UsageError, parseShard, runMain, wholeNumber } from './command.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';
import { banner } from './banner.ts';
import { writeRun } from './write-run.ts';
import { finding, summariseSwarm } from './swarm-summary.ts';
import type { SeedTask } from './swarm-task.ts';
import { openSeedPool } from './seed-pool.ts';

const MAX_REPORTS = 20;
const USAGE = 'npm run swarm -- NAME|PATH --seeds N [--from S] [--workers W] [--shard k/n] [--set key=value ...] [--out DIR]';

export interface SwarmArgs {
  readonly target: string | undefined;
  readonly seeds: number;
  readonly from: number;
  readonly workers: number;
  readonly shard: { k: number; n: number } | undefined;
  readonly settings: readonly string[];
  readonly outDir: string;
}

export function parseSwarmArgs(argv: readonly string[]): SwarmArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        seeds: { type: 'string' }, from: { type: 'string' }, workers: { type: 'string' }, shard: { type: 'string' },
        set: { type: 'string', multiple: true }, out: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: ${USAGE}`);
  }
  if (parsed.values.seeds === undefined) throw new UsageError(`say how many seeds: --seeds N; usage: ${USAGE}`);
  return {
    target: parsed.positionals[0],
    seeds: wholeNumber('seeds', parsed.values.seeds, 1, 100),
    from: wholeNumber('from', parsed.values.from, 0, 1),
    workers: wholeNumber('workers', parsed.values.workers, 1, availableParallelism()),
    shard: parseShard(parsed.values.shard),
    settings: parsed.values.set ?? [],
    outDir: parsed.values.out ?? 'out',
  };
}

/** The seeds of the range this shard runs. */
export function shardSeeds(from: number, count: number, shard: { k: number; n: number } | undefined): number[] {
  const seeds: number[] = [];
  for (let i = 0; i < count; i++) if (shard === undefined || i % shard.n === shard.k - 1) seeds.push(from + i);
  return seeds;
}

async function main(): Promise<number> {
  const args = parseSwarmArgs(process.argv.slice(2));
  const settings = parseSettings(args.settings);
  const loaded = await loadScenario(args.target);
  const { scenario, source } = loaded;
  const mode = scenario.swarm !== undefined ? 'swarm' : 'scenario';
  const seeds = shardSeeds(args.from, args.seeds, args.shard);
  if (seeds.length === 0) throw new UsageError(`shard ${args.shard!.k}/${args.shard!.n} of ${args.seeds} seeds has no seed to run: use fewer shards or more seeds`);
  const resolved = resolveRun(scenario, seeds[0]!, { mode, settings, source });
  console.log(banner(scenario.name, seeds[0]!, resolved.options));
  if (mode === 'swarm') console.log(`(the options of seed ${seeds[0]}: in swarm mode each seed draws its own; a failing seed's command prints them)`);
  const last = args.from + args.seeds - 1;
  console.log(`swarm: ${seeds.length} seeds of ${args.from}..${last}${args.shard ? ` (shard ${args.shard.k}/${args.shard.n})` : ''} on ${args.workers} worker threads, ${mode === 'swarm' ? 'each seed drawing its own knobs and faults' : 'the scenario as written'}`);

  const pool = await openSeedPool({ workers: args.workers, scenarioPath: loaded.path });
  const progress = new Progress();
  const started = process.hrtime.bigint();
  const elapsedS = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  const outcomes: SwarmSeed[] = [];
  const findings = new Map<number, SwarmFinding>();
  const firstKinds = new Set<AnomalyKind>();
  let failing = 0;
  let reports = 0;
  const reproduce = (seed: number): string => reproduceCommand(source, seed, mode, settings);
  const line = (): string => {
    const done = outcomes.length;
    const rate = done / Math.max(elapsedS(), 1e-9);
    const left = rate > 0 ? Math.ceil((seeds.length - done) / rate) : 0;
    const found = firstKinds.size > 0 ? `, found ${[...firstKinds].join(' ')}` : '';
    return `${scenario.name}: ${done}/${seeds.length} seeds, ${rate.toFixed(2)} seeds/s, ${failing} failing${found}, ~${left} s left`;
  };
  try {
    await Promise.all(seeds.map(async (seed) => {
      const task: SeedTask = { name: loaded.path !== undefined ? undefined : scenario.name, seed, mode, settings: args.settings, source };
      const outcome = await pool.run(task);
      outcomes.push(outcome.seed);
      if (outcome.result !== null) {
        findings.set(seed, finding(outcome.result));
        const newKinds = (Object.keys(outcome.result.anomalyCounts) as AnomalyKind[]).filter((kind) => !firstKinds.has(kind));
        for (const kind of newKinds) firstKinds.add(kind);
        if ((!outcome.seed.ok || newKinds.length > 0) && reports < MAX_REPORTS) {
          reports++;
          writeRun(args.outDir, outcome.result);
        }
      }
      if (!outcome.seed.ok) {
        failing++;
        progress.message(`FAIL seed ${seed}: ${outcome.seed.why}\n  reproduce: ${reproduce(seed)}${outcome.crash ? `\n${outcome.crash}` : ''}`);
      }
      progress.update(line());
    }));
  } finally {
    await pool.close();
  }
  progress.update(line(), true);
  progress.done();
  const wallSeconds = elapsedS();
  const swarm = summariseSwarm({
    scenario, source, mode,
    set: Object.fromEntries(settings.map((s) => [s.text.slice(0, s.text.indexOf('=')).trim(), s.value])),
    range: { from: args.from, count: args.seeds },
    shards: args.shard ? [args.shard] : [],
    workers: args.workers,
    wallSeconds,
    expected: resolved.expected,
  }, outcomes, findings, reproduce);
  const dir = writeSwarm(args.outDir, swarm);
  printSummary(swarm, dir);
  return swarm.ok ? 0 : 1;
}

export function swarmDirName(swarm: Pick<SwarmResult, 'shards'>): string {
  return swarm.shards.length === 1 ? `swarm-shard-${swarm.shards[0]!.k}-of-${swarm.shards[0]!.n}` : 'swarm';
}

export function writeSwarm(outDir: string, swarm: SwarmResult): string {
  const dir = join(outDir, swarm.scenario, swarmDirName(swarm));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'swarm.json'), `${JSON.stringify(swarm, null, 2)}\n`);
  writeFileSync(join(dir, 'swarm.html'), renderSwarmReport(swarm));
  return dir;
}

export function printSummary(swarm: SwarmResult, dir: string): void {
  const t = swarm.totals;
  console.log(`\n${swarm.scenario}: ${swarm.seedsRun} seeds in ${swarm.wallSeconds} s on ${swarm.workers} workers, ${swarm.seedsPerSec} seeds/s`);
  console.log(`  ${t.faults} faults, ${t.acked} acked records, ${(t.simulatedMs / 1000).toFixed(0)} simulated s (${(t.simulatedMs / 1000 / Math.max(swarm.wallSeconds, 1e-9)).toFixed(1)}x real time)`);
  for (const [kind, first] of Object.entries(swarm.firstByKind)) {
    console.log(`  ${kind}: first found by seed ${first!.seed} (${swarm.seedsToFind[kind as AnomalyKind]} seeds into the range): ${first!.reproduce}`);
  }
  for (const failure of swarm.failing.slice(0, 20)) console.log(`  FAIL seed ${failure.seed}: ${failure.why}\n    reproduce: ${failure.reproduce}`);
  if (swarm.failing.length > 20) console.log(`  ... and ${swarm.failing.length - 20} more failing seeds (swarm.json lists them all)`);
  console.log(`${swarm.ok ? 'OK' : 'FAILED'}: ${swarm.why}\nswarm.json: ${dir}/swarm.json`);
}

if (isMainModule(import.meta.url)) runMain('swarm', main);

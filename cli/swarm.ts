// `npm run swarm -- NAME|PATH --seeds N [--from S] [--workers W] [--shard k/n] [--set key=value ...] [--out DIR]`
//
// Runs many seeds of one scenario on a piscina pool of worker threads. A scenario with a `swarm` section runs
// in swarm mode (each seed draws its knobs and a random fault schedule); one without runs as written, each
// seed giving other network, disk and workload randomness. A live progress line on a terminal (plain lines in
// CI); every failing seed printed with the command that reproduces it; swarm.json and swarm.html written to
// DIR/NAME/swarm[-shard-k-of-n]/, and result.json + report.html of failing seeds (and of the first seed that
// found each anomaly kind) to the folder the command that reproduces the seed writes (DIR/NAME/seed-N-swarm/
// in swarm mode). `--shard k/n` runs every n-th seed of the range starting at the k-th, so n machines (a CI
// matrix, an indexed Job) cover the range; `npm run merge` joins their files and judges the union.
// Ctrl-C stops the workers, removes the bundle, and writes a partial swarm.json with the command that runs
// the seeds not run.
// Exit 0 when the swarm's verdict is ok, or inconclusive for a shard (the anomaly to find is for the merge to
// judge), 1 when it failed, 2 on a usage error, 130 when interrupted.

import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { parseSettings, type Setting } from '../sim/settings.ts';
import { reproduceCommand, resolveRun } from '../sim/run.ts';
import type { SwarmFinding, SwarmSeed } from '../sim/result.ts';
import type { AnomalyKind } from '../sim/checkers/anomaly.ts';
import { counted } from '../sim/counted.ts';
import { UsageError, parseShard, runMain, wholeNumber } from './command.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';
import { banner } from './banner.ts';
import { setRecord, writeRun } from './write-run.ts';
import { finding, summariseSwarm, type PartialSwarm } from './swarm-summary.ts';
import { SWARM_FILES, printSummary, swarmDir, writeSwarm } from './write-swarm.ts';
import type { SeedTask } from './swarm-task.ts';
import { openSeedPool, type SeedPool } from './seed-pool.ts';
import { prepareOutDir } from './out-dir.ts';
import { Progress, type LinePart } from './progress.ts';
import { onInterrupt } from './interrupt.ts';

const MAX_REPORTS = 20;
const USAGE = 'npm run swarm -- NAME|PATH --seeds N [--from S] [--workers W] [--shard k/n] [--set key=value ...] [--out DIR]';

export interface SwarmArgs {
  readonly target: string | undefined;
  readonly seeds: number;
  readonly from: number;
  /** As given, or the machine's cores; the swarm runs no more workers than it has seeds. */
  readonly workers: number;
  readonly workersGiven: boolean;
  readonly shard: { k: number; n: number } | undefined;
  readonly settings: readonly string[];
  readonly outDir: string;
  readonly outGiven: boolean;
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
    workersGiven: parsed.values.workers !== undefined,
    shard: parseShard(parsed.values.shard),
    settings: parsed.values.set ?? [],
    outDir: parsed.values.out ?? 'out',
    outGiven: parsed.values.out !== undefined,
  };
}

/** The seeds of the range this shard runs. */
export function shardSeeds(from: number, count: number, shard: { k: number; n: number } | undefined): number[] {
  const seeds: number[] = [];
  for (let i = 0; i < count; i++) if (shard === undefined || i % shard.n === shard.k - 1) seeds.push(from + i);
  return seeds;
}

/** Seeds as ranges: `1..35, 37, 39..40`. */
export function seedRanges(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(j === i ? `${sorted[i]}` : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

/**
 * The command that runs the seeds of this swarm (or shard) not done: from the lowest seed not done to the end
 * of the range. A shard's range starts k-1 seeds earlier so that its k-th seeds are still the ones left.
 */
export function resumeCommand(args: SwarmArgs, source: string, settings: readonly Setting[], notDone: readonly number[]): { from: number; command: string } {
  const next = Math.min(...notDone);
  const last = args.from + args.seeds - 1;
  const from = args.shard === undefined ? next : next - (args.shard.k - 1);
  const parts = ['npm run swarm --', quote(source), '--seeds', String(last - from + 1), '--from', String(from)];
  if (args.shard !== undefined) parts.push('--shard', `${args.shard.k}/${args.shard.n}`);
  if (args.workersGiven) parts.push('--workers', String(args.workers));
  for (const text of new Set(settings.map((s) => s.text))) parts.push('--set', quote(text));
  if (args.outGiven) parts.push('--out', quote(args.outDir));
  return { from: next, command: parts.join(' ') };
}

function quote(text: string): string {
  return /^[A-Za-z0-9._/=:,@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The live line. On a narrow terminal parts go in order of rank, so that what is kept longest is how far the
 * swarm is, how many seeds failed and how long it has to go; then what it found, its rate, its name.
 */
export function swarmProgressLine(p: { name: string; done: number; total: number; perSec: number; failing: number; found: readonly string[]; leftS: number }): LinePart[] {
  return [
    { text: p.name, rank: 5, label: true },
    { text: `${p.done}/${p.total} seeds`, rank: 0 },
    { text: `${p.perSec.toFixed(2)} seeds/s`, rank: 4 },
    { text: `${p.failing} failing`, rank: 1 },
    ...(p.found.length > 0 ? [{ text: `found ${p.found.join(' ')}`, rank: 3 }] : []),
    { text: `~${p.leftS} s left`, rank: 2 },
  ];
}

async function main(): Promise<number> {
  const args = parseSwarmArgs(process.argv.slice(2));
  const settings = parseSettings(args.settings);
  const loaded = await loadScenario(args.target);
  const { scenario, source } = loaded;
  const mode = scenario.swarm !== undefined ? 'swarm' : 'scenario';
  const seeds = shardSeeds(args.from, args.seeds, args.shard);
  if (seeds.length === 0) throw new UsageError(`shard ${args.shard!.k}/${args.shard!.n} of ${counted(args.seeds, 'seed')} has no seed to run: use fewer shards or more seeds`);
  const set = setRecord(settings);
  const shards = args.shard ? [args.shard] : [];
  prepareOutDir(swarmDir(args.outDir, { scenario: scenario.name, shards }), `--out ${args.outDir}`, SWARM_FILES);
  // A worker per seed at most: more would each compile the engine for nothing.
  const workers = Math.min(args.workers, seeds.length);
  const resolved = resolveRun(scenario, seeds[0]!, { mode, settings, source });
  console.log(banner(scenario.name, seeds[0]!, resolved.options));
  if (mode === 'swarm') console.log(`(the options of seed ${seeds[0]}: in swarm mode each seed draws its own; a failing seed's command prints them)`);
  const last = args.from + args.seeds - 1;
  const capped = workers < args.workers && args.workersGiven ? ` (--workers ${args.workers}, capped at the seeds to run)` : '';
  console.log(`swarm: ${counted(seeds.length, 'seed')} of ${args.from}..${last}${args.shard ? ` (shard ${args.shard.k}/${args.shard.n})` : ''} on ${counted(workers, 'worker thread')}${capped}, ${mode === 'swarm' ? 'each seed drawing its own knobs and faults' : 'the scenario as written'}`);

  const progress = new Progress();
  let pool: SeedPool | undefined;
  let interrupted = false;
  const stopInterrupts = onInterrupt(() => {
    interrupted = true;
    progress.message('interrupted: stopping the workers (Ctrl-C again to quit at once)');
    void pool?.close();
  });
  pool = await openSeedPool({ workers, scenarioPath: loaded.path });
  const started = process.hrtime.bigint();
  const elapsedS = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  const outcomes: SwarmSeed[] = [];
  const findings = new Map<number, SwarmFinding>();
  const firstKinds = new Set<AnomalyKind>();
  let failing = 0;
  let reports = 0;
  const reproduce = (seed: number): string => reproduceCommand(source, seed, mode, settings);
  const line = (): LinePart[] => {
    const done = outcomes.length;
    const rate = done / Math.max(elapsedS(), 1e-9);
    return swarmProgressLine({ name: scenario.name, done, total: seeds.length, perSec: rate, failing, found: [...firstKinds], leftS: rate > 0 ? Math.ceil((seeds.length - done) / rate) : 0 });
  };
  try {
    if (interrupted) await pool.close();
    await Promise.all(seeds.map(async (seed) => {
      const task: SeedTask = { name: loaded.path !== undefined ? undefined : scenario.name, seed, mode, settings: args.settings, source };
      let outcome;
      try {
        outcome = await pool!.run(task);
      } catch (error) {
        if (interrupted) return;
        throw error;
      }
      outcomes.push(outcome.seed);
      let wrote = '';
      if (outcome.result !== null) {
        findings.set(seed, finding(outcome.result));
        const newKinds = (Object.keys(outcome.result.anomalyCounts) as AnomalyKind[]).filter((kind) => !firstKinds.has(kind));
        for (const kind of newKinds) firstKinds.add(kind);
        if ((!outcome.seed.ok || newKinds.length > 0) && reports < MAX_REPORTS) {
          reports++;
          wrote = `\n  report:    ${writeRun(args.outDir, outcome.result)}/report.html`;
        }
      }
      if (!outcome.seed.ok) {
        failing++;
        progress.message(`FAIL seed ${seed}: ${outcome.seed.why}\n  reproduce: ${reproduce(seed)}${wrote}${outcome.crash ? `\n${outcome.crash}` : ''}`);
      }
      progress.update(line());
    }));
  } finally {
    await pool.close();
    stopInterrupts();
  }
  progress.update(line(), true);
  progress.done();
  let partial: PartialSwarm | undefined;
  if (interrupted) {
    const done = new Set(outcomes.map((o) => o.seed));
    const notDone = seeds.filter((seed) => !done.has(seed));
    if (notDone.length > 0) {
      const resume = resumeCommand(args, source, settings, notDone);
      partial = { reason: 'interrupted (Ctrl-C)', seedsToRun: seeds.length, seedsDone: done.size, from: resume.from, resume: resume.command };
      console.log(`\ninterrupted: ${done.size} of ${counted(seeds.length, 'seed')} done${done.size > 0 ? `: ${seedRanges([...done])}` : ''}`);
      console.log(`resume:      ${resume.command}`);
    }
  }
  const swarm = summariseSwarm({
    scenario, source, mode, set,
    range: { from: args.from, count: args.seeds },
    shards,
    workers,
    wallSeconds: elapsedS(),
    expected: resolved.expected,
    partial,
  }, outcomes, findings, reproduce);
  const dir = writeSwarm(args.outDir, swarm);
  printSummary(swarm, dir, args.outDir);
  if (partial !== undefined) return 130;
  return swarm.verdict === 'failed' ? 1 : 0;
}

if (isMainModule(import.meta.url)) runMain('swarm', main);

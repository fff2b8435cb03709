// The pool of worker threads that runs seeds, for `swarm` and `start`.
//
// Three choices make a second worker pay off on a 2-core machine (`npm run bench:workers`; figures in the
// README: 120 seeds of the safe random-fault swarm ran 1.91x as fast on 2 workers as on 1):
// - Workers run one JavaScript bundle that esbuild builds when the pool opens, not TypeScript through tsx.
//   tsx keeps function names by wrapping every closure it creates in a call (esbuild's keepNames), and the
//   engine creates closures per request: without them a seed runs about a fifth faster, and a worker starts
//   without transforming every file again. The engine never reads function names, so the trace is the same
//   (test/scenarios/run.test.ts runs a seed in the pool and in the main thread).
// - `npm run swarm` and `npm start` run node with `--single-threaded`: V8 without its helper threads (parallel
//   scavenger, concurrent marker, background compiler). With a worker per core those threads take CPU from
//   the workers (measured: a third of it before the engine allocated less); one worker alone loses ~5% on a
//   long swarm (more on a short one, where compiling the engine is a larger part).
// - A 192 MB young generation per worker: fewer scavenges of what a seed keeps for a while (requests waiting
//   in purgatory, the history); measured faster than 64 MB on 1 and on 2 workers.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Piscina } from 'piscina';
import type { SeedOutcome, SeedTask } from './swarm-task.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Under node_modules so that the bundle's imports of packages resolve from it. */
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'tributary');
const TASK_MODULE = join(ROOT, 'cli', 'swarm-task.ts');
const YOUNG_GENERATION_MB = 192;

export interface SeedPoolOptions {
  readonly workers: number;
  /** A scenario file to run instead of the catalogue (its default export is the scenario). */
  readonly scenarioPath?: string;
}

export interface SeedPool {
  run(task: SeedTask): Promise<SeedOutcome>;
  /** Stops the workers (rejecting tasks not done) and removes the bundle; a second call waits for the first. */
  close(): Promise<void>;
}

/** Opens a pool of `workers` threads, each running seeds from a fresh bundle of the task module. */
export async function openSeedPool(options: SeedPoolOptions): Promise<SeedPool> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`openSeedPool: workers must be a whole number >= 1, not ${options.workers}`);
  const file = await bundleTask(options.scenarioPath);
  const pool = new Piscina({
    filename: pathToFileURL(file).href,
    execArgv: ['--enable-source-maps'],
    minThreads: options.workers,
    maxThreads: options.workers,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  // A command that exits without closing the pool (process.exit after an error, a second Ctrl-C) still
  // removes its bundle: exit listeners run on every exit but a kill.
  const removeBundle = (): void => rmSync(file, { force: true });
  process.once('exit', removeBundle);
  let closing: Promise<void> | undefined;
  return {
    run: (task) => pool.run(task) as Promise<SeedOutcome>,
    // Once: a swarm interrupted by Ctrl-C closes the pool at once (tasks queued or running are rejected), and
    // again where it would have after its last seed.
    close: () => closing ??= (async () => {
      try {
        await pool.destroy();
      } finally {
        removeBundle();
        process.removeListener('exit', removeBundle);
      }
    })(),
  };
}

let bundles = 0;

/** Bundles the task module (or a task for a scenario file) into one .mjs file; returns its path. */
async function bundleTask(scenarioPath: string | undefined): Promise<string> {
  mkdirSync(BUILD_DIR, { recursive: true });
  removeBundlesOfDeadProcesses();
  const outfile = join(BUILD_DIR, `seed-task-${process.pid}-${++bundles}.mjs`);
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    // A crash in a worker prints its stack: with the map (and --enable-source-maps) it names .ts lines.
    sourcemap: 'inline',
    logLevel: 'silent',
  } as const;
  if (scenarioPath === undefined) {
    await build({ ...common, entryPoints: [TASK_MODULE] });
  } else {
    await build({
      ...common,
      stdin: {
        contents: [
          `import scenario from ${JSON.stringify(resolve(scenarioPath))};`,
          `import { runSeed } from ${JSON.stringify(TASK_MODULE)};`,
          'export default (task) => runSeed(scenario, task);',
        ].join('\n'),
        resolveDir: ROOT,
        sourcefile: 'scenario-file-task.js',
        loader: 'js',
      },
    });
  }
  return outfile;
}

/** A swarm killed before it closed its pool leaves its bundle behind; the next pool removes it. */
function removeBundlesOfDeadProcesses(): void {
  for (const name of readdirSync(BUILD_DIR)) {
    const match = /^seed-task-(\d+)-\d+\.mjs$/.exec(name);
    if (match !== null && !processAlive(Number(match[1]))) rmSync(join(BUILD_DIR, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

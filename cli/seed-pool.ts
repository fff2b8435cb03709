// The pool of worker threads that runs seeds, for `swarm` and `start`.
//
// Two choices make a second worker pay off on a 2-core machine (measured by `npm run bench:workers`; figures
// in the README):
// - Workers run one JavaScript bundle that esbuild builds when the pool opens, not TypeScript through tsx.
//   tsx keeps function names by wrapping every closure it creates in a call (esbuild's keepNames), and the
//   engine creates closures per request: without them a seed runs about a fifth faster, and a worker starts
//   without transforming every file again. The engine never reads function names, so the trace is the same
//   (test/scenarios/run.test.ts runs a seed in the pool and in the main thread).
// - `npm run swarm` and `npm start` run node with `--single-threaded`: V8 without its helper threads (parallel
//   scavenger, concurrent marker, background compiler). With one worker those threads borrow an idle core, yet
//   the seed is hardly faster; with a worker per core they take about a third of the CPU from the workers.

import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Piscina } from 'piscina';
import type { SeedOutcome, SeedTask } from './swarm-task.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Under node_modules so that the bundle's imports of packages resolve from it. */
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'tributary');
const TASK_MODULE = join(ROOT, 'cli', 'swarm-task.ts');

export interface SeedPoolOptions {
  readonly workers: number;
  /** A scenario file to run instead of the catalogue (its default export is the scenario). */
  readonly scenarioPath?: string;
}

export interface SeedPool {
  run(task: SeedTask): Promise<SeedOutcome>;
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
    // A seed allocates a few GB over its run, most of it short-lived: a larger young generation means fewer
    // scavenges (the default is 16 MB).
    resourceLimits: { maxYoungGenerationSizeMb: Number(process.env.TRIBUTARY_YOUNG_MB ?? 192) },
  });
  return {
    run: (task) => pool.run(task) as Promise<SeedOutcome>,
    close: async () => {
      try {
        await pool.destroy();
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}

/**
 * Whether this process runs V8 without helper threads. The flag is process-wide and must be given when node
 * starts (the npm scripts do): set later, V8 aborts at exit on the main thread's heap.
 */
export function v8HelpersOff(): boolean {
  return process.execArgv.includes('--single-threaded');
}

let bundles = 0;

/** Bundles the task module (or a task for a scenario file) into one .mjs file; returns its path. */
async function bundleTask(scenarioPath: string | undefined): Promise<string> {
  mkdirSync(BUILD_DIR, { recursive: true });
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

// `npm run bench:check`: measures every benchmark (or reads --results FILE), compares the figures with the
// committed bench/baseline.json and fails on a regression or on anything it cannot compare (bench/compare.ts).
// `--update-baseline` writes the figures as the new baseline instead, unless one is below a floor
// (bench/update-baseline.ts). `--baseline FILE` uses another baseline: another machine's, or a test's.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatBaseline, parseBaseline, parseBenchJson, type BenchFigure } from './baseline.ts';
import { compare } from './compare.ts';
import { parseBenchArgs, UsageError } from './options.ts';
import { runBenchmarksWith } from './run.ts';
import { updateBaseline } from './update-baseline.ts';

const DEFAULT_BASELINE = fileURLToPath(new URL('./baseline.json', import.meta.url));
const CHECK_OPTIONS = { results: { type: 'string' }, baseline: { type: 'string' }, 'update-baseline': { type: 'boolean' } } as const;

/** Runs bench:check with these arguments; returns the exit code (0 passed, 1 failed, UsageError for a mistake). */
export async function main(argv: string[]): Promise<number> {
  const options = parseBenchArgs(argv, CHECK_OPTIONS, '[--results FILE] [--baseline FILE] [--update-baseline]');
  const given = options.rest.baseline as string | undefined;
  const baselinePath = given ?? DEFAULT_BASELINE;
  const baselineFile = given ?? 'bench/baseline.json';
  if (!existsSync(baselinePath)) {
    throw new UsageError(given === undefined
      ? 'bench/baseline.json is missing: restore it with `git checkout -- bench/baseline.json` (it holds the tolerance and the floors as well as the figures)'
      : `--baseline ${given}: no such file`);
  }
  // Read before measuring, so that a mistake in the baseline costs no minute of benchmarks.
  const baseline = parseBaseline(readJson(baselinePath, baselineFile), baselineFile);

  const resultsPath = options.rest.results as string | undefined;
  let run: BenchFigure[];
  if (resultsPath !== undefined) {
    if (!existsSync(resultsPath)) throw new UsageError(`--results ${resultsPath}: no such file (give a bench.json that npm run bench wrote)`);
    run = parseBenchJson(readJson(resultsPath, resultsPath), resultsPath);
  } else {
    run = (await runBenchmarksWith(options)).report.results;
  }

  if (options.rest['update-baseline'] === true) {
    const update = updateBaseline(baseline, run, { only: options.only, baselineFile });
    if (!update.written) {
      for (const problem of update.problems) console.log(problem.line);
      console.log(`${baselineFile} not written: fix the problems above first (a figure below its floor: make it meet the floor, or lower the floor in ${baselineFile} on purpose and say why in the commit)`);
      return 1;
    }
    writeFileSync(baselinePath, formatBaseline(update.baseline));
    for (const change of update.changes) console.log(change);
    console.log(`${baselineFile} updated with ${update.changes.length} figure(s)${options.only ? ' (the benchmarks --only left out are kept)' : ''}; commit it`);
    return 0;
  }

  const comparison = compare(baseline, run, { only: options.only, baselineFile });
  for (const line of comparison.passed) console.log(line);
  if (comparison.skipped.length > 0) console.log(`skipped, not selected by --only: ${comparison.skipped.join(', ')}`);
  for (const problem of comparison.problems) console.log(problem.line);
  if (comparison.problems.length > 0) {
    console.log(`bench:check FAILED: ${comparison.problems.length} problem(s)`);
    return 1;
  }
  const checked = baseline.results.length - comparison.skipped.length;
  console.log(`bench:check passed${comparison.skipped.length > 0 ? ` for ${checked} of ${baseline.results.length} benchmarks (--only)` : ''}`);
  return 0;
}

function readJson(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${shown} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${shown} is not JSON: ${(error as Error).message}`);
  }
}

// A plain guard, correct for a path with a space; the CLIs' shared one (cli/) may replace it.
if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `bench:check: ${error.message}` : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

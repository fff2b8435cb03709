// `npm run bench:check`: measures (or reads --results FILE), compares with the committed bench/baseline.json,
// and fails on a regression. `--update-baseline` writes the measured figures as the new baseline.
//
// Absolute figures swing with the machine, so where a benchmark has peers measured in the same run, the check
// compares our ratio to each peer with the baseline's ratio; figures without peers are compared directly,
// with a wider tolerance. Floors (the issue's targets, e.g. encode >= 5x kafkajs) must hold in any case.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchResult } from './measure.ts';
import { runBenchmarks } from './run.ts';
import { UsageError } from './options.ts';

interface Baseline {
  /** Allowed fall below the baseline: of a ratio to a peer, and of an absolute figure. */
  readonly tolerance: { readonly ratio: number; readonly absolute: number };
  /** Minimum ratios or figures that must hold whatever the baseline: `records.encode`: { kafkajs: 5 }. */
  readonly floors: Record<string, Record<string, number>>;
  readonly results: BenchResult[];
}

const baselinePath = fileURLToPath(new URL('./baseline.json', import.meta.url));

function compare(baseline: Baseline, report: BenchReport): string[] {
  const failures: string[] = [];
  for (const base of baseline.results) {
    const now = report.results.find((r) => r.name === base.name);
    if (now === undefined) {
      failures.push(`${base.name}: in the baseline but not measured (renamed or removed? update the baseline)`);
      continue;
    }
    const peers = Object.keys(base.ratios ?? {}).filter((p) => now.ratios[p] !== undefined);
    if (peers.length > 0) {
      for (const peer of peers) {
        const limit = base.ratios[peer] * (1 - baseline.tolerance.ratio);
        const line = `${base.name} vs ${peer}: ${now.ratios[peer].toFixed(2)}x (baseline ${base.ratios[peer].toFixed(2)}x, limit ${limit.toFixed(2)}x)`;
        if (now.ratios[peer] < limit) failures.push(`REGRESSION ${line}`); else console.log(`ok   ${line}`);
      }
    } else {
      const limit = base.value * (1 - baseline.tolerance.absolute);
      const line = `${base.name}: ${now.value.toPrecision(4)} ${now.unit} (baseline ${base.value.toPrecision(4)}, limit ${limit.toPrecision(4)})`;
      if (now.value < limit) failures.push(`REGRESSION ${line}`); else console.log(`ok   ${line}`);
    }
  }
  for (const [name, floors] of Object.entries(baseline.floors)) {
    const now = report.results.find((r) => r.name === name);
    if (now === undefined) continue;
    for (const [key, floor] of Object.entries(floors)) {
      const figure = key === 'value' ? now.value : now.ratios[key];
      const line = `${name} ${key === 'value' ? '' : `vs ${key} `}floor ${floor}: ${figure?.toPrecision(4)}`;
      if (!(figure >= floor)) failures.push(`BELOW FLOOR ${line}`); else console.log(`ok   ${line}`);
    }
  }
  return failures;
}

async function main(argv: string[]): Promise<number> {
  const resultsIndex = argv.indexOf('--results');
  const update = argv.includes('--update-baseline');
  const rest = argv.filter((a, i) => a !== '--update-baseline' && i !== resultsIndex && i !== resultsIndex + 1);
  let report: BenchReport;
  if (resultsIndex >= 0) {
    const path = argv[resultsIndex + 1];
    if (!path || !existsSync(path)) throw new UsageError(`--results needs a bench.json path; ${path ?? '(none)'} does not exist`);
    report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  } else {
    report = (await runBenchmarks(rest)).report;
  }
  if (!existsSync(baselinePath)) throw new UsageError('bench/baseline.json is missing: run `npm run bench:check -- --update-baseline` and commit it');
  const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
  if (update) {
    writeFileSync(baselinePath, JSON.stringify({ ...baseline, results: report.results }, null, 2) + '\n');
    console.log(`bench/baseline.json updated with ${report.results.length} figures`);
    return 0;
  }
  const failures = compare(baseline, report);
  for (const failure of failures) console.log(failure);
  console.log(failures.length === 0 ? 'bench:check passed' : `bench:check FAILED: ${failures.length} regression(s)`);
  return failures.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `bench:check: ${error.message}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

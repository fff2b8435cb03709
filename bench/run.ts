// `npm run bench`: measures every benchmark, prints a table, writes out/bench/bench.json and bench.html.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadSpecs, measure, type BenchReport } from './measure.ts';
import { benchHtml, format } from './html.ts';
import { parseBenchArgs, UsageError, type BenchCliOptions } from './options.ts';
import { isMainModule } from '../cli/main-module.ts';

export async function runBenchmarks(argv: string[]): Promise<{ report: BenchReport; outDir: string }> {
  return runBenchmarksWith(parseBenchArgs(argv));
}

/** As runBenchmarks, with options already parsed (bench:check parses its own beside them). */
export async function runBenchmarksWith(options: BenchCliOptions): Promise<{ report: BenchReport; outDir: string }> {
  const specs = await loadSpecs();
  const results = await measure(specs, { ...options, log: (line) => process.stderr.write(`${line}\n`) });
  if (results.length === 0) throw new UsageError(`no benchmark matches --only ${options.only?.join(', ')}; names: ${specs.map((s) => s.name).join(', ')}`);
  const report: BenchReport = {
    results,
    machine: { node: process.version, cpus: cpus().length, platform: `${process.platform}-${process.arch}` },
    settings: { rounds: options.rounds, timePerRoundMs: options.timePerRoundMs },
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(options.out, 'bench.html'), benchHtml(report));
  printTable(report);
  console.log(`wrote ${join(options.out, 'bench.json')} and bench.html`);
  return { report, outDir: options.out };
}

function printTable(report: BenchReport): void {
  for (const r of report.results) {
    const peers = Object.keys(r.peers).map((p) => `${p} ${format(r.peers[p])} (${r.ratios[p].toFixed(2)}x)`).join(', ');
    console.log(`${r.name.padEnd(18)} ${format(r.value).padStart(9)} ${r.unit.padEnd(10)} ${peers}`);
  }
}

if (isMainModule(import.meta.url)) {
  runBenchmarks(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof UsageError ? `bench: ${error.message}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}

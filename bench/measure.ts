// Measures every BenchmarkSpec of bench/*.bench.ts, ours and its peers side by side in one run.
//
// The machine is noisy, so each implementation is measured in several interleaved rounds (ours, each peer,
// ours, ...) and the figure is the median over rounds of tinybench's median operation time. Ratios between
// implementations measured in the same rounds are what the checks compare.

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Bench } from 'tinybench';
import type { BenchmarkSpec } from './spec.ts';
import { selectedBy } from './options.ts';

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly peers: Record<string, number>;
  readonly description: string;
  /** Our figure divided by each peer's: above 1 we are faster. */
  readonly ratios: Record<string, number>;
}

export interface BenchReport {
  readonly results: BenchResult[];
  readonly machine: { readonly node: string; readonly cpus: number; readonly platform: string };
  readonly settings: { readonly rounds: number; readonly timePerRoundMs: number };
}

export interface MeasureOptions {
  readonly rounds: number;
  readonly timePerRoundMs: number;
  /** Only run specs whose name starts with one of these. */
  readonly only?: readonly string[];
  readonly log?: (line: string) => void;
}

const benchDir = dirname(fileURLToPath(import.meta.url));

/** Loads every `bench/*.bench.ts`, in file-name order. */
export async function loadSpecs(): Promise<BenchmarkSpec[]> {
  const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();
  const specs: BenchmarkSpec[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { benchmarks?: BenchmarkSpec[] };
    if (!Array.isArray(module.benchmarks)) throw new Error(`bench/${file} does not export benchmarks: BenchmarkSpec[]`);
    specs.push(...module.benchmarks);
  }
  return specs;
}

export async function measure(specs: readonly BenchmarkSpec[], options: MeasureOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const spec of specs) {
    if (!selectedBy(options.only, spec.name)) continue;
    options.log?.(`measuring ${spec.name} ...`);
    results.push(await measureSpec(spec, options));
  }
  return results;
}

async function measureSpec(spec: BenchmarkSpec, options: MeasureOptions): Promise<BenchResult> {
  const implementations: Array<[string, () => void]> = [['ours', spec.fn], ...Object.entries(spec.peers ?? {})];
  const samples = new Map<string, number[]>(implementations.map(([name]) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, fn] of implementations) {
      const bench = new Bench({ time: options.timePerRoundMs, warmupTime: Math.min(100, options.timePerRoundMs / 2) });
      bench.add(name, fn);
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') {
        const cause = 'error' in result ? result.error : undefined;
        throw new Error(`benchmark ${spec.name} (${name}) did not complete: ${result.state}${cause ? `: ${String(cause)}` : ''}`);
      }
      samples.get(name)!.push(spec.workPerOp * (1000 / result.latency.p50));
    }
  }
  const value = median(samples.get('ours')!);
  const peers: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  for (const [name] of implementations.slice(1)) {
    peers[name] = median(samples.get(name)!);
    ratios[name] = value / peers[name];
  }
  return { name: spec.name, unit: spec.unit, value, peers, ratios, description: spec.description };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

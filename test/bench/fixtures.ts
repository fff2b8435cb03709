// A small baseline and runs against it, for the bench:check tests: two benchmarks, one beside two peers with
// a floor on one of them, one on its own with a floor on its value.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Baseline, BenchFigure } from '../../bench/baseline.ts';

/** A figure as bench.json holds it; `ratios` as bench/run.ts writes them (our value over each peer's). */
export function figure(name: string, unit: string, value: number, peers: Record<string, number> = {}): BenchFigure & { ratios: Record<string, number> } {
  const ratios: Record<string, number> = {};
  for (const [peer, peerValue] of Object.entries(peers)) ratios[peer] = value / peerValue;
  return { name, unit, value, peers, ratios, description: `${name}, for a test` };
}

export function sampleBaseline(): Baseline {
  return {
    tolerance: { ratio: 0.4, absolute: 0.5 },
    floors: { 'codec.encode': { fastlib: 2 }, 'queue.step': { value: 100 } },
    compareByValue: {},
    results: [figure('codec.encode', 'records/s', 1000, { fastlib: 250, slowlib: 100 }), figure('queue.step', 'events/s', 1000)],
  };
}

/** The run that matches the sample baseline exactly. */
export function sampleRun(): BenchFigure[] {
  return sampleBaseline().results.map((r) => figure(r.name, r.unit, r.value, { ...r.peers }));
}

/** Writes JSON files into a fresh temporary directory; returns their paths. */
export function writeJsonFiles(files: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { ...paths, dir };
}

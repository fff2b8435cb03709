// `--update-baseline`: the next baseline from a run, a pure function. The tolerance, the floors and the
// compareByValue list are the file's own and are kept; the figures are the run's. With --only, only the
// selected benchmarks are replaced. A run below a floor (or a floor that names nothing in it) is refused:
// a committed baseline that fails its own floors would make every later check fail, or tempt someone to
// delete the floor to get past it.

import type { Baseline, BenchFigure } from './baseline.ts';
import { checkFloors, type CompareOptions, type Problem } from './compare.ts';
import { selectedBy } from './options.ts';

export type BaselineUpdate =
  | { readonly written: true; readonly baseline: Baseline; readonly changes: readonly string[] }
  | { readonly written: false; readonly problems: readonly Problem[] };

export function updateBaseline(baseline: Baseline, run: readonly BenchFigure[], options: CompareOptions = {}): BaselineUpdate {
  const selected = (name: string): boolean => selectedBy(options.only, name);
  const problems: Problem[] = [];
  for (const r of run) {
    const bad = [r.value, ...Object.values(r.peers)].some((v) => !(v > 0 && Number.isFinite(v)));
    if (bad) problems.push({ kind: 'bad-figure', benchmark: r.name, line: `BAD FIGURE ${r.name}: a value or a peer is not a throughput (${r.value}); the measurement failed` });
  }
  const old = new Map(baseline.results.map((r) => [r.name, r]));
  const taken = run.filter((r) => selected(r.name)).map((r) => stored(r, old.get(r.name)));
  const kept = baseline.results.filter((r) => !selected(r.name));
  const results = [...kept, ...taken].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const next: Baseline = { tolerance: baseline.tolerance, floors: baseline.floors, compareByValue: baseline.compareByValue, results };
  problems.push(...checkFloors(next, results, { baselineFile: options.baselineFile }).problems);
  if (problems.length > 0) return { written: false, problems };

  const changes: string[] = [];
  for (const r of taken) {
    const was = old.get(r.name);
    changes.push(was === undefined ? `+ ${r.name}: ${r.value.toPrecision(4)} ${r.unit} (new)` : `  ${r.name}: ${was.value.toPrecision(4)} -> ${r.value.toPrecision(4)} ${r.unit}`);
  }
  for (const r of baseline.results) {
    if (selected(r.name) && !taken.some((t) => t.name === r.name)) changes.push(`- ${r.name}: removed (this run did not measure it)`);
  }
  return { written: true, baseline: next, changes };
}

/** A figure as the baseline holds it: ratios derived, so that whoever reads the file sees them. */
function stored(r: BenchFigure, was: BenchFigure | undefined): BenchFigure {
  const ratios: Record<string, number> = {};
  for (const [peer, value] of Object.entries(r.peers)) ratios[peer] = r.value / value;
  const description = r.description ?? was?.description;
  return { name: r.name, unit: r.unit, value: r.value, peers: { ...r.peers }, ratios, ...(description === undefined ? {} : { description }) };
}

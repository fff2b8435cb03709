// Compares a run's figures with the baseline: a pure function, one line per problem saying what to do.
//
// Absolute figures swing with the machine, so where a benchmark has peers measured in the same run, the check
// compares our ratio to each peer with the baseline's ratio; a benchmark without peers (or listed in
// compareByValue) is compared by its own figure, with a wider tolerance. Floors (targets such as encode >= 5x
// kafkajs) must hold in any case. Anything the comparison cannot pair up (a benchmark or a peer on one side
// only, a floor or a compareByValue entry naming nothing, a changed unit) is a problem, never a skip: a gate
// that quietly checks less is one that cannot fail.

import { nearest } from '../engine/config/suggest.ts';
import type { Baseline, BenchFigure } from './baseline.ts';
import { selectedBy } from './options.ts';

export type ProblemKind =
  | 'regression'
  | 'below-floor'
  | 'not-measured'
  | 'not-in-baseline'
  | 'peer-not-measured'
  | 'peer-not-in-baseline'
  | 'unit-changed'
  | 'unknown-name'
  | 'bad-figure';

export interface Problem {
  readonly kind: ProblemKind;
  readonly benchmark: string;
  /** What is wrong and what to do, for the console. */
  readonly line: string;
}

export interface Comparison {
  /** One line per check that held. */
  readonly passed: readonly string[];
  readonly problems: readonly Problem[];
  /** Baseline benchmarks left out by `only`. */
  readonly skipped: readonly string[];
}

export interface CompareOptions {
  /** Name prefixes, as `--only`: other benchmarks are skipped, and said to be. */
  readonly only?: readonly string[];
  /** The baseline's path as the user knows it, for the lines that say what to fix. */
  readonly baselineFile?: string;
}

export const UPDATE_COMMAND = '`npm run bench:check -- --update-baseline`';

export function compare(baseline: Baseline, run: readonly BenchFigure[], options: CompareOptions = {}): Comparison {
  const file = options.baselineFile ?? 'bench/baseline.json';
  const passed: string[] = [];
  const problems: Problem[] = [];
  const skipped: string[] = [];
  const selected = (name: string): boolean => selectedBy(options.only, name);
  const measured = new Map(run.map((r) => [r.name, r]));
  const inBaseline = new Set(baseline.results.map((r) => r.name));

  for (const base of baseline.results) {
    if (!selected(base.name)) {
      skipped.push(base.name);
      continue;
    }
    const now = measured.get(base.name);
    if (now === undefined) {
      problems.push({ kind: 'not-measured', benchmark: base.name, line: `NOT MEASURED ${base.name}: in the baseline but this run did not measure it; if it was renamed or removed, record that with ${UPDATE_COMMAND} and commit ${file}` });
      continue;
    }
    compareOne(baseline, base, now, file, passed, problems);
  }
  for (const now of run) {
    if (selected(now.name) && !inBaseline.has(now.name)) {
      problems.push({ kind: 'not-in-baseline', benchmark: now.name, line: `NOT IN BASELINE ${now.name}: measured but not in the baseline, so nothing checks it; add it with ${UPDATE_COMMAND} and commit ${file}` });
    }
  }
  const floors = checkFloors(baseline, run, { ...options, baselineFile: file });
  return { passed: [...passed, ...floors.passed], problems: [...problems, ...floors.problems], skipped };
}

/**
 * Floors and compareByValue against `run`: every name must be a benchmark of the run or the baseline, every
 * floor key `value` or a peer, and every floor must hold. --update-baseline runs this on the figures it would
 * write, so that no baseline is committed below its own floors.
 */
export function checkFloors(baseline: Baseline, run: readonly BenchFigure[], options: CompareOptions = {}): { passed: string[]; problems: Problem[] } {
  const file = options.baselineFile ?? 'bench/baseline.json';
  const passed: string[] = [];
  const problems: Problem[] = [];
  const measured = new Map(run.map((r) => [r.name, r]));
  const base = new Map(baseline.results.map((r) => [r.name, r]));
  const names = [...new Set([...base.keys(), ...measured.keys()])].sort();
  const unknown = (what: string, name: string, fix: string): void => {
    problems.push({ kind: 'unknown-name', benchmark: name, line: `UNKNOWN ${what} "${name}" names no benchmark${meant(name, names)}: ${fix} in ${file} (the benchmarks are ${names.join(', ')})` });
  };

  for (const name of Object.keys(baseline.compareByValue)) {
    if (!measured.has(name) && !base.has(name)) unknown('compareByValue', name, 'fix the name (or remove the entry, if its benchmark is gone)');
  }
  for (const [name, floors] of Object.entries(baseline.floors)) {
    const now = measured.get(name);
    if (now === undefined && !base.has(name)) {
      unknown('floor', name, "fix the floor's name (or remove the floor, if its benchmark is gone)");
      continue;
    }
    // Not measured: skipped by --only, or already a problem of its own.
    if (now === undefined || !selectedBy(options.only, name)) continue;
    for (const [key, floor] of Object.entries(floors)) {
      if (key === 'value') {
        const line = `${name}: ${figure(now.value)} ${now.unit}, floor ${floor}`;
        if (now.value >= floor) passed.push(`ok   ${line}`);
        else problems.push({ kind: 'below-floor', benchmark: name, line: `BELOW FLOOR ${line}` });
        continue;
      }
      if (!(key in now.peers)) {
        // A peer the baseline has and the run lacks is a problem of its own (peer-not-measured).
        if (base.get(name)?.peers[key] !== undefined) continue;
        const peers = Object.keys(now.peers);
        problems.push({
          kind: 'unknown-name',
          benchmark: name,
          line: `UNKNOWN floor ${name} "${key}": ${name} has no peer ${key}${meant(key, ['value', ...peers])}: fix the floor's key in ${file}; a floor's key is "value" or one of its peers${peers.length > 0 ? ` (${peers.join(', ')})` : ' (it has none)'}`,
        });
        continue;
      }
      const ratio = now.value / now.peers[key];
      const line = `${name} vs ${key}: ${ratio.toFixed(2)}x, floor ${floor}x`;
      if (ratio >= floor) passed.push(`ok   ${line}`);
      else problems.push({ kind: 'below-floor', benchmark: name, line: `BELOW FLOOR ${line}` });
    }
  }
  return { passed, problems };
}

function compareOne(baseline: Baseline, base: BenchFigure, now: BenchFigure, file: string, passed: string[], problems: Problem[]): void {
  const name = base.name;
  if (base.unit !== now.unit) {
    problems.push({ kind: 'unit-changed', benchmark: name, line: `UNIT CHANGED ${name}: ${base.unit} in the baseline, ${now.unit} in this run, so the figures cannot be compared; record the new unit with ${UPDATE_COMMAND} and commit ${file}` });
    return;
  }
  const bad = [['value', now.value], ...Object.entries(now.peers)].filter(([, v]) => !(typeof v === 'number' && v > 0 && Number.isFinite(v)));
  if (bad.length > 0) {
    problems.push({ kind: 'bad-figure', benchmark: name, line: `BAD FIGURE ${name}: ${bad.map(([k, v]) => `${k} ${String(v)}`).join(', ')} is not a throughput; the measurement failed (too short a --time for the timer?)` });
    return;
  }
  const basePeers = Object.keys(base.peers);
  for (const peer of basePeers) {
    if (!(peer in now.peers)) {
      problems.push({ kind: 'peer-not-measured', benchmark: name, line: `PEER NOT MEASURED ${name} vs ${peer}: in the baseline but this run did not measure ${peer}; if the peer was renamed or removed, record that with ${UPDATE_COMMAND} and commit ${file}` });
    }
  }
  for (const peer of Object.keys(now.peers)) {
    if (!(peer in base.peers)) {
      problems.push({ kind: 'peer-not-in-baseline', benchmark: name, line: `NEW PEER ${name} vs ${peer}: measured but not in the baseline, so nothing checks it; add it with ${UPDATE_COMMAND} and commit ${file}` });
    }
  }
  if (basePeers.length === 0 || name in baseline.compareByValue) {
    const limit = base.value * (1 - baseline.tolerance.absolute);
    const line = `${name}: ${figure(now.value)} ${now.unit} (baseline ${figure(base.value)}, limit ${figure(limit)})`;
    if (now.value >= limit) passed.push(`ok   ${line}`);
    else problems.push({ kind: 'regression', benchmark: name, line: `REGRESSION ${line}` });
    return;
  }
  for (const peer of basePeers) {
    if (!(peer in now.peers)) continue;
    const was = base.value / base.peers[peer];
    const ratio = now.value / now.peers[peer];
    const limit = was * (1 - baseline.tolerance.ratio);
    const line = `${name} vs ${peer}: ${ratio.toFixed(2)}x (baseline ${was.toFixed(2)}x, limit ${limit.toFixed(2)}x)`;
    if (ratio >= limit) passed.push(`ok   ${line}`);
    else problems.push({ kind: 'regression', benchmark: name, line: `REGRESSION ${line}` });
  }
}

function meant(name: string, candidates: readonly string[]): string {
  const near = nearest(name, candidates, 1);
  return near.length > 0 ? ` (did you mean ${near[0]}?)` : '';
}

function figure(value: number): string {
  return value.toPrecision(4);
}

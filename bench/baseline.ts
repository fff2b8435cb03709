// The files bench:check reads: the committed baseline (bench/baseline.json) and a run's bench.json. Both are
// checked in full before anything is compared, so that a misspelt key or a figure that is not a number is an
// error naming the place to fix, never a check that quietly skips what it could not read.

import { nearest } from '../engine/config/suggest.ts';
import { UsageError } from './options.ts';

/** One benchmark's figures: bench.json's `{ name, unit, value, peers }` (DESIGN.md); ratios are derived. */
export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** The same figure for another implementation measured in the same run, keyed by peer name. */
  readonly peers: Readonly<Record<string, number>>;
  readonly description?: string;
  /** Our value over each peer's, as bench/run.ts writes them; when present they must agree with value/peers. */
  readonly ratios?: Readonly<Record<string, number>>;
}

export interface Baseline {
  /** Allowed fall below the baseline, as a fraction: of a ratio to a peer, and of an absolute figure. */
  readonly tolerance: { readonly ratio: number; readonly absolute: number };
  /** Minimums whatever the baseline, per benchmark: a peer's name bounds our ratio to it, `value` our figure. */
  readonly floors: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Benchmarks with peers that are still checked by their own figure, each with the reason. */
  readonly compareByValue: Readonly<Record<string, string>>;
  readonly results: readonly BenchFigure[];
}

/** A file bench:check cannot use, with every problem found in it. */
export class BenchFileError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const BASELINE_KEYS = ['tolerance', 'floors', 'compareByValue', 'results'] as const;
const FIGURE_KEYS = ['name', 'unit', 'value', 'peers', 'description', 'ratios'] as const;

/** Reads a parsed bench/baseline.json; throws BenchFileError naming every problem. */
export function parseBaseline(json: unknown, file: string): Baseline {
  const problems: string[] = [];
  if (!isRecord(json)) throw new BenchFileError(file, ['must be a JSON object with keys tolerance, floors, compareByValue, results']);
  unknownKeys(json, BASELINE_KEYS, '', problems);

  const tolerance = { ratio: 0, absolute: 0 };
  if (!isRecord(json.tolerance)) problems.push('tolerance: must be an object { "ratio": R, "absolute": A }');
  else {
    unknownKeys(json.tolerance, ['ratio', 'absolute'], 'tolerance.', problems);
    for (const key of ['ratio', 'absolute'] as const) {
      const value = json.tolerance[key];
      // A tolerance of 1 or more puts the limit at or below zero: a check that cannot fail.
      if (typeof value !== 'number' || !(value >= 0 && value < 1)) problems.push(`tolerance.${key}: must be a fraction from 0 to below 1 (0.4 allows a 40% fall), got ${show(value)}`);
      else tolerance[key] = value;
    }
  }

  const floors: Record<string, Record<string, number>> = {};
  if (json.floors !== undefined && !isRecord(json.floors)) problems.push('floors: must be an object { BENCHMARK: { PEER or "value": minimum } }');
  for (const [name, entry] of Object.entries(isRecord(json.floors) ? json.floors : {})) {
    if (!isRecord(entry)) {
      problems.push(`floors["${name}"]: must be an object { PEER or "value": minimum }, got ${show(entry)}`);
      continue;
    }
    floors[name] = {};
    for (const [key, floor] of Object.entries(entry)) {
      if (typeof floor !== 'number' || !(floor > 0 && Number.isFinite(floor))) problems.push(`floors["${name}"].${key}: must be a number above 0, got ${show(floor)}`);
      else floors[name][key] = floor;
    }
  }

  const compareByValue: Record<string, string> = {};
  if (json.compareByValue !== undefined && !isRecord(json.compareByValue)) problems.push('compareByValue: must be an object { BENCHMARK: "why its peers are not compared" }');
  for (const [name, reason] of Object.entries(isRecord(json.compareByValue) ? json.compareByValue : {})) {
    if (typeof reason !== 'string' || reason.trim() === '') problems.push(`compareByValue["${name}"]: must be the reason its ratios to peers are not checked, got ${show(reason)}`);
    else compareByValue[name] = reason;
  }

  const results = figures(json.results, 'results', true, problems);
  if (problems.length > 0) throw new BenchFileError(file, problems);
  return { tolerance, floors, compareByValue, results };
}

/** Reads a parsed bench.json (`{ "results": [...] }`); throws BenchFileError naming every problem. */
export function parseBenchJson(json: unknown, file: string): BenchFigure[] {
  const problems: string[] = [];
  if (!isRecord(json)) throw new BenchFileError(file, ['must be a JSON object { "results": [ { "name", "unit", "value", "peers" } ] }, as npm run bench writes']);
  const results = figures(json.results, 'results', false, problems);
  if (problems.length > 0) throw new BenchFileError(file, problems);
  return results;
}

/** The baseline as it is committed: one figure a line would be unreadable, so two-space JSON. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** `strict` (the hand-edited baseline) refuses keys a figure does not have; bench.json may carry more. */
function figures(json: unknown, path: string, strict: boolean, problems: string[]): BenchFigure[] {
  if (!Array.isArray(json)) {
    problems.push(`${path}: must be an array of { "name", "unit", "value", "peers" }, got ${show(json)}`);
    return [];
  }
  const out: BenchFigure[] = [];
  const seen = new Set<string>();
  json.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(entry)) {
      problems.push(`${at}: must be an object { "name", "unit", "value", "peers" }, got ${show(entry)}`);
      return;
    }
    const before = problems.length;
    if (strict) unknownKeys(entry, FIGURE_KEYS, `${at}.`, problems);
    const { name, unit, value, peers, description, ratios } = entry;
    if (typeof name !== 'string' || name === '') problems.push(`${at}.name: must be the benchmark's name, got ${show(name)}`);
    else if (seen.has(name)) problems.push(`${at}.name: ${name} appears twice`);
    else seen.add(name);
    const label = typeof name === 'string' ? `${at} (${name})` : at;
    if (typeof unit !== 'string' || unit === '') problems.push(`${label}.unit: must be a unit such as "records/s", got ${show(unit)}`);
    if (!isFigure(value)) problems.push(`${label}.value: must be a number above 0, got ${show(value)}`);
    if (description !== undefined && typeof description !== 'string') problems.push(`${label}.description: must be text, got ${show(description)}`);
    if (!isRecord(peers)) problems.push(`${label}.peers: must be an object { PEER: value } ({} when there are none), got ${show(peers)}`);
    else for (const [peer, peerValue] of Object.entries(peers)) if (!isFigure(peerValue)) problems.push(`${label}.peers.${peer}: must be a number above 0, got ${show(peerValue)}`);
    if (ratios !== undefined && !isRecord(ratios)) problems.push(`${label}.ratios: must be an object { PEER: ratio }, got ${show(ratios)}`);
    if (problems.length > before) return;
    const figure = entry as unknown as BenchFigure;
    // Ratios are derived; a hand-edited one that disagrees would mislead whoever reads the file.
    for (const [peer, ratio] of Object.entries(figure.ratios ?? {})) {
      const derived = figure.value / figure.peers[peer];
      if (!(peer in figure.peers)) problems.push(`${label}.ratios.${peer}: there is no peer ${peer}; remove it`);
      else if (!(Math.abs(ratio - derived) <= 1e-9 * derived)) problems.push(`${label}.ratios.${peer}: ${show(ratio)} disagrees with value / peers.${peer} = ${derived}; ratios are derived from value and peers: edit those, or remove the ratio`);
    }
    out.push(figure);
  });
  return out;
}

function unknownKeys(json: Record<string, unknown>, known: readonly string[], prefix: string, problems: string[]): void {
  for (const key of Object.keys(json)) {
    if (known.includes(key)) continue;
    const near = nearest(key, known, 1);
    problems.push(`unknown key "${prefix}${key}"${near.length > 0 ? ` (did you mean ${near[0]}?)` : ''}; the keys are ${known.join(', ')}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFigure(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

// Reads back the files the CLI wrote, result.json (replay, shrink) and swarm.json (merge), and checks every
// field those commands use, with its type: a file from another tool, an older format or a hand edit is a
// usage error that names the field, never a crash deep inside a run.

import { existsSync, readFileSync } from 'node:fs';
import { validateFault } from '../sim/nemesis.ts';
import type { RunResult, SwarmResult } from '../sim/result.ts';
import { UsageError } from './command.ts';

/** What is wrong with a value: where in it (`.seed`, `[3]`, empty for the value itself), what it must be, what it is. */
interface Problem {
  readonly at: string;
  readonly must: string;
  readonly value: unknown;
}

/** A check of one value: what is wrong with it, or undefined. */
type Check = (value: unknown) => Problem | undefined;

const is = (ok: (v: unknown) => boolean, must: string): Check => (v) => (ok(v) ? undefined : { at: '', must, value: v });
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

const text = is((v) => typeof v === 'string', 'a string');
const name = is((v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string');
const whole = is((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, 'a whole number >= 0');
const figure = is((v) => typeof v === 'number' && Number.isFinite(v), 'a number');
const flag = is((v) => typeof v === 'boolean', 'true or false');
const mode = is((v) => v === 'scenario' || v === 'swarm', "'scenario' or 'swarm'");
const list = is(Array.isArray, 'a list');
const expectation = is((v) => v === 'no-anomalies' || isObject(v), "'no-anomalies' or an object");

/** Nested values: the first problem inside, with where it is. */
const within = (at: string, problem: Problem | undefined): Problem | undefined => (problem === undefined ? undefined : { ...problem, at: `${at}${problem.at}` });

const recordOf = (each: Check): Check => (v) => {
  if (!isObject(v)) return { at: '', must: 'an object', value: v };
  for (const [key, x] of Object.entries(v as object)) {
    const problem = within(`.${key}`, each(x));
    if (problem !== undefined) return problem;
  }
  return undefined;
};
const shape = (fields: Readonly<Record<string, Check>>): Check => (v) => {
  if (!isObject(v)) return { at: '', must: 'an object', value: v };
  for (const [field, check] of Object.entries(fields)) {
    const problem = within(`.${field}`, check((v as Record<string, unknown>)[field]));
    if (problem !== undefined) return problem;
  }
  return undefined;
};
const listOf = (each: Check): Check => (v) => {
  if (!Array.isArray(v)) return { at: '', must: 'a list', value: v };
  for (let i = 0; i < v.length; i++) {
    const problem = within(`[${i}]`, each(v[i]));
    if (problem !== undefined) return problem;
  }
  return undefined;
};

const counts = recordOf(whole);

/** What replay and shrink read from a result.json. */
const RESULT_FIELDS: Readonly<Record<string, Check>> = {
  scenario: name, source: name, seed: whole, mode, traceHash: text, set: recordOf(text),
  why: text, expected: expectation, anomalyCounts: counts, schedule: list,
};

const FINDING = shape({ seed: whole, why: text, anomalies: counts, messages: listOf(text), reproduce: text });

/** What merge reads from a swarm.json. */
const SWARM_FIELDS: Readonly<Record<string, Check>> = {
  scenario: name, summary: text, source: name, mode, set: recordOf(text),
  range: shape({ from: whole, count: whole }), shards: listOf(shape({ k: whole, n: whole })), workers: whole, wallSeconds: figure,
  expected: expectation, failing: listOf(FINDING), firstByKind: recordOf(FINDING),
  seeds: listOf(shape({ seed: whole, ok: flag, traceHash: text, anomalies: counts, why: text, faults: whole, acked: whole, events: whole, simulatedMs: figure, wallMs: figure })),
};

export function readResult(path: string | undefined): RunResult {
  if (path === undefined) throw new UsageError('give the result.json of a run: npm run replay -- out/NAME/seed-N/result.json');
  const result = readChecked(path, 'result.json', 'npm run scenario', RESULT_FIELDS);
  // Shrink replays the schedule: each fault is checked as a scenario's timeline is (a NemesisError names it).
  (result.schedule as readonly unknown[]).forEach((fault, i) => validateFault(fault, `${path}: schedule[${i}]`));
  return result as unknown as RunResult;
}

export function readSwarm(path: string): SwarmResult {
  return readChecked(path, 'swarm.json', 'npm run swarm', SWARM_FIELDS) as unknown as SwarmResult;
}

function readChecked(path: string, file: string, writer: string, fields: Readonly<Record<string, Check>>): Record<string, unknown> {
  if (!existsSync(path)) throw new UsageError(`no file at ${path}`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new UsageError(`${path} is not a Tributary ${file}: it holds ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}, not an object`);
  const data = value as Record<string, unknown>;
  const absent = Object.keys(fields).filter((field) => data[field] === undefined);
  if (absent.length > 0) throw new UsageError(`${path} is not a Tributary ${file}: it has no ${absent.join(', ')}`);
  const problems = Object.entries(fields).flatMap(([field, check]) => {
    const problem = within(field, check(data[field]));
    return problem === undefined ? [] : [`${problem.at} must be ${problem.must}, not ${shown(problem.value)}`];
  });
  if (problems.length > 0) {
    throw new UsageError(`${path} is not a ${file} as ${writer} writes it: ${problems.join('; ')}. Was it edited by hand, or written by another version? Run the command again to write a fresh one.`);
  }
  return data;
}

/** A value as a person reads it in a message: short, with its type. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  const short = json.length > 40 ? `${json.slice(0, 37)}...` : json;
  const type = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  return `${short} (${type})`;
}

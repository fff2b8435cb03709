// Writes one run's result.json and report.html under DIR/NAME/seed-N/ (a plain run, DESIGN.md's contract) or
// a folder named for what makes the run different: seed-N-swarm/ for a seed run as a swarm runs it,
// seed-N-set-acks=1/ for a run with --set, so that neither overwrites the plain run's report, the one
// out/index.html links to.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../sim/result.ts';
import type { Setting } from '../sim/settings.ts';
import { renderRunReport } from '../reports/index.ts';

export type RunIdentity = Pick<RunResult, 'scenario' | 'seed' | 'mode' | 'set'>;

export const RUN_FILES = ['result.json', 'report.html'] as const;

/** Past this, a folder's --set part is cut and ends with a hash of all of it: still unique, still readable. */
const MAX_SET_PART = 64;

export function runDir(outDir: string, run: RunIdentity): string {
  return join(outDir, run.scenario, runFolderName(run));
}

/** `seed-7`, `seed-7-swarm`, `seed-7-set-acks=1`, `seed-7-swarm-set-acks=1,linger.ms=5`. */
export function runFolderName(run: Omit<RunIdentity, 'scenario'>): string {
  const parts = [`seed-${run.seed}`];
  if (run.mode === 'swarm') parts.push('swarm');
  const set = Object.entries(run.set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => `${key}=${value}`).join(',');
  if (set !== '') parts.push(`set-${slug(set)}`);
  return parts.join('-');
}

/** `--set` overrides as result.json and swarm.json record them: the key as written, the value as parsed. */
export function setRecord(settings: readonly Setting[]): Record<string, string> {
  return Object.fromEntries(settings.map((s) => [s.text.slice(0, s.text.indexOf('=')).trim(), s.value]));
}

/** Safe in a path and a URL on every system; long ones cut, with a hash of the whole so that two never meet. */
function slug(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._=,+-]+/g, '_');
  if (safe.length <= MAX_SET_PART) return safe;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${safe.slice(0, MAX_SET_PART - hash.length - 1)}-${hash}`;
}

/** Writes the result and its report; returns the directory. */
export function writeRun(outDir: string, result: RunResult): string {
  const dir = runDir(outDir, result);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), `${resultJson(result)}\n`);
  writeFileSync(join(dir, 'report.html'), renderRunReport(result));
  return dir;
}

/** Indented JSON whose innermost arrays of numbers ([time, value] points) stay on one line: 5x smaller. */
export function resultJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, inner: string) => `[${inner.replace(/,\s+/g, ', ')}]`);
}

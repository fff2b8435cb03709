// Writes one run's result.json and report.html under DIR/NAME/seed-N/.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../sim/result.ts';
import { renderRunReport } from '../reports/index.ts';

export function runDir(outDir: string, result: Pick<RunResult, 'scenario' | 'seed'>): string {
  return join(outDir, result.scenario, `seed-${result.seed}`);
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

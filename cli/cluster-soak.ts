// `npm run soak -- NAME --seeds N [--from S] [--workers W]`: one cluster spec from scenarios/ over many seeds,
// on a piscina pool of worker threads, with a progress line. Exits 1 naming every seed whose verdict has
// anomalies (with the command that replays it alone), 2 on a usage error.
//
// This is the long form of the safety claims of the broker engine (issue 3); the scenarios issue grows it
// into `npm run swarm` with results and reports.

import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { SoakSeedResult } from './cluster-soak-task.ts';
import { SPECS } from '../scenarios/index.ts';

class UsageError extends Error {}

function specNames(): string[] {
  return Object.keys(SPECS).sort();
}

function wholeNumber(name: string, text: string | undefined, min: number, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got ${text}`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { seeds: { type: 'string' }, from: { type: 'string' }, workers: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const name = parsed.positionals[0];
  const names = specNames();
  if (name === undefined || !names.includes(name)) {
    throw new UsageError(`${name === undefined ? 'name a spec' : `unknown spec ${name}`}; one of: ${names.join(', ')}`);
  }
  const seeds = wholeNumber('seeds', parsed.values.seeds, 1, 100);
  const from = wholeNumber('from', parsed.values.from, 0, 1);
  const workers = wholeNumber('workers', parsed.values.workers, 1, availableParallelism());
  const pool = new Piscina({ filename: new URL('./cluster-soak-task.ts', import.meta.url).href, execArgv: ['--import', 'tsx'], maxThreads: workers, minThreads: workers });
  const interactive = process.stderr.isTTY === true && process.env.CI === undefined;
  const started = process.hrtime.bigint();
  const elapsedS = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  let done = 0;
  let lastPrint = 0;
  const failures: SoakSeedResult[] = [];
  const totals = { acked: 0, indeterminate: 0, failed: 0, faults: 0, events: 0, simulatedMs: 0, loadMs: 0 };
  const progress = (): void => {
    const rate = done / elapsedS();
    const line = `${name}: ${done}/${seeds} seeds, ${rate.toFixed(2)} seeds/s, ${failures.length} failing, ~${Math.ceil((seeds - done) / Math.max(rate, 1e-9))} s left`;
    if (interactive) process.stderr.write(`\r${line}   `);
    else if (elapsedS() - lastPrint >= 10 || done === seeds) { lastPrint = elapsedS(); process.stderr.write(`${line}\n`); }
  };
  await Promise.all(Array.from({ length: seeds }, (_, i) => from + i).map(async (seed) => {
    const result = (await pool.run({ name, seed })) as SoakSeedResult;
    done++;
    totals.acked += result.acked;
    totals.indeterminate += result.indeterminate;
    totals.failed += result.failed;
    totals.faults += result.faults;
    totals.events += result.events;
    totals.simulatedMs += result.simulatedMs;
    totals.loadMs += result.loadMs;
    if (!result.ok) {
      failures.push(result);
      process.stderr.write(`${interactive ? '\n' : ''}FAIL seed ${seed}: ${result.summary}\n  replay: npm run soak -- ${name} --from ${seed} --seeds 1\n`);
    }
    progress();
  }));
  await pool.destroy();
  if (interactive) process.stderr.write('\n');
  const wallS = elapsedS();
  console.log(`${name}: ${seeds} seeds (${from}..${from + seeds - 1}) in ${wallS.toFixed(1)} s on ${workers} workers, ${(seeds / wallS).toFixed(2)} seeds/s`);
  console.log(`  ${totals.faults} faults, ${totals.acked} acked, ${totals.indeterminate} indeterminate, ${totals.failed} failed sends; ` +
    `${(totals.simulatedMs / 1000).toFixed(0)} simulated s (${(totals.simulatedMs / 1000 / wallS).toFixed(1)}x real time), ${(totals.events / wallS / 1e3).toFixed(0)}k events/s`);
  console.log(`  ${(totals.acked / (totals.loadMs / 1000)).toFixed(0)} acked records per simulated second of load`);
  if (failures.length === 0) {
    console.log('  no anomaly in any seed');
    return 0;
  }
  console.log(`  ${failures.length} failing seeds: ${failures.map((f) => f.seed).sort((a, b) => a - b).join(', ')}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `soak: ${error.message}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

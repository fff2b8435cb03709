// `npm run test:recovery-long`: the log's crash-recovery property (test/log/recovery-property.ts) over many
// seeds, the long form of test/log/recovery.property.test.ts.
//
//   tsx cli/recovery-soak.ts --seeds N [--from S] [--cycles C] [--operations K] [--fail-fast]
//
// Prints a progress line about once a second and a summary with seeds per second. Exits 1 naming every
// failing seed, with the first failure in full and the command that replays it; 2 on a usage error.

import { parseArgs } from 'node:util';
import { counted } from '../sim/counted.ts';
import { runRecoverySeed } from '../test/log/recovery-property.ts';
import type { RecoverySeedResult } from '../test/log/recovery-property.ts';

class UsageError extends Error {}

interface SoakOptions {
  readonly seeds: number;
  readonly from: number;
  readonly cycles: number | undefined;
  readonly operations: number | undefined;
  readonly failFast: boolean;
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got ${text}`);
  return value;
}

function parseOptions(argv: string[]): SoakOptions {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        seeds: { type: 'string' },
        from: { type: 'string' },
        cycles: { type: 'string' },
        operations: { type: 'string' },
        'fail-fast': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    seeds: wholeNumber('seeds', values.seeds, 1) ?? 1000,
    from: wholeNumber('from', values.from, 0) ?? 1,
    cycles: wholeNumber('cycles', values.cycles, 1),
    operations: wholeNumber('operations', values.operations, 1),
    failFast: values['fail-fast'] ?? false,
  };
}

function replayCommand(seed: number, options: SoakOptions): string {
  const extra = `${options.cycles !== undefined ? ` --cycles ${options.cycles}` : ''}${options.operations !== undefined ? ` --operations ${options.operations}` : ''}`;
  return `npx tsx cli/recovery-soak.ts --from ${seed} --seeds 1${extra}`;
}

function main(argv: string[]): number {
  const options = parseOptions(argv);
  const startedMs = performance.now();
  let lastProgressMs = startedMs;
  const failures: RecoverySeedResult[] = [];
  const totals = { operations: 0, powerLosses: 0, processCrashes: 0, cleanRestarts: 0, durableBatchesChecked: 0, tailsCut: 0 };
  let done = 0;
  for (let seed = options.from; seed < options.from + options.seeds; seed++) {
    const result = runRecoverySeed(seed, { cycles: options.cycles, operationsPerCycle: options.operations });
    done++;
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result[key];
    if (!result.ok) {
      failures.push(result);
      process.stderr.write(`FAIL seed ${seed}: ${result.failure?.split('\n')[0]}\n`);
      if (options.failFast) break;
    }
    const nowMs = performance.now();
    if (nowMs - lastProgressMs >= 1000) {
      lastProgressMs = nowMs;
      const rate = done / ((nowMs - startedMs) / 1000);
      process.stderr.write(`recovery-soak: ${done}/${options.seeds} seeds, ${failures.length} failed, ${rate.toFixed(0)} seeds/s\n`);
    }
  }
  const elapsedS = (performance.now() - startedMs) / 1000;
  console.log(`recovery-soak: ${counted(done, 'seed')} (${options.from}..${options.from + done - 1}) in ${elapsedS.toFixed(1)} s, ${(done / elapsedS).toFixed(0)} seeds/s; `
    + `${counted(totals.operations, 'operation')}, ${counted(totals.powerLosses, 'power loss', 'power losses')}, ${counted(totals.processCrashes, 'process crash', 'process crashes')}, ${counted(totals.cleanRestarts, 'clean restart')}, `
    + `${counted(totals.tailsCut, 'invalid tail')} cut, ${counted(totals.durableBatchesChecked, 'flushed batch', 'flushed batches')} checked`);
  if (failures.length === 0) {
    console.log('recovery-soak: every seed held the property');
    return 0;
  }
  console.log(`recovery-soak: ${counted(failures.length, 'failing seed')}: ${failures.map((f) => f.seed).join(', ')}`);
  console.log(`first failure:\n${failures[0].failure}`);
  console.log(`replay: ${replayCommand(failures[0].seed, options)}`);
  return 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`recovery-soak: ${error.message}\nusage: tsx cli/recovery-soak.ts --seeds N [--from S] [--cycles C] [--operations K] [--fail-fast]`);
  process.exitCode = 2;
}

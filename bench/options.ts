// Command-line options shared by `npm run bench` and `npm run bench:check`.

import { parseArgs } from 'node:util';

export interface BenchCliOptions {
  readonly rounds: number;
  readonly timePerRoundMs: number;
  readonly only: string[] | undefined;
  readonly out: string;
  readonly rest: Record<string, string | boolean | undefined>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = '--rounds N --time MS --only NAME-PREFIX --out DIR';

/** `extraUsage` names the `extra` options for the usage line, as `--results FILE`. */
export function parseBenchArgs(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}, extraUsage = ''): BenchCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string', default: '3' },
        time: { type: 'string', default: '400' },
        only: { type: 'string', multiple: true },
        out: { type: 'string', default: 'out/bench' },
        ...extra,
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${USAGE}${extraUsage ? ` ${extraUsage}` : ''}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const rounds = Number(values.rounds);
  const timePerRoundMs = Number(values.time);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds must be a whole number >= 1, got ${values.rounds}`);
  if (!(timePerRoundMs >= 10)) throw new UsageError(`--time must be milliseconds >= 10, got ${values.time}`);
  const rest: Record<string, string | boolean | undefined> = {};
  for (const key of Object.keys(extra)) rest[key] = values[key] as string | boolean | undefined;
  return { rounds, timePerRoundMs, only: values.only as string[] | undefined, out: values.out as string, rest };
}

/** Whether `--only` prefixes (none: every benchmark) select the benchmark `name`. */
export function selectedBy(only: readonly string[] | undefined, name: string): boolean {
  return only === undefined || only.some((prefix) => name.startsWith(prefix));
}

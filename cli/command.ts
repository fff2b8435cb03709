// What every npm script's entry point shares: typed usage errors, argument parsing helpers, and a main()
// wrapper that prints a user's mistake as one clear message (exit 2) and a bug with its stack (exit 1).

import { ScenarioError } from '../sim/scenario.ts';
import { SettingError } from '../sim/settings.ts';
import { RunError } from '../sim/run.ts';
import { ConfigError } from '../engine/config/errors.ts';
import { NemesisError } from '../sim/nemesis.ts';

/** The user asked for something that cannot be done as asked: the message says what and how to fix it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USER_ERRORS = [UsageError, ScenarioError, SettingError, RunError, ConfigError, NemesisError];

/** Runs a command's main; its result is the exit code. */
export function runMain(command: string, main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        if (USER_ERRORS.some((type) => error instanceof type)) {
          console.error(`${command}: ${(error as Error).message}`);
          process.exit(2);
        }
        console.error(`${command}: internal error (a bug in Tributary; please report it with the command you ran):`);
        console.error(error);
        process.exit(1);
      },
    );
}

/** A whole number option, or a UsageError naming it. */
export function wholeNumber(name: string, text: string | undefined, min: number, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number >= ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** `k/n` with 1 <= k <= n, or a UsageError. */
export function parseShard(text: string | undefined): { k: number; n: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--shard must be k/n (this machine's part k of n parts, 1 <= k <= n), e.g. --shard 2/4; got ${JSON.stringify(text)}`);
  const k = Number(match[1]);
  const n = Number(match[2]);
  if (n < 1 || k < 1 || k > n) throw new UsageError(`--shard ${text}: k must be between 1 and n (${n >= 1 ? `1..${n}` : 'n >= 1'}); the parts are 1/${Math.max(n, 1)} .. ${Math.max(n, 1)}/${Math.max(n, 1)}`);
  return { k, n };
}

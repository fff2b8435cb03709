// Runs an npm script's entry point as a user would (a child process), for tests of exit codes and messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly timeoutMs?: number;
  /** The checkout to run it in (a copy of this one, say): the command's file, by its full path, and the working directory. */
  readonly root?: string;
  /** The working directory, if not the checkout (where a default `out/` goes). */
  readonly cwd?: string;
  /** Run as this user (a test running as root tries what a user without permissions meets). */
  readonly uid?: number;
  readonly gid?: number;
  /** Called once the child is started (to signal it, say). */
  readonly started?: (child: ChildProcess, output: { stdout: () => string; stderr: () => string }) => void;
}

/** `script` is a file of cli/ (`swarm`) or a path from the checkout's root without `.ts` (`bench/run`). */
export function runCli(script: string, args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const file = join(options.root ?? ROOT, script.includes('/') ? `${script}.ts` : `cli/${script}.ts`);
    // tsx by its full URL: found from any working directory.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), file, ...args], {
      cwd: options.cwd ?? options.root ?? ROOT,
      timeout: options.timeoutMs ?? 180_000,
      env: { ...process.env, CI: '1' },
      uid: options.uid,
      gid: options.gid,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.started?.(child, { stdout: () => stdout, stderr: () => stderr });
  });
}

/** A Node stack frame line: a user mistake must never print one. */
export const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

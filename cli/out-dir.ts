// Checks, before a command does its work, that it can write where it will write: a run of minutes must not end
// in a stack trace because --out names a file or a directory the user may not write to.

import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './command.ts';

/**
 * Creates `dir` (and its parents) and checks it is a directory this process may write in, and that each of
 * `files` in it, if it exists, is a file it may overwrite. `option` names what the user gave (`--out out/x`).
 */
export function prepareOutDir(dir: string, option: string, files: readonly string[] = []): void {
  const blocking = firstNonDirectory(dir);
  if (blocking !== undefined) {
    throw new UsageError(`${option}: ${blocking} is a file, not a directory; give a directory (it is created if missing)`);
  }
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(`${option}: ${cannotWrite(dir, error)}`);
  }
  for (const file of files) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    if (!statSync(path).isFile()) throw new UsageError(`${option}: ${path} is in the way (a directory where ${file} is written); remove it or give another --out`);
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new UsageError(`${option}: ${cannotWrite(path, error)}`);
    }
  }
}

/** Checks that a file can be written at `path` (its directory is created): for an --out that names a file. */
export function prepareOutFile(path: string, option: string): void {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${option}: ${path} is a directory; give a file's path`);
  prepareOutDir(dirname(full), option, [basename(full)]);
}

/** The first part of the path, from the root, that exists and is not a directory. */
function firstNonDirectory(dir: string): string | undefined {
  const parts: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    parts.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of parts) {
    if (!existsSync(path)) return undefined;
    if (!statSync(path).isDirectory()) return path;
  }
  return undefined;
}

function cannotWrite(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${path}; give a directory you may write to`;
  if (code === 'EROFS') return `${path} is on a read-only file system; give a directory you may write to`;
  if (code === 'ENOSPC') return `no space left on the device of ${path}`;
  return `cannot write in ${path}: ${(error as Error).message}`;
}

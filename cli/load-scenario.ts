// Finds a scenario by catalogue name or file path, and checks it before anything runs.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMessagesSync, transformSync, type Message } from 'esbuild';
import { CATALOGUE, catalogueScenario } from '../scenarios/index.ts';
import { validateScenario, type Scenario } from '../sim/scenario.ts';
import { nearest } from '../engine/config/suggest.ts';
import { UsageError } from './command.ts';

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** As the user gave it: reproduce commands repeat it. */
  readonly source: string;
  /** The absolute file path, for a scenario given as a file. */
  readonly path: string | undefined;
}

export function looksLikePath(text: string): boolean {
  return text.includes('/') || text.endsWith('.ts');
}

export async function loadScenario(nameOrPath: string | undefined): Promise<LoadedScenario> {
  if (nameOrPath === undefined || nameOrPath.trim() === '') {
    throw new UsageError(`name a scenario (npm run scenarios lists them) or give a scenario file's path`);
  }
  if (!looksLikePath(nameOrPath)) {
    const scenario = catalogueScenario(nameOrPath);
    if (scenario === undefined) {
      const near = nearest(nameOrPath, CATALOGUE.map((s) => s.name));
      const hint = near.length > 0 ? ` Nearest: ${near.join(', ')}.` : '';
      throw new UsageError(`no scenario named ${JSON.stringify(nameOrPath)} in the catalogue.${hint} \`npm run scenarios\` lists them all; a file is given by its path (./my-scenario.ts).`);
    }
    validateScenario(scenario, `scenarios/${nameOrPath}.ts`);
    return { scenario, source: nameOrPath, path: undefined };
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new UsageError(`no scenario file at ${nameOrPath}`);
  if (!path.endsWith('.ts')) throw new UsageError(`${nameOrPath}: a scenario file is a TypeScript module (.ts) that does \`export default defineScenario({...})\``);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`${nameOrPath} could not be loaded:${whyNotLoaded(path, nameOrPath, error)}`);
  }
  validateScenario(module.default, nameOrPath);
  // A file's name need not match the scenario's (a shrunk reproduction may be renamed): results are filed
  // under the scenario's name.
  return { scenario: module.default, source: nameOrPath, path };
}

/**
 * Why a scenario file did not load, with where. A syntax error: esbuild's whole message (tsx's error keeps only
 * a one-line summary of it), with the line, the column and the line itself marked. An error thrown while the
 * module ran: its name and message, and the place in the file it was thrown from. Starts with the space or
 * the line break that follows the colon before it.
 */
function whyNotLoaded(path: string, shown: string, error: unknown): string {
  const syntax = syntaxErrors(path, shown);
  if (syntax !== undefined) return `\n${syntax}`;
  if (!(error instanceof Error)) return ` ${String(error)}`;
  const where = thrownAt(path, shown, error.stack ?? '');
  const what = error.name === 'Error' || error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
  return ` ${what}${where === undefined ? '' : ` (at ${where})`}`;
}

function syntaxErrors(path: string, shown: string): string | undefined {
  try {
    transformSync(readFileSync(path, 'utf8'), { loader: 'ts', sourcefile: shown, format: 'esm', logLevel: 'silent' });
    return undefined;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return undefined;
    return formatMessagesSync(errors, { kind: 'error', color: false }).join('').trimEnd();
  }
}

/** `FILE:LINE:COLUMN` of the first stack frame in the scenario file, as the user named it. */
function thrownAt(path: string, shown: string, stack: string): string | undefined {
  const href = pathToFileURL(path).href;
  for (const line of stack.split('\n')) {
    for (const prefix of [href, path]) {
      const at = line.indexOf(`${prefix}:`);
      if (at < 0) continue;
      const match = /^:(\d+):(\d+)/.exec(line.slice(at + prefix.length));
      if (match !== null) return `${shown}:${match[1]}:${match[2]}`;
    }
  }
  return undefined;
}

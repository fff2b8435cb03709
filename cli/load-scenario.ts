// Finds a scenario by catalogue name or file path, and checks it before anything runs.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${nameOrPath} could not be loaded: ${why}`);
  }
  validateScenario(module.default, nameOrPath);
  // A file's name need not match the scenario's (a shrunk reproduction may be renamed): results are filed
  // under the scenario's name.
  return { scenario: module.default, source: nameOrPath, path };
}

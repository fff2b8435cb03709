// The catalogue: every scenario by name. Static imports on purpose: worker threads load this module through
// piscina, where a dynamic import of a .ts file does not reach tsx's loader.

import type { Scenario } from '../sim/scenario.ts';
import controllerFailOver from './controller-fail-over.ts';
import randomFaultsSafeConfiguration from './random-faults-safe-configuration.ts';
import steadyLoadWithNoFaults from './steady-load-with-no-faults.ts';

export const CATALOGUE: readonly Scenario[] = [
  steadyLoadWithNoFaults,
  controllerFailOver,
  randomFaultsSafeConfiguration,
];

export function catalogueScenario(name: string): Scenario | undefined {
  return CATALOGUE.find((scenario) => scenario.name === name);
}

// A piscina task: the small scenario under a seed and mode, reduced to its trace hash.
import { runScenario } from '../../sim/run.ts';
import type { RunMode } from '../../sim/result.ts';
import { SMALL_SCENARIO } from './small-scenario.ts';

export default function run({ seed, mode }: { seed: number; mode: RunMode }): string {
  return runScenario(SMALL_SCENARIO, seed, { mode, source: 'small' }).traceHash;
}

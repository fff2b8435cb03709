// A piscina task: one seed of a swarm. Returns the seed's summary, and the whole result when the seed failed,
// showed an anomaly or left a checker not judged (the main thread writes its report). A broken engine
// invariant is a result like any other (the run ends with an `invariant` anomaly); any other crash of the
// engine or the harness is a failing seed too, with its message.

import { performance } from 'node:perf_hooks';
import { CATALOGUE } from '../scenarios/index.ts';
import { runScenario } from '../sim/run.ts';
import { parseSettings } from '../sim/settings.ts';
import type { RunMode, RunResult, SwarmSeed } from '../sim/result.ts';
import type { Scenario } from '../sim/scenario.ts';

export interface SeedTask {
  /** A catalogue name; absent when the task file was generated for a scenario file (it passes the scenario). */
  readonly name?: string;
  readonly seed: number;
  readonly mode: RunMode;
  readonly settings: readonly string[];
  readonly source: string;
  /** Return the whole result even when the seed is as expected and shows nothing (npm start reports every run). */
  readonly full?: boolean;
}

export interface SeedOutcome {
  readonly seed: SwarmSeed;
  readonly result: RunResult | null;
  readonly crash: string | null;
}

export function runSeed(scenario: Scenario, task: SeedTask): SeedOutcome {
  const started = performance.now();
  let result: RunResult;
  try {
    result = runScenario(scenario, task.seed, { mode: task.mode, settings: parseSettings(task.settings), source: task.source });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? error.stack ?? '' : '';
    return {
      seed: { seed: task.seed, ok: false, traceHash: '', anomalies: {}, why: `the run crashed: ${message}`, faults: 0, acked: 0, events: 0, simulatedMs: 0, wallMs: Math.round(performance.now() - started) },
      result: null,
      crash: stack,
    };
  }
  const wallMs = Math.round(performance.now() - started);
  const seed: SwarmSeed = {
    seed: task.seed,
    ok: result.ok,
    traceHash: result.traceHash,
    anomalies: result.anomalyCounts,
    notJudged: (result.notJudged ?? []).map((entry) => entry.checker),
    why: result.why,
    faults: result.faults.length,
    acked: result.stats.produced.acked,
    events: result.stats.events,
    simulatedMs: result.stats.simulatedMs,
    wallMs,
  };
  const interesting = task.full === true || !result.ok || result.anomalies.length > 0 || (result.notJudged ?? []).length > 0;
  return { seed, result: interesting ? { ...result, stats: { ...result.stats, wallMs } } : null, crash: null };
}

export default function catalogueSeed(task: SeedTask): SeedOutcome {
  const scenario = CATALOGUE.find((s) => s.name === task.name);
  if (scenario === undefined) throw new Error(`swarm task: no catalogue scenario ${task.name}`);
  return runSeed(scenario, task);
}

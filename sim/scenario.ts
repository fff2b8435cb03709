// The scenario-building API: what a file in scenarios/ exports, and the check that refuses a bad one.
//
//   export default defineScenario({
//     name: 'leader-crash-under-acks-all',
//     summary: 'the leader of orders-0 is killed under acks=all: nothing acknowledged is lost',
//     teaching: `...what happens, and what to look for in the report...`,
//     cluster: { brokers: 3, controllers: 3 },
//     topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
//     config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all' } },
//     workload: { producers: [{ ratePerSec: 200 }], consumers: 1 },
//     faults: { timeline: [{ kind: 'crash', target: 'leader:orders-0', atMs: 5_000, durationMs: 10_000 }] },
//     phases: { faultsMs: 20_000, livenessMs: 20_000, quiesceMs: 10_000 },
//     expect: 'no-anomalies',
//   });
//
// Configuration is by Kafka key, per kind (broker, topic, producer, consumer). Faults are a timeline (plain
// data: what `npm run shrink` writes back), story steps that wait for conditions (`steps`), a random schedule,
// or several of these. `swarm` says how `npm run swarm` varies the scenario per seed: it drops the scripted
// faults, draws a random schedule and the knobs in `vary` from the seed, so one scenario explores many worlds.
//
// A scenario is plain data plus, optionally, step functions. Its fields, types and rules are one zod schema
// (sim/scenario-schema.ts); validateScenario() checks a value against it before anything runs and throws one
// ScenarioError listing every problem, each naming its field, an unknown key with the nearest known one.

import type { AnomalyKind } from './checkers/anomaly.ts';
import { scenarioSchema, type Expectation, type Scenario } from './scenario-schema.ts';
import { schemaProblems } from './schema-problems.ts';

export type {
  Expectation,
  KeyDistribution,
  RandomFaultSpec,
  Scenario,
  ScenarioCluster,
  ScenarioConfig,
  ScenarioFaults,
  ScenarioPhases,
  ScenarioProducer,
  ScenarioSwarm,
  ScenarioTopic,
  ScenarioWorkload,
  SwarmVary,
} from './scenario-schema.ts';
export type { ScriptStep, ScriptContext } from './script.ts';
export type { Fault, FaultKind } from './nemesis.ts';
export type { AnomalyKind } from './checkers/anomaly.ts';
export { kindProblems, splitQualifiedKey } from './config-overrides.ts';

/** A scenario that does not hold together: every problem, each naming its field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`${where} is not a valid scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Types a scenario file's export: a misspelt key in the object literal is a TypeScript error where the editor
 * can see it (a part built in a variable of its own is checked only when that variable has a scenario type,
 * e.g. `const FAULTS: RandomFaultSpec = {...}`). The runner checks the value with validateScenario() anyway.
 */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

/** Every problem of a scenario, one line each, path first (empty when it is valid). `value` may be anything a file exported. */
export function scenarioProblems(value: unknown): string[] {
  return schemaProblems(scenarioSchema, value, 'a scenario');
}

/** Throws a ScenarioError naming every problem of the scenario. */
export function validateScenario(value: unknown, where: string): asserts value is Scenario {
  const problems = scenarioProblems(value);
  if (problems.length > 0) throw new ScenarioError(where, problems);
}

/** Whether the anomaly kinds found meet the expectation, and if not, why (one sentence). */
export function judge(expect: Expectation, found: ReadonlySet<AnomalyKind>): { ok: boolean; why: string } {
  if (expect === 'no-anomalies') {
    return found.size === 0 ? { ok: true, why: 'no anomaly, as expected' } : { ok: false, why: `expected no anomaly, found ${[...found].join(', ')}` };
  }
  const missing = expect.shows.filter((kind) => !found.has(kind));
  const allowed = new Set<AnomalyKind>([...expect.shows, ...(expect.mayShow ?? [])]);
  const unexpected = [...found].filter((kind) => !allowed.has(kind));
  if (missing.length > 0) return { ok: false, why: `expected ${missing.join(', ')}, which did not appear` };
  if (unexpected.length > 0) return { ok: false, why: `found ${unexpected.join(', ')}, which this scenario does not expect` };
  return { ok: true, why: `shows ${expect.shows.join(', ')}, as expected` };
}

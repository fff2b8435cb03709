// A misspelt key in a scenario file is a TypeScript error too, where TypeScript can see it: in an object literal
// given to defineScenario or to a variable typed with a scenario type (excess property checks). `npm test` runs
// tsc first: should defineScenario stop catching one of these, its @ts-expect-error is unused and tsc fails.
import test from 'ava';
import { defineScenario, scenarioProblems, type RandomFaultSpec, type ScriptStep } from '../../sim/scenario.ts';

const base = {
  name: 'typed-scenario',
  summary: 'one line',
  teaching: 'A scenario for tests. It has a cluster. It has a load. It expects nothing bad to happen here.',
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  workload: { producers: [{ ratePerSec: 100 }], consumers: 1 },
  phases: { faultsMs: 5_000, livenessMs: 5_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
} as const;

/** Each of these is refused by the compiler (the comment above it) and by the runner (the test below). */
function misspelt(): unknown[] {
  return [
    // @ts-expect-error defaultSed is not a scenario key
    defineScenario({ ...base, defaultSed: 7 }),
    // @ts-expect-error extraLatencyMS is not a scenario key
    defineScenario({ ...base, extraLatencyMS: 2 }),
    // @ts-expect-error livenessMS is not a phase
    defineScenario({ ...base, phases: { faultsMs: 5_000, livenessMS: 5_000, livenessMs: 5_000, quiesceMs: 5_000 } }),
    // @ts-expect-error valuebytes is not a producer key
    defineScenario({ ...base, workload: { producers: [{ ratePerSec: 100, valuebytes: 1_000 }], consumers: 1 } }),
    // @ts-expect-error intensty is not a fault field
    defineScenario({ ...base, faults: { timeline: [{ kind: 'crash', target: 'broker-1', atMs: 0, durationMs: 1_000, intensty: 1 }] } }),
    // @ts-expect-error whn is not a step field
    defineScenario({ ...base, faults: { steps: [{ label: 'wait', whn: () => true }] } }),
    // @ts-expect-error rateFactr is not a swarm knob
    defineScenario({ ...base, swarm: { faults: { mix: { crash: 1 }, targets: 'brokers', meanGapMs: 1_000, durationMs: [1, 2] }, vary: { rateFactr: [1, 2] }, expect: 'no-anomalies' } }),
  ];
}

test('what the compiler refuses, the runner refuses too', (t) => {
  const scenarios = misspelt();
  t.is(scenarios.length, 7);
  for (const scenario of scenarios) t.regex(scenarioProblems(scenario).join('\n'), /unknown key; did you mean/);
});

test('a part written in a variable of a scenario type is checked where it is written', (t) => {
  // @ts-expect-error crsh is not a fault kind
  const faults: RandomFaultSpec = { mix: { crsh: 1 }, targets: 'brokers', meanGapMs: 1_000, durationMs: [1, 2] };
  // @ts-expect-error atMS is not a step field
  const steps: ScriptStep[] = [{ label: 'wait', atMS: 1_000 }];
  const problems = scenarioProblems({ ...base, faults: { random: faults, steps } });
  t.is(problems.length, 2, problems.join('\n'));
  t.regex(problems[0]!, /^faults\.steps\[0\]\.atMS: unknown key; did you mean atMs\?/);
  t.regex(problems[1]!, /^faults\.random\.mix: unknown fault kind "crsh"; did you mean crash\?/);
});

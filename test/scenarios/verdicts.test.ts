// The regression suite of scenarios: every catalogue scenario on its default seed, and every shrunk
// reproduction kept in scenarios/regressions/, must give the verdict it expects. (npm start runs the same
// catalogue and writes the reports; this is the check CI relies on.)
import test from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { CATALOGUE } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';
import { validateScenario } from '../../sim/scenario.ts';

for (const scenario of CATALOGUE) {
  test(`${scenario.name} gives the verdict it expects on its default seed`, (t) => {
    const result = runScenario(scenario, scenario.defaultSeed ?? 1, { mode: 'scenario', source: scenario.name });
    t.true(result.ok, `${result.why}; reproduce: ${result.reproduce}`);
  });
}

const regressions = new URL('../../scenarios/regressions/', import.meta.url);
const files = existsSync(regressions) ? readdirSync(regressions).filter((f) => f.endsWith('.ts')) : [];
for (const file of files) {
  test(`the shrunk reproduction ${file} gives the verdict it expects`, async (t) => {
    const scenario = ((await import(new URL(file, regressions).href)) as { default: unknown }).default;
    validateScenario(scenario, `scenarios/regressions/${file}`);
    const result = runScenario(scenario, scenario.defaultSeed ?? 1, { mode: 'scenario', source: `scenarios/regressions/${file}` });
    t.true(result.ok, `${result.why}; reproduce: ${result.reproduce}`);
  });
}

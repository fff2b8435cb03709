import test from 'ava';
import { readdirSync } from 'node:fs';
import { CATALOGUE } from '../../scenarios/index.ts';
import { scenarioProblems } from '../../sim/scenario.ts';

const files = readdirSync(new URL('../../scenarios/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

test('every catalogue scenario is valid', (t) => {
  for (const scenario of CATALOGUE) t.deepEqual(scenarioProblems(scenario), [], scenario.name);
});

test('every scenario file is in the catalogue under its own name', (t) => {
  const names = CATALOGUE.map((s) => s.name);
  t.deepEqual([...files].map((f) => f.replace(/\.ts$/, '')).sort(), [...names].sort());
  t.is(new Set(names).size, names.length, 'names are unique');
});

test('the catalogue holds at least fifteen scenarios, safe and unsafe', (t) => {
  t.true(CATALOGUE.length >= 15, `${CATALOGUE.length} scenarios`);
  t.true(CATALOGUE.some((s) => s.expect === 'no-anomalies'));
  t.true(CATALOGUE.some((s) => s.expect !== 'no-anomalies'));
});

test('every unsafe scenario has a swarm that must find its anomaly by random faults', (t) => {
  t.plan(CATALOGUE.filter((s) => s.expect !== 'no-anomalies').length * 2 + 1);
  t.pass();
  for (const scenario of CATALOGUE) {
    if (scenario.expect === 'no-anomalies') continue;
    const swarm = scenario.swarm;
    t.truthy(swarm, `${scenario.name} has a swarm section`);
    if (swarm === undefined || swarm.expect === 'no-anomalies') { t.fail(`${scenario.name}: its swarm must find its anomaly`); t.fail(); continue; }
    t.true(scenario.expect.shows.every((kind) => swarm.expect !== 'no-anomalies' && swarm.expect.find.includes(kind)), `${scenario.name}: the swarm finds what the scenario shows`);
  }
});

test('every scenario teaches: a summary of one line and a teaching text of several sentences', (t) => {
  for (const scenario of CATALOGUE) {
    t.false(scenario.summary.includes('\n'), scenario.name);
    t.true(scenario.teaching.split('.').length > 3, `${scenario.name} teaching text`);
  }
});

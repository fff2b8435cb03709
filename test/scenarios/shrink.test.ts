import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ddmin, shrinkRun } from '../../sim/shrink.ts';
import { resolveRun, runScenario } from '../../sim/run.ts';
import { scenarioSource } from '../../sim/scenario-source.ts';
import { defineScenario, validateScenario, type Scenario } from '../../sim/scenario.ts';
import type { Fault } from '../../sim/nemesis.ts';

test('ddmin finds the two items that together make the test fail', (t) => {
  const calls: number[][] = [];
  const kept = ddmin([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (subset) => {
    calls.push([...subset]);
    return subset.includes(3) && subset.includes(7);
  });
  t.deepEqual(kept, [3, 7]);
  t.true(calls.length < 60, `${calls.length} tests`);
});

test('ddmin keeps a single culprit, and nothing when nothing is needed', (t) => {
  t.deepEqual(ddmin([1, 2, 3, 4], (subset) => subset.includes(4)), [4]);
  t.deepEqual(ddmin([1, 2, 3], () => true), []);
});

// acks=1 and a leader crash: the leader acknowledged records its followers had not fetched yet (the network
// has 2 ms of extra latency), a follower takes over, the restarted old leader truncates them away. The latency
// spike before and the controller pause after are noise the shrinker must remove.
const TIMELINE: Fault[] = [
  { kind: 'latency-spike', target: 'broker-3', atMs: 500, durationMs: 1_000, intensity: 1 },
  { kind: 'crash', target: 'leader:orders-0', atMs: 3_000, durationMs: 3_000 },
  { kind: 'pause', target: 'controller-101', atMs: 6_500, durationMs: 500 },
];

const ACKS_ONE: Scenario = defineScenario({
  name: 'leader-crash-under-acks-one-for-tests',
  summary: 'the leader crashes under acks=1',
  teaching: 'A test scenario. The leader crashes under acks=1. Records it acknowledged alone are lost. Noise faults around it.',
  cluster: { brokers: 3, controllers: 1 },
  extraLatencyMs: 2,
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  config: { broker: { 'min.insync.replicas': 1 }, producer: { acks: 1, 'enable.idempotence': false } },
  workload: { producers: [{ ratePerSec: 200 }, { ratePerSec: 200 }], consumers: 1 },
  faults: { timeline: TIMELINE },
  phases: { faultsMs: 8_000, livenessMs: 10_000, quiesceMs: 4_000 },
  expect: { shows: ['lost-write'], mayShow: ['inconsistent-offsets', 'nonmonotonic-send'] },
});

test('a lost write is shrunk to the one fault that causes it, and the shrunk file fails the same way', async (t) => {
  const seed = 2;
  const original = runScenario(ACKS_ONE, seed, { mode: 'scenario', source: 'test' });
  t.true((original.anomalyCounts['lost-write'] ?? 0) > 0, original.why);
  const { spec } = resolveRun(ACKS_ONE, seed, { mode: 'scenario', source: 'test' });
  const shrunk = shrinkRun(spec, original.schedule, seed, 'lost-write');
  t.true(shrunk.faults.some((f) => f.kind === 'crash' && f.target === 'leader:orders-0'), 'the crash stays');
  t.true(shrunk.faults.length < original.schedule.length);
  t.true(shrunk.spec.faultsUntilMs < spec.faultsUntilMs, 'the heal comes right after the last fault');

  const scenario: Scenario = {
    ...ACKS_ONE,
    name: 'leader-crash-under-acks-one-shrunk',
    extraLatencyMs: shrunk.spec.extraLatencyMs,
    workload: { producers: shrunk.spec.workload.producers.map((p) => ({ ratePerSec: p.ratePerSec, config: p.config })), consumers: shrunk.spec.workload.consumers },
    faults: { timeline: shrunk.faults },
    phases: { faultsMs: shrunk.spec.faultsUntilMs, livenessMs: shrunk.spec.livenessMs, quiesceMs: shrunk.spec.quiesceMs },
  };
  const dir = mkdtempSync(join(tmpdir(), 'tributary-shrink-'));
  const file = join(dir, 'shrunk.ts');
  writeFileSync(file, scenarioSource(scenario, fileURLToPath(new URL('../../sim/scenario.ts', import.meta.url)), ['a test']));
  const loaded = ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
  validateScenario(loaded, file);
  const again = runScenario(loaded, seed, { mode: 'scenario', source: file });
  t.true((again.anomalyCounts['lost-write'] ?? 0) > 0, again.why);
});

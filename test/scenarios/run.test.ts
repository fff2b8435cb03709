import test from 'ava';
import { fileURLToPath } from 'node:url';
import { openSeedPool } from '../../cli/seed-pool.ts';
import { resolveRun, runScenario } from '../../sim/run.ts';
import { parseSettings } from '../../sim/settings.ts';
import { SMALL_SCENARIO } from '../support/small-scenario.ts';

test('a scenario run gives result.json with every field DESIGN.md promises', (t) => {
  const result = runScenario(SMALL_SCENARIO, 1, { mode: 'scenario', source: 'small' });
  for (const field of ['scenario', 'seed', 'traceHash', 'ok', 'expected', 'anomalies', 'stats'] as const) t.not(result[field], undefined, field);
  const s = result.stats;
  t.true(s.events > 0 && s.simulatedMs > 0);
  t.true(s.produced.acked > 500, `acked ${s.produced.acked}`);
  t.true(s.throughput.recordsPerSec > 0 && s.throughput.bytesPerSec > 0);
  for (const summary of [s.latencyMs.produce, s.latencyMs.endToEnd]) t.true(summary.p50 <= summary.p99 && summary.p99 <= summary.p999 && summary.p999 <= summary.max);
  t.true(result.ok, result.why);
  t.is(result.faults.length, 2, 'both faults of the timeline happened');
  t.is(result.faults[0]!.kind, 'crash');
  t.is(result.faults[0]!.nodes.length, 1, 'the leader role resolved to one broker');
  t.true(result.timeline.partitions.length === 2 && result.timeline.partitions[0]!.replicas.length === 3);
  t.true(result.timeline.partitions[0]!.leaders.length >= 2, 'the crash moved the leadership of orders-0');
  t.is(result.reproduce, 'npm run scenario -- small --seed 1');
  t.deepEqual(result.schedule.map((f) => f.kind), ['crash', 'isolate']);
});

test('the same seed gives the same trace hash and another seed another', (t) => {
  const a = runScenario(SMALL_SCENARIO, 3, { mode: 'scenario', source: 'small' });
  const b = runScenario(SMALL_SCENARIO, 3, { mode: 'scenario', source: 'small' });
  const c = runScenario(SMALL_SCENARIO, 4, { mode: 'scenario', source: 'small' });
  t.is(a.traceHash, b.traceHash);
  t.deepEqual(a.timeline, b.timeline);
  t.not(a.traceHash, c.traceHash);
});

test('swarm mode draws the knobs and the fault schedule from the seed', (t) => {
  const options = { mode: 'swarm' as const, source: 'small' };
  const drawn = [1, 2, 3, 4, 5, 6].map((seed) => resolveRun(SMALL_SCENARIO, seed, options).options);
  t.deepEqual(resolveRun(SMALL_SCENARIO, 1, options).options, drawn[0], 'the same seed draws the same knobs');
  t.true(new Set(drawn.map((o) => o['swarm.rateFactor'])).size > 1, 'rates vary by seed');
  t.true(new Set(drawn.map((o) => o['producer.linger.ms'])).size > 1, 'configs vary by seed');
  t.true(new Set(drawn.map((o) => o['faults.random.mix'])).size > 1, 'fault mixes vary by seed');
  t.false('faults.timeline' in drawn[0]!, 'swarm mode drops the scripted timeline');
});

test('--set overrides win over the scenario and over swarm draws', (t) => {
  const settings = parseSettings(['linger.ms=7', 'broker.min.insync.replicas=1']);
  const { options, spec } = resolveRun(SMALL_SCENARIO, 2, { mode: 'swarm', source: 'small', settings });
  t.is(options['producer.linger.ms'], '7');
  t.is(spec.workload.producers[0]!.config!['linger.ms'], '7');
  t.is(spec.cluster.brokerConfig!['min.insync.replicas'], '1');
});

test('a scenario seed run in a worker of the seed pool gives the same trace hash as in the main thread', async (t) => {
  // The pool runs a bundle built by esbuild (not tsx), so this also proves the bundle computes what the sources do.
  const pool = await openSeedPool({ workers: 1, scenarioPath: fileURLToPath(new URL('../support/small-scenario-file.ts', import.meta.url)) });
  try {
    const outcome = await pool.run({ seed: 5, mode: 'swarm', settings: [], source: 'small' });
    t.is(outcome.crash, null);
    t.is(outcome.seed.traceHash, runScenario(SMALL_SCENARIO, 5, { mode: 'swarm', source: 'small' }).traceHash);
  } finally {
    await pool.close();
  }
});

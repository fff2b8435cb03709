import test from 'ava';
import { shardSeeds } from '../../cli/swarm.ts';
import { mergeSwarms } from '../../cli/merge.ts';
import { summariseSwarm } from '../../cli/swarm-summary.ts';
import type { SwarmResult, SwarmSeed } from '../../sim/result.ts';

test('the shards of a range cover every seed exactly once', (t) => {
  const covered = [1, 2, 3].flatMap((k) => shardSeeds(10, 20, { k, n: 3 }));
  t.deepEqual([...covered].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => 10 + i));
});

function seed(n: number, anomalies: SwarmSeed['anomalies'] = {}): SwarmSeed {
  const ok = Object.keys(anomalies).length === 0;
  return { seed: n, ok, traceHash: `h${n}`, anomalies, why: ok ? 'no anomaly' : 'found', faults: 2, acked: 100, events: 1000, simulatedMs: 50_000, wallMs: 900 };
}

function shard(k: number, n: number, seeds: SwarmSeed[]): SwarmResult {
  return summariseSwarm({
    scenario: { name: 'x', summary: 'x' }, source: 'x', mode: 'swarm', set: {}, range: { from: 1, count: 6 },
    shards: [{ k, n }], workers: 2, wallSeconds: 10 * k, expected: 'no-anomalies',
  }, seeds, new Map(), (s) => `npm run scenario -- x --seed ${s} --swarm`);
}

test('merging shards joins their seeds and recomputes the verdict and the first seed of each kind', (t) => {
  const a = shard(1, 2, [seed(1), seed(3, { 'lost-write': 2 }), seed(5)]);
  const b = shard(2, 2, [seed(2, { duplicate: 1 }), seed(4), seed(6, { 'lost-write': 1 })]);
  const merged = mergeSwarms(['a', 'b'], [a, b]);
  t.is(merged.seedsRun, 6);
  t.false(merged.ok);
  t.deepEqual(merged.failing.map((f) => f.seed), [2, 3, 6]);
  t.is(merged.firstByKind['lost-write']!.seed, 3);
  t.is(merged.seedsToFind['duplicate'], 2);
  t.is(merged.wallSeconds, 20, 'shards run side by side: the slowest decides');
  t.is(merged.failing[0]!.reproduce, 'npm run scenario -- x --seed 2 --swarm');
});

test('merging refuses files of different swarms', (t) => {
  const a = shard(1, 2, [seed(1)]);
  const other = { ...shard(2, 2, [seed(2)]), scenario: 'y' };
  t.throws(() => mergeSwarms(['a', 'b'], [a, other]), { message: /not a shard of the same swarm/ });
});

test('seeds a checker did not judge are counted per checker, and the swarm verdict says so', (t) => {
  const unjudged: SwarmSeed = { ...seed(2), notJudged: ['unavailable', 'under-replicated'] };
  const swarm = shard(1, 1, [seed(1), unjudged, { ...seed(3), notJudged: ['unavailable'] }]);
  t.deepEqual(swarm.notJudged, { unavailable: 2, 'under-replicated': 1 });
  t.is(swarm.why, 'no anomaly in 3 seeds; 2 seeds not fully judged (unavailable in 2, under-replicated in 1)');
});

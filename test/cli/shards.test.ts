import test from 'ava';
import { parseSwarmArgs, resumeCommand, seedRanges, shardSeeds } from '../../cli/swarm.ts';
import { mergeSwarms } from '../../cli/merge.ts';
import { summariseSwarm, type SwarmFile, type SwarmMeta } from '../../cli/swarm-summary.ts';
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

/** A seed that showed what the unsafe configuration may show: ok. */
function finds(n: number, anomalies: SwarmSeed['anomalies']): SwarmSeed {
  return { ...seed(n, anomalies), ok: true };
}

function unsafeShard(k: number, n: number, seeds: SwarmSeed[], partial?: SwarmMeta['partial']): SwarmFile {
  return summariseSwarm({
    scenario: { name: 'x', summary: 'x' }, source: 'x', mode: 'swarm', set: {}, range: { from: 1, count: 4 },
    shards: n === 0 ? [] : [{ k, n }], workers: 1, wallSeconds: 1, expected: { mayShow: [], find: ['lost-write'] }, partial,
  }, seeds, new Map(), (s) => `npm run scenario -- x --seed ${s} --swarm`);
}

test('a shard of an unsafe swarm that does not find its anomaly is inconclusive, not failed; the union is judged', (t) => {
  const a = unsafeShard(1, 2, [seed(1), seed(3)]);
  t.is(a.verdict, 'inconclusive');
  t.false(a.ok, 'not ok either: it judged nothing');
  t.regex(a.why, /^inconclusive: the anomaly was not found in this shard; merge the shards to judge/);
  const found = unsafeShard(2, 2, [seed(2), finds(4, { 'lost-write': 1 })]);
  t.is(found.verdict, 'ok');
  t.is(mergeSwarms(['a', 'b'], [a, found]).verdict, 'ok', 'the other shard found it: the swarm did');
  const missed = unsafeShard(2, 2, [seed(2), seed(4)]);
  const union = mergeSwarms(['a', 'b'], [a, missed]);
  t.is(union.verdict, 'failed', 'no shard found it: the swarm failed');
  t.regex(union.why, /no seed found lost-write/);
  t.is(unsafeShard(0, 0, [seed(1), seed(2), seed(3), seed(4)]).verdict, 'failed', 'a whole swarm that misses it fails, as before');
  t.is(unsafeShard(1, 2, [seed(1), seed(3, { duplicate: 1 })]).verdict, 'failed', 'a failing seed fails the shard');
});

test('an interrupted swarm is partial: inconclusive unless a seed failed, and merge refuses it', (t) => {
  const partial = { reason: 'interrupted (Ctrl-C)', seedsToRun: 2, seedsDone: 1, from: 3, resume: 'npm run swarm -- x --seeds 2 --from 3 --shard 1/2' };
  const a = unsafeShard(1, 2, [finds(1, { 'lost-write': 1 })], partial);
  t.is(a.verdict, 'inconclusive', 'it found the anomaly, but the seeds not run are not judged');
  t.deepEqual(a.partial, partial);
  t.regex(a.why, /interrupted \(Ctrl-C\) after 1 of 2 seeds.*npm run swarm -- x --seeds 2 --from 3 --shard 1\/2/);
  t.is(unsafeShard(1, 2, [seed(1, { duplicate: 1 })], partial).verdict, 'failed');
  const b = unsafeShard(2, 2, [seed(2), seed(4)]);
  t.throws(() => mergeSwarms(['a', 'b'], [a, b]), { message: /a is a partial swarm\.json/ });
});

test('the resume command of an interrupted shard runs exactly the seeds of the shard not done', (t) => {
  const args = { ...parseSwarmArgs(['x', '--seeds', '100', '--from', '1', '--shard', '2/4']) };
  const all = shardSeeds(1, 100, { k: 2, n: 4 });
  const done = new Set(all.slice(0, 5));
  const notDone = all.filter((s) => !done.has(s));
  const resume = resumeCommand(args, 'x', [], notDone);
  t.is(resume.from, notDone[0]);
  const m = /--seeds (\d+) --from (\d+) --shard 2\/4$/.exec(resume.command);
  t.truthy(m, resume.command);
  t.deepEqual(shardSeeds(Number(m![2]), Number(m![1]), { k: 2, n: 4 }), notDone);
  t.is(seedRanges([5, 1, 2, 3, 7, 8]), '1..3, 5, 7..8');
});

test('seeds a checker did not judge are counted per checker, and the swarm verdict says so', (t) => {
  const unjudged: SwarmSeed = { ...seed(2), notJudged: ['unavailable', 'under-replicated'] };
  const swarm = shard(1, 1, [seed(1), unjudged, { ...seed(3), notJudged: ['unavailable'] }]);
  t.deepEqual(swarm.notJudged, { unavailable: 2, 'under-replicated': 1 });
  t.is(swarm.why, 'no anomaly in 3 seeds; 2 seeds not fully judged (unavailable in 2, under-replicated in 1)');
});

import test from 'ava';
import { runScripted, ScriptError, type ScriptedRunSpec, type ScriptStep } from '../../sim/scripted-run.ts';

const TOPIC = 't';

function spec(script: readonly ScriptStep[], livenessMs = 3_000): ScriptedRunSpec {
  return {
    cluster: { brokers: 3, controllers: 1 },
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 20, config: { acks: 'all' } }], consumers: 1 },
    script,
    livenessMs,
    quiesceMs: 1_000,
  };
}

test('steps act in order at their times, seeing the leader of the moment', (t) => {
  const seen: string[] = [];
  const run = runScripted(spec([
    { label: 'note the leader', atMs: 500, do: (ctx) => seen.push(`${ctx.elapsedMs} ${ctx.leaderOf(TOPIC, 0)} ${ctx.followersOf(TOPIC, 0).length}`) },
    { label: 'wait for an acknowledgement', when: (ctx) => ctx.lastAckedOffset(TOPIC, 0) >= 3 },
    { label: 'later', afterMs: 250, do: (ctx) => seen.push(`${ctx.isrOf(TOPIC, 0).length}`) },
  ]), 3);
  t.is(run.steps.length, 3);
  t.is(run.steps[0]!.atMs, 500);
  t.true(run.steps[1]!.atMs >= 500);
  t.is(run.steps[2]!.atMs, run.steps[1]!.atMs + 250);
  t.regex(seen[0]!, /^500 broker-\d 2$/);
  t.is(seen[1], '3');
  t.true(run.verdict.ok, JSON.stringify(run.verdict.counts));
});

test('faults done through the context are recorded, and the heal restarts what the script left down', (t) => {
  let crashed = '';
  const run = runScripted(spec([
    { label: 'crash a follower', atMs: 200, do: (ctx) => ctx.crash((crashed = ctx.followersOf(TOPIC, 0)[0]!)) },
    { label: 'cut the leader off', afterMs: 100, do: (ctx) => ctx.partition([ctx.leaderOf(TOPIC, 0)], ['consumer-1'], { oneWay: true }) },
    // Long enough for the restarted broker's old session to expire (broker.session.timeout.ms) and for it
    // to register again and rejoin.
  ], 12_000), 4);
  const faults = run.history.events.filter((event) => event.type === 'fault-start' || event.type === 'fault-end');
  t.deepEqual(faults.map((event) => `${event.type} ${event.fault}`), ['fault-start crash', 'fault-start partition', 'fault-end partition', 'fault-end crash']);
  t.deepEqual(faults[0]!.targets, [crashed]);
  t.true(faults.slice(2).every((event) => event.timeMs === run.healMs));
  t.is(run.history.events.find((event) => event.type === 'heal')!.timeMs, run.healMs);
  // Every broker is up at the end: the crashed one came back and holds a replica again.
  t.is(run.finalState.partitions[0]!.replicas.length, 3);
});

test('a condition that never holds fails the run, naming its step', (t) => {
  const error = t.throws(() => runScripted(spec([
    { label: 'wait for the impossible', when: () => false, timeoutMs: 1_000 },
  ]), 5), { instanceOf: ScriptError });
  t.regex(error!.message, /wait for the impossible.*1000 ms/);
});

test('the same seed gives the same run', (t) => {
  const script: ScriptStep[] = [{ label: 'crash the leader', atMs: 300, do: (ctx) => ctx.crash(ctx.leaderOf(TOPIC, 0)) }];
  t.is(runScripted(spec(script), 6).traceHash, runScripted(spec(script), 6).traceHash);
});

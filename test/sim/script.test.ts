import test from 'ava';
import { runCluster } from '../../sim/cluster-run.ts';
import { FAULT_KINDS } from '../../sim/nemesis.ts';
import type { ScriptContext, StepFault } from '../../sim/script.ts';
import { runScripted, ScriptError, type ScriptedRunSpec, type ScriptStep } from '../support/scripted-run.ts';

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

/** How a story starts each kind of fault, all on broker-3. */
const STARTS: ReadonlyArray<readonly [string, (ctx: ScriptContext) => StepFault]> = [
  ['crash', (ctx) => ctx.crash('broker-3')],
  ['power-loss', (ctx) => ctx.powerLoss('broker-3')],
  ['pause', (ctx) => ctx.pause('broker-3')],
  ['controlled-shutdown', (ctx) => ctx.controlledShutdown('broker-3')],
  ['isolate', (ctx) => ctx.isolate('broker-3')],
  ['split-halves', (ctx) => ctx.splitHalves(['broker-3'])],
  ['bridge', (ctx) => ctx.bridge('broker-3')],
  ['partition-one-way-in', (ctx) => ctx.partitionOneWayIn('broker-3')],
  ['partition-one-way-out', (ctx) => ctx.partitionOneWayOut('broker-3')],
  ['packet-loss', (ctx) => ctx.packetLoss('broker-3', 0.5)],
  ['latency-spike', (ctx) => ctx.latencySpike(['broker-3'], 50)],
  ['slow-link', (ctx) => ctx.slowLink('broker-2', 'broker-3', 50)],
  ['disk-slow', (ctx) => ctx.diskSlow('broker-3', 5)],
  ['disk-fail', (ctx) => ctx.diskFail('broker-3')],
  ['disk-corrupt-reads', (ctx) => ctx.diskCorruptReads('broker-3', 0.001)],
  ['disk-full', (ctx) => ctx.diskFull('broker-3')],
  ['partition', (ctx) => ctx.partition(['broker-3'], ['broker-1'], { oneWay: true })],
];

test('a story has a verb for every nemesis kind, and each fault it starts is a fault interval until it ends', (t) => {
  t.deepEqual(STARTS.map(([kind]) => kind).sort(), [...FAULT_KINDS, 'partition'].sort(), 'every kind of the vocabulary');
  const script: ScriptStep[] = STARTS.flatMap(([kind, start]): ScriptStep[] => {
    let fault: StepFault | undefined;
    const end: ScriptStep = kind === 'crash' || kind === 'power-loss' ? { label: `restart after ${kind}`, afterMs: 300, do: (ctx) => ctx.restart('broker-3') }
      : kind === 'pause' ? { label: 'resume', afterMs: 300, do: (ctx) => ctx.resume('broker-3') }
      : kind === 'controlled-shutdown' ? { label: 'restart once it has exited', when: (ctx) => ctx.isDown('broker-3'), timeoutMs: 10_000, do: (ctx) => ctx.restart('broker-3') }
      : { label: `end ${kind}`, afterMs: 300, do: () => fault!.end() };
    return [{ label: `start ${kind}`, afterMs: 300, do: (ctx) => void (fault = start(ctx)) }, end];
  });
  const run = runScripted({ ...spec([{ label: 'the topic is ready', atMs: 500 }, ...script], 5_000), healAfterMs: 500 }, 8);
  const intervals = run.faultIntervals;
  t.deepEqual(intervals.map((interval) => interval.kind), STARTS.map(([kind]) => kind));
  for (const interval of intervals) {
    t.true(interval.nodes.includes('broker-3'), `${interval.kind} hit ${interval.nodes.join(',')}`);
    t.true(interval.endMs !== null && interval.endMs > interval.startMs && interval.endMs < run.healMs, `${interval.kind} ended by its step`);
    t.truthy(interval.detail, interval.kind);
  }
  const starts = run.history.events.filter((event) => event.type === 'fault-start').map((event) => event.type === 'fault-start' && event.fault);
  t.deepEqual(starts, STARTS.map(([kind]) => kind), 'and in the history the checkers read');
});

test('a story\'s heal ends its own network faults and leaves a scheduled one in effect', (t) => {
  const run = runCluster({
    cluster: { brokers: 3, controllers: 1 },
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 50, config: { acks: 1, 'enable.idempotence': false } }], consumers: 0 },
    faults: {
      script: [{ kind: 'isolate', target: 'broker-3', atMs: 1_000, durationMs: 6_000 }],
      steps: [
        { label: 'cut broker-1 off from broker-2', atMs: 2_000, do: (ctx) => ctx.partition(['broker-1'], ['broker-2']) },
        { label: 'heal the story\'s partition', atMs: 2_500, do: (ctx) => ctx.heal() },
      ],
    },
    faultsUntilMs: 8_000,
    livenessMs: 2_000,
    quiesceMs: 1_000,
    checkers: ['lost-write'],
  }, 3);
  // A replica's log end offset over [fromMs, toMs] (a sample equal to the previous one is not stored).
  const endOffsets = (broker: string, fromMs: number, toMs: number): number[] => {
    const samples = run.history.samples.filter((sample) => sample.broker === broker);
    const before = samples.filter((sample) => sample.timeMs <= run.readyAtMs + fromMs).at(-1)!;
    const during = samples.filter((sample) => sample.timeMs > run.readyAtMs + fromMs && sample.timeMs <= run.readyAtMs + toMs);
    return [before, ...during].map((sample) => sample.logEndOffset);
  };
  const isolated = endOffsets('broker-3', 3_000, 6_900);
  t.is(Math.max(...isolated), Math.min(...isolated), `broker-3 stays cut off after the story's heal: its log end went ${isolated.join(', ')}`);
  const growing = [...endOffsets('broker-1', 3_000, 6_900), ...endOffsets('broker-2', 3_000, 6_900)];
  t.true(Math.max(...growing) > Math.min(...growing) + 50, 'while the others take writes');
  t.deepEqual(run.faultIntervals.map((interval) => `${interval.kind} ${interval.endMs! - run.readyAtMs}`), ['isolate 7000', 'partition 2500']);
});

test('a story fault that cannot start is a ScriptError saying why', (t) => {
  const cases: Array<[ScriptStep['do'], RegExp]> = [
    [(ctx) => { ctx.crash('broker-2'); ctx.crash('broker-2'); }, /^crash did nothing at \d+ ms into the script: broker-2 already down$/],
    [(ctx) => ctx.slowLink('broker-1', 'broker-1'), /^slow-link did nothing .*: a slow link needs two nodes, and broker-1 is one now$/],
    [(ctx) => ctx.packetLoss('broker-1', 2), /^packet-loss: the intensity of packet-loss is the probability/],
    [(ctx) => ctx.isolate('broker-9'), /^isolate: there is no node named broker-9; nodes are /],
    [(ctx) => ctx.resume('broker-1'), /^cannot resume broker-1 at \d+ ms into the script: no step paused it$/],
  ];
  for (const [act, message] of cases) {
    t.throws(() => runScripted(spec([{ label: 'act', atMs: 200, do: act }]), 9), { instanceOf: ScriptError, message }, String(message));
  }
});

import test from 'ava';
import { applySchedule, FAULT_KIND_INFO, FAULT_KINDS, NemesisError, resolveTarget, validateFault, type Fault } from '../../sim/nemesis.ts';
import { NemesisWorld } from '../support/nemesis-world.ts';

const crash: Fault = { kind: 'crash', target: 'broker-1', atMs: 100, durationMs: 500 };

test('validateFault accepts every kind with a well-formed target, time and duration', (t) => {
  for (const kind of FAULT_KINDS) {
    const target = FAULT_KIND_INFO[kind].link === true ? 'broker-1,leader:orders-0' : 'broker-1';
    t.notThrows(() => validateFault({ ...crash, kind, target }, 'faults[0]'), kind);
  }
  t.notThrows(() => validateFault({ ...crash, target: 'broker-1, controller-102' }, 'faults[0]'));
  t.notThrows(() => validateFault({ ...crash, target: 'leader:orders.v2-11' }, 'faults[0]'));
  t.notThrows(() => validateFault({ kind: 'packet-loss', target: 'brokers', atMs: 0, durationMs: 1, intensity: 0.5 }, 'faults[0]'));
});

test('validateFault refuses a bad kind, naming the field and the valid kinds', (t) => {
  const error = t.throws(() => validateFault({ ...crash, kind: 'crsh' }, 'faults.timeline[2]'), { instanceOf: NemesisError });
  t.regex(error!.message, /^faults\.timeline\[2\]\.kind: unknown fault kind "crsh"; one of crash, power-loss, pause/);
});

test('validateFault refuses a bad target, naming the field', (t) => {
  const bad = ['', 'broker-1,', 'leader:orders', 'leader:-3', 'leader:orders-x', 'broker 1', 'leader:or ders-0'];
  for (const target of bad) {
    const error = t.throws(() => validateFault({ ...crash, target }, 'faults[1]'), { instanceOf: NemesisError }, target);
    t.regex(error!.message, /^faults\[1\]\.target: /, target);
  }
  const unknown = t.throws(() => validateFault({ ...crash, target: 'broker-9' }, 'faults[1]', ['broker-1', 'broker-2']));
  t.is(unknown!.message, 'faults[1].target: there is no node named broker-9; nodes are broker-1, broker-2');
});

test('validateFault refuses a slow link whose target names one node: a link has two ends', (t) => {
  for (const target of ['broker-1', 'leader:orders-0', 'active-controller']) {
    const error = t.throws(() => validateFault({ ...crash, kind: 'slow-link', target }, 'faults[3]'), { instanceOf: NemesisError }, target);
    t.regex(error!.message, /^faults\[3\]\.target: slow-link acts on the links between the nodes it names, so name two at least, e\.g\. broker-1,broker-2/);
  }
  for (const target of ['broker-1,broker-2', 'brokers', 'leader:orders-0,active-controller']) {
    t.notThrows(() => validateFault({ ...crash, kind: 'slow-link', target }, 'f'), target);
  }
});

test('validateFault refuses a bad duration, start time or intensity, naming each', (t) => {
  t.regex(t.throws(() => validateFault({ ...crash, durationMs: 0 }, 'f'))!.message, /^f\.durationMs: must be a number of ms > 0/);
  t.regex(t.throws(() => validateFault({ ...crash, durationMs: Infinity }, 'f'))!.message, /^f\.durationMs/);
  t.regex(t.throws(() => validateFault({ ...crash, atMs: -5 }, 'f'))!.message, /^f\.atMs: must be a number of ms >= 0/);
  t.regex(t.throws(() => validateFault({ ...crash, intensity: 2 }, 'f'))!.message, /^f\.intensity: crash takes no intensity/);
  t.regex(t.throws(() => validateFault({ ...crash, kind: 'packet-loss', intensity: 1.5 }, 'f'))!.message, /^f\.intensity: the intensity of packet-loss is the probability/);
  t.regex(t.throws(() => validateFault({ ...crash, kind: 'disk-slow', intensity: 0.5 }, 'f'))!.message, /^f\.intensity: .*1 <= x/);
  t.regex(t.throws(() => validateFault({ ...crash, intensty: 0.2 }, 'f'))!.message, /^f\.intensty: unknown field/);
  t.regex(t.throws(() => validateFault('crash broker-1', 'f'))!.message, /^f: a fault must be an object/);
});

test('applySchedule refuses a schedule with a bad fault before anything runs', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  const error = t.throws(() => applySchedule(world.sim, [crash, { ...crash, target: 'broker-7' }], world), { instanceOf: NemesisError });
  t.regex(error!.message, /^faults\[1\]\.target: there is no node named broker-7/);
  world.sim.runFor(1_000);
  t.is(world.sim.status('broker-1'), 'up', 'the valid fault did not run either');
});

test('groups and comma lists resolve to each node once, in the order named', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2'], ['controller-101']);
  world.active = 'controller-101';
  t.deepEqual(resolveTarget('broker-2,brokers,active-controller', world), ['broker-2', 'broker-1', 'controller-101']);
  t.deepEqual(resolveTarget('controllers', world), ['controller-101']);
  world.active = undefined;
  t.deepEqual(resolveTarget('active-controller', world), []);
});

test('a role selector resolves when the fault starts, and a role with nobody skips the fault', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2', 'broker-3'], ['controller-101']);
  world.leader = 'broker-1';
  applySchedule(world.sim, [
    { kind: 'crash', target: 'leader:orders-0', atMs: 1_000, durationMs: 500 },
    { kind: 'pause', target: 'active-controller', atMs: 3_000, durationMs: 500 },
  ], world, world);
  world.sim.runFor(500);
  world.leader = 'broker-3'; // the leadership moved before the fault started
  world.sim.runFor(600);
  t.is(world.sim.status('broker-3'), 'crashed');
  t.is(world.sim.status('broker-1'), 'up');
  world.sim.runFor(3_000);
  t.is(world.sim.status('broker-3'), 'up', 'restarted at the end');
  t.deepEqual(world.told, [
    'start crash broker-3 | kill -9 of broker-3; restarted at the end',
    'end crash broker-3',
    'skip pause active-controller resolves to no node now',
  ]);
});

test('every start, end and skip is in the trace, so the trace hash covers the faults', (t) => {
  const hashOf = (durationMs: number): string => {
    const world = new NemesisWorld(['broker-1', 'broker-2']);
    const events: string[] = [];
    world.sim.trace.onEvent((event) => {
      if (event.node === 'nemesis') events.push(`${event.timeMs} ${event.event} ${event.fields?.kind}`);
    });
    applySchedule(world.sim, [
      { kind: 'isolate', target: 'broker-1', atMs: 100, durationMs },
      { kind: 'crash', target: 'leader:t-0', atMs: 200, durationMs: 10 },
    ], world, undefined);
    world.sim.runFor(1_000);
    t.deepEqual(events, ['100 fault-start isolate', '200 fault-skip crash', `${100 + durationMs} fault-end isolate`]);
    return world.sim.traceHash();
  };
  t.not(hashOf(300), hashOf(400));
});

import test from 'ava';
import type { DiskError, Message } from '../../engine/runtime.ts';
import { DISK_PROFILES } from '../../sim/disk.ts';
import { applySchedule, type Fault, type NemesisObserver } from '../../sim/nemesis.ts';
import { Cluster } from '../../sim/cluster.ts';
import { Simulation, SimulationError } from '../../sim/simulation.ts';
import { NemesisWorld } from '../support/nemesis-world.ts';

test('a paused node handles no timer, message or disk completion during the pause and catches up in order after', (t) => {
  const sim = new Simulation({ seed: 1, disk: DISK_PROFILES['hdd-7200'] });
  const seen: string[] = [];
  sim.addNode('a', (runtime) => {
    const tick = (): void => {
      seen.push(`tick ${runtime.now()}`);
      runtime.setTimer(100, tick);
    };
    runtime.setTimer(100, tick);
    runtime.disk.create('/f');
    runtime.disk.append('/f', new Uint8Array(64 << 20)); // a long fsync, done during the pause
    runtime.setTimer(150, () => runtime.disk.fsync('/f', (error?: DiskError) => seen.push(`fsync ${error?.code ?? 'ok'} ${runtime.now()}`)));
    return { onMessage: (_from, message) => seen.push(`${message.type} ${runtime.now()}`) };
  });
  let b: { send(to: string, message: Message): void } | undefined;
  sim.addNode('b', (runtime) => {
    b = runtime;
    return { onMessage: () => {} };
  });
  let fsyncDoneMs = Infinity;
  sim.trace.onEvent((event) => {
    if (event.event === 'disk.fsync') fsyncDoneMs = event.timeMs;
  });
  sim.runUntil(250);
  sim.pause('a');
  t.true(sim.isPaused('a'));
  sim.runUntil(300);
  b!.send('a', { type: 'first', sizeBytes: 10 });
  b!.send('a', { type: 'second', sizeBytes: 10 });
  sim.runUntil(1_000);
  t.deepEqual(seen, ['tick 100', 'tick 200'], 'nothing ran while paused');
  t.true(fsyncDoneMs > 300 && fsyncDoneMs < 1_000, `the device finished the fsync meanwhile, at ${fsyncDoneMs}`);
  sim.resume('a');
  sim.runUntil(1_150);
  // In the order they happened: the timer due at 300, the messages, the fsync's completion; all at 1000.
  t.deepEqual(seen.slice(2, 6), ['tick 1000', 'first 1000', 'second 1000', 'fsync ok 1000']);
  t.deepEqual(seen.slice(6), ['tick 1100']);
  t.throws(() => sim.resume('a'), { instanceOf: SimulationError, message: /not paused/ });
});

test('messages to a paused node queue rather than being refused, and a crash drops what queued', (t) => {
  const world = new NemesisWorld(['a', 'b']);
  world.sim.pause('a');
  for (let n = 0; n < 3; n++) world.send('b', 'a', n);
  world.sim.runFor(5_000);
  t.deepEqual(world.heard, []);
  t.is(world.sim.network.stats().connectionResets, 0, 'the sender saw no refusal');
  world.sim.crash('a');
  t.false(world.sim.isPaused('a'));
  world.sim.restart('a');
  world.sim.runFor(100);
  t.deepEqual(world.heard, [], 'the dead incarnation never ran them');
  t.true(world.reaches('b', 'a'), 'the new incarnation is not paused');
});

test('a pause fault stops its target for the duration and the node catches up at its end', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  applySchedule(world.sim, [{ kind: 'pause', target: 'broker-2', atMs: 100, durationMs: 1_000 }], world, world);
  world.sim.runFor(200);
  world.send('broker-1', 'broker-2', 1);
  world.sim.runFor(500);
  t.deepEqual(world.heard, []);
  world.sim.runFor(500);
  t.deepEqual(world.heard, ['broker-2<-broker-1:1']);
  t.false(world.sim.isPaused('broker-2'));
  t.deepEqual(world.told.map((line) => line.split(' | ')[0]), ['start pause broker-2', 'end pause broker-2']);
});

test('a crash or power loss on brokers hits every broker at once and restarts them all at the end', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2', 'broker-3'], ['controller-101']);
  const durable = world.sim.disk('broker-2');
  world.runtime('broker-2').disk.create('/unsynced');
  world.runtime('broker-2').disk.append('/unsynced', new Uint8Array(10));
  applySchedule(world.sim, [{ kind: 'power-loss', target: 'brokers', atMs: 100, durationMs: 400 }], world, world);
  world.sim.runFor(200);
  t.deepEqual(['broker-1', 'broker-2', 'broker-3', 'controller-101'].map((node) => world.sim.status(node)), ['crashed', 'crashed', 'crashed', 'up']);
  t.false(durable.exists('/unsynced'), 'the page cache was lost');
  world.sim.runFor(400);
  t.deepEqual(['broker-1', 'broker-2', 'broker-3'].map((node) => world.sim.incarnation(node)), [1, 1, 1]);
  t.true(world.sim.nodeIds().every((node) => world.sim.status(node) === 'up'));
});

test('a crash of a node already down is skipped, and only the nodes a fault hit are restarted by it', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  world.sim.crash('broker-1');
  applySchedule(world.sim, [
    { kind: 'crash', target: 'broker-1', atMs: 100, durationMs: 100 },
    { kind: 'crash', target: 'brokers', atMs: 300, durationMs: 100 },
  ], world, world);
  world.sim.runFor(1_000);
  t.deepEqual(world.told, [
    'skip crash broker-1 already down',
    'start crash broker-2 | kill -9 of broker-2; restarted at the end',
    'end crash broker-2',
  ]);
  t.is(world.sim.status('broker-1'), 'crashed', 'someone else put it down');
  t.is(world.sim.status('broker-2'), 'up');
});

test('overlapping crashes: a node stays down until the last fault holding it ends', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  applySchedule(world.sim, [
    { kind: 'crash', target: 'broker-1', atMs: 100, durationMs: 200 },
    { kind: 'disk-full', target: 'broker-1', atMs: 200, durationMs: 500 },
  ], world, world);
  world.sim.runFor(400);
  t.is(world.sim.status('broker-1'), 'crashed', 'the crash ended, but its disk is still full');
  world.sim.runFor(400);
  t.is(world.sim.status('broker-1'), 'up');
  t.is(world.sim.incarnation('broker-1'), 1, 'restarted once');
});

test('oneAtATime waits for health and for the previous fault; the heal skips what has not started', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  let healthy = false;
  const run = applySchedule(world.sim, [
    { kind: 'crash', target: 'broker-1', atMs: 100, durationMs: 300 },
    { kind: 'crash', target: 'broker-2', atMs: 150, durationMs: 300 },
    { kind: 'crash', target: 'broker-2', atMs: 200, durationMs: 300 },
  ], world, world, { oneAtATime: { healthy: () => healthy, pollMs: 50 } });
  world.sim.runFor(500);
  t.deepEqual(world.told, []);
  healthy = true;
  world.sim.runFor(400);
  t.is(world.sim.status('broker-1'), 'up');
  t.is(world.sim.status('broker-2'), 'crashed', 'the second started after the first ended');
  t.deepEqual(run.activeFaults().map((fault) => fault.target), ['broker-2']);
  run.endAll();
  t.is(world.sim.status('broker-2'), 'up');
  t.deepEqual(world.told.map((line) => line.split(' | ')[0]), [
    'start crash broker-1',
    'end crash broker-1',
    'start crash broker-2',
    'end crash broker-2',
    'skip crash the heal came before it started',
  ]);
  world.sim.runFor(2_000);
  t.is(world.told.length, 5, 'nothing after the heal');
});

/** A three-broker cluster with orders-0 led and in sync, and what the nemesis tells it. */
function shutdownWorld(seed: number): { sim: Simulation; cluster: Cluster; told: string[]; observer: NemesisObserver } {
  const sim = new Simulation({ seed });
  const cluster = new Cluster(sim, { brokers: 3, controllers: 1 });
  cluster.start([{ name: 'orders', numPartitions: 1, replicationFactor: 3 }]);
  const told: string[] = [];
  const observer: NemesisObserver = {
    faultStarted: (fault: Fault, nodes, detail) => told.push(`${sim.now()} start ${fault.kind} ${nodes.join(',')} | ${detail}`),
    faultEnded: (fault: Fault, nodes) => told.push(`${sim.now()} end ${fault.kind} ${nodes.join(',')}`),
    faultSkipped: (fault: Fault, why) => told.push(`skip ${fault.kind} ${why}`),
  };
  return { sim, cluster, told, observer };
}

test('a controlled shutdown moves the leadership away, flushes, exits, and the broker starts again at the end', (t) => {
  const { sim, cluster, told, observer } = shutdownWorld(3);
  const leader = cluster.leaderOf('orders', 0)!;
  const lifeEvents: string[] = [];
  sim.trace.onEvent((event) => {
    if (event.node === leader && ['exit', 'crash', 'start'].includes(event.event)) lifeEvents.push(event.event);
  });
  const startMs = sim.now() + 100;
  applySchedule(sim, [{ kind: 'controlled-shutdown', target: 'leader:orders-0', atMs: startMs, durationMs: 10_000 }], cluster, observer);
  sim.runUntil(startMs + 5_000);
  t.is(sim.status(leader), 'crashed', 'the process has exited');
  t.deepEqual(lifeEvents, ['exit'], 'on its own, not killed');
  t.true(sim.disk(leader).exists('/kafka-logs/.kafka_cleanshutdown'), 'after writing the clean-shutdown marker');
  const successor = cluster.leaderOf('orders', 0);
  t.true(successor !== undefined && successor !== leader, `orders-0 is led by ${successor}`);
  sim.runUntil(startMs + 10_001);
  t.is(sim.status(leader), 'up', 'started again at the end');
  t.is(sim.incarnation(leader), 1);
  t.deepEqual(lifeEvents, ['exit', 'start']);
  t.regex(told[0]!, new RegExp(`^${startMs} start controlled-shutdown ${leader} \\| controlled shutdown of ${leader}: leadership moves away`));
  t.is(told[1], `${startMs + 10_000} end controlled-shutdown ${leader}`);
});

test('a controlled shutdown still under way when its fault ends is cut short by a kill -9; a node without one is skipped', (t) => {
  const { sim, cluster, told, observer } = shutdownWorld(4);
  const lifeEvents: string[] = [];
  sim.trace.onEvent((event) => {
    if (event.node === 'broker-2' && ['exit', 'crash', 'start'].includes(event.event)) lifeEvents.push(event.event);
  });
  const startMs = sim.now() + 100;
  applySchedule(sim, [
    { kind: 'controlled-shutdown', target: 'broker-2', atMs: startMs, durationMs: 1 },
    { kind: 'controlled-shutdown', target: 'controller-101', atMs: startMs, durationMs: 1_000 },
  ], cluster, observer);
  sim.runUntil(startMs + 2);
  t.deepEqual(lifeEvents, ['crash', 'start'], 'killed at the end of its fault, then started');
  t.is(sim.status('broker-2'), 'up');
  t.true(told.includes('skip controlled-shutdown controller-101 cannot shut down cleanly: only brokers have a controlled shutdown'), told.join('\n'));
  sim.runFor(5_000);
  t.is(sim.status('broker-2'), 'up', 'the old shutdown does not make the new life exit');
});

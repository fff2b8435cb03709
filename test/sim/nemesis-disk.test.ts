import test from 'ava';
import { DiskError, type Runtime } from '../../engine/runtime.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { applySchedule } from '../../sim/nemesis.ts';
import { Simulation } from '../../sim/simulation.ts';
import { NemesisWorld } from '../support/nemesis-world.ts';
import { batchOf, brokerNode, ReplicationWorld } from '../replication/replication-world.ts';
import { RaftCluster } from '../raft/raft-cluster.ts';

function codeOf(action: () => void): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    if (error instanceof DiskError) return error.code;
    throw error;
  }
}

test('disk-full gives ENOSPC on writes during the fault and clears at its end', (t) => {
  const world = new NemesisWorld(['broker-1', 'broker-2']);
  const disk = (): Runtime['disk'] => world.runtime('broker-1').disk;
  disk().create('/f');
  applySchedule(world.sim, [{ kind: 'disk-full', target: 'broker-1', atMs: 100, durationMs: 500 }], world, world);
  world.sim.runFor(200);
  t.is(codeOf(() => disk().append('/f', new Uint8Array(10))), 'ENOSPC');
  t.is(codeOf(() => world.runtime('broker-2').disk.create('/g')), 'ok', 'only the target disk is full');
  world.sim.runFor(500);
  t.is(codeOf(() => disk().append('/f', new Uint8Array(10))), 'ok');
  t.regex(world.told[0], /^start disk-full broker-1 \| the disk of broker-1 is full/);
});

test('disk-fail fails operations with EIO at its intensity; disk-slow and corrupt reads clear at their end', (t) => {
  const world = new NemesisWorld(['broker-1']);
  const disk = world.runtime('broker-1').disk;
  disk.create('/f');
  disk.append('/f', new Uint8Array(4096));
  applySchedule(world.sim, [
    { kind: 'disk-fail', target: 'broker-1', atMs: 100, durationMs: 100, intensity: 0.25 },
    { kind: 'disk-corrupt-reads', target: 'broker-1', atMs: 300, durationMs: 100, intensity: 1 },
    { kind: 'disk-slow', target: 'broker-1', atMs: 500, durationMs: 100, intensity: 50 },
  ], world, world);
  world.sim.runUntil(150);
  let failed = 0;
  for (let i = 0; i < 400; i++) if (codeOf(() => disk.read('/f', 0, 16)) === 'EIO') failed++;
  t.true(failed > 70 && failed < 130, `${failed} of 400 reads failed`);
  world.sim.runUntil(350);
  t.notDeepEqual([...disk.read('/f', 0, 4096)], new Array(4096).fill(0), 'a bit flipped');
  world.sim.runUntil(550);
  const before = disk.busyUntilMs();
  disk.fsync('/f', () => {});
  const slowMs = disk.busyUntilMs() - Math.max(before, 550);
  world.sim.runUntil(700);
  t.deepEqual([...disk.read('/f', 0, 4096)], new Array(4096).fill(0), 'reads are clean again');
  t.is(codeOf(() => disk.read('/f', 0, 16)), 'ok');
  const quickBefore = Math.max(disk.busyUntilMs(), 700);
  disk.fsync('/f', () => {});
  t.true(slowMs > 10 * (disk.busyUntilMs() - quickBefore), `slow fsync ${slowMs} ms`);
});

test('a process that halts stops at once: its sends, timers and disk writes after the call have no effect', (t) => {
  const sim = new Simulation({ seed: 1 });
  const heard: string[] = [];
  sim.addNode('peer', () => ({ onMessage: (_from, message) => heard.push(message.type) }));
  let fired = false;
  let afterHalt = '';
  sim.addNode('a', (runtime) => ({
    onMessage: () => {
      runtime.disk.create('/before');
      runtime.halt('the log directory failed');
      runtime.send('peer', { type: 'after-halt', sizeBytes: 1 });
      runtime.setTimer(1, () => (fired = true));
      afterHalt = codeOf(() => runtime.disk.create('/after'));
      throw new Error('an error on the way out of a dead process is not a bug');
    },
  }));
  const halts: string[] = [];
  sim.trace.onEvent((event) => {
    if (event.event === 'halt') halts.push(`${event.node} ${event.fields?.reason}`);
  });
  sim.addNode('trigger', (runtime) => {
    runtime.send('a', { type: 'go', sizeBytes: 1 });
    return { onMessage: () => {} };
  });
  sim.runFor(100);
  t.is(sim.status('a'), 'crashed');
  t.deepEqual(halts, ['a the log directory failed']);
  t.deepEqual(heard, []);
  t.false(fired);
  t.is(afterHalt, 'EIO');
  t.true(sim.disk('a').exists('/before'), 'the page cache survives a halt');
  t.false(sim.disk('a').exists('/after'));
});

test('a node whose start fails on its disk halts, and a disk fault restarts the nodes that died during it', (t) => {
  const sim = new Simulation({ seed: 2 });
  sim.addNode('a', (runtime) => {
    runtime.disk.mkdirs('/data'); // fails while the disk does
    return { onMessage: () => {} };
  });
  sim.addNode('b', () => ({ onMessage: () => {} }));
  const world = { brokers: () => ['a', 'b'], controllers: () => [], leaderOf: () => undefined, activeController: () => undefined };
  applySchedule(sim, [
    { kind: 'disk-fail', target: 'a', atMs: 100, durationMs: 1_000 },
    { kind: 'crash', target: 'a', atMs: 200, durationMs: 100 },
  ], world);
  sim.runUntil(250);
  t.is(sim.status('a'), 'crashed');
  sim.runUntil(400);
  t.is(sim.status('a'), 'crashed', 'the disk-fail fault still holds it down');
  t.is(sim.incarnation('a'), 0);
  sim.runUntil(1_200);
  t.is(sim.status('a'), 'up', 'restarted when the disk came back');
  t.is(sim.incarnation('a'), 1);
  sim.crash('a');
  sim.disk('a').failIo();
  sim.restart('a');
  t.is(sim.status('a'), 'crashed', 'a start that fails on its disk is a halt');
});

test('a broker halts on a failed log disk and comes back, its log intact, when the fault ends', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  const acked = world.produce(1, 'orders', 0, batchOf(['a', 'b']), { acks: -1 });
  world.sim.runFor(1_000);
  t.is(world.produceResult(acked)?.errorCode, ErrorCode.NONE);
  const halts: string[] = [];
  world.sim.trace.onEvent((event) => {
    if (event.event === 'halt') halts.push(`${event.node}: ${event.fields?.reason}`);
  });
  const targets = { brokers: () => [1, 2, 3].map(brokerNode), controllers: () => [], leaderOf: () => brokerNode(1), activeController: () => undefined };
  const now = world.sim.now();
  applySchedule(world.sim, [{ kind: 'disk-fail', target: 'leader:orders-0', atMs: now + 100, durationMs: 2_000 }], targets);
  world.sim.runFor(200);
  world.produce(1, 'orders', 0, batchOf(['c']), { acks: -1 });
  world.sim.runFor(500);
  t.is(world.sim.status(brokerNode(1)), 'crashed');
  t.is(halts.length, 1);
  t.regex(halts[0], /^broker-1: log directory \/kafka-logs failed: EIO: /);
  world.sim.runFor(2_000);
  t.is(world.sim.status(brokerNode(1)), 'up', 'restarted at the end of the fault');
  t.deepEqual(world.logValues(1, 'orders', 0).slice(0, 2), ['a', 'b'], 'what it had survives (a halt keeps the page cache)');
});

test('a controller halts when its metadata log cannot be written', (t) => {
  const cluster = new RaftCluster({ seed: 3, voters: 3 });
  const leader = cluster.runUntilLeader(5_000)!;
  t.truthy(leader);
  const halts: string[] = [];
  cluster.sim.trace.onEvent((event) => {
    if (event.event === 'halt') halts.push(`${event.node}: ${event.fields?.reason}`);
  });
  const targets = { brokers: () => [], controllers: () => cluster.voterNodes, leaderOf: () => undefined, activeController: () => leader };
  const now = cluster.sim.now();
  applySchedule(cluster.sim, [{ kind: 'disk-fail', target: 'active-controller', atMs: now + 10, durationMs: 1_000 }], targets);
  cluster.sim.runFor(20);
  // The append itself sees the EIO (here, outside any event, it reaches the caller) and the process halts.
  t.is(codeOf(() => cluster.append([1, 2, 3])), 'EIO');
  t.is(cluster.sim.status(leader), 'crashed');
  t.deepEqual(halts.map((line) => line.split(':')[0]), [leader]);
  t.regex(halts[0], /metadata log directory .* failed: EIO/);
  const newLeader = cluster.runUntilLeader(5_000);
  t.truthy(newLeader);
  t.not(newLeader, leader);
  cluster.sim.runFor(2_000);
  t.is(cluster.sim.status(leader), 'up', 'restarted at the end of the fault');
});

import test from 'ava';
import { applySchedule, type Fault } from '../../sim/nemesis.ts';
import { NemesisWorld } from '../support/nemesis-world.ts';

const BROKERS = ['broker-1', 'broker-2', 'broker-3'];
const CONTROLLERS = ['controller-101', 'controller-102'];

function world(faults: readonly Fault[], clients: readonly string[] = []): NemesisWorld {
  const w = new NemesisWorld(BROKERS, CONTROLLERS, clients);
  applySchedule(w.sim, faults, w, w);
  w.sim.runFor(150); // every test's fault starts at 100
  return w;
}

test('a bridge node reaches both halves while the halves do not reach each other', (t) => {
  const w = world([{ kind: 'bridge', target: 'broker-2', atMs: 100, durationMs: 10_000 }]);
  // The others, in name order, alternate: broker-1, controller-101 | broker-3, controller-102.
  t.regex(w.told[0], /\| broker-1, controller-101 \| broker-3, controller-102, bridged by broker-2/);
  for (const node of ['broker-1', 'broker-3', 'controller-101', 'controller-102']) {
    t.true(w.reaches('broker-2', node), `bridge -> ${node}`);
    t.true(w.reaches(node, 'broker-2'), `${node} -> bridge`);
  }
  t.true(w.reaches('broker-1', 'controller-101'), 'within a half');
  t.false(w.reaches('broker-1', 'broker-3'), 'across the halves');
  t.false(w.reaches('controller-102', 'controller-101'), 'across the halves');
});

test('split-halves puts the target on one side and the rest of the cluster on the other; clients reach both', (t) => {
  const w = world([{ kind: 'split-halves', target: 'broker-1,controller-101', atMs: 100, durationMs: 10_000 }], ['producer-1']);
  t.true(w.reaches('broker-1', 'controller-101'));
  t.true(w.reaches('broker-2', 'controller-102'));
  t.false(w.reaches('broker-1', 'broker-2'));
  t.false(w.reaches('controller-102', 'controller-101'));
  t.true(w.reaches('producer-1', 'broker-1') && w.reaches('producer-1', 'broker-3'));
});

test('isolate cuts the target off from every node, clients included, until the fault ends', (t) => {
  const w = world([{ kind: 'isolate', target: 'broker-3', atMs: 100, durationMs: 1_000 }], ['producer-1']);
  t.false(w.reaches('producer-1', 'broker-3'));
  t.false(w.reaches('broker-3', 'controller-101'));
  t.true(w.reaches('broker-1', 'controller-101'));
  w.sim.runUntil(1_200);
  // The held message goes through at the flow's next retransmission (TCP's backoff), the new one behind it.
  t.true(w.reaches('broker-3', 'controller-101', 1_000), 'healed at the end');
});

test('one-way partitions block only the named direction', (t) => {
  const inward = world([{ kind: 'partition-one-way-in', target: 'broker-1', atMs: 100, durationMs: 10_000 }]);
  t.false(inward.reaches('broker-2', 'broker-1'));
  t.true(inward.reaches('broker-1', 'broker-3'));
  const outward = world([{ kind: 'partition-one-way-out', target: 'broker-1', atMs: 100, durationMs: 10_000 }]);
  t.true(outward.reaches('broker-2', 'broker-1'));
  t.false(outward.reaches('broker-1', 'broker-3'));
});

test('packet loss drops about the intensity of transmissions on the target links, and only there', (t) => {
  const w = world([{ kind: 'packet-loss', target: 'broker-1', atMs: 100, durationMs: 1_000_000, intensity: 0.3 }]);
  for (let n = 0; n < 2_000; n++) {
    w.send('broker-2', 'broker-1', n);
    w.send('broker-2', 'broker-3', n);
  }
  w.sim.runFor(600_000);
  const lossy = w.sim.network.linkStats('broker-2', 'broker-1');
  const clean = w.sim.network.linkStats('broker-2', 'broker-3');
  t.is(lossy.messagesDelivered + lossy.messagesDropped, 2_000);
  const lostShare = lossy.retransmissions / (lossy.messagesDelivered + lossy.retransmissions);
  t.true(lostShare > 0.27 && lostShare < 0.33, `lost share ${lostShare}`);
  t.is(clean.retransmissions, 0);
  t.is(clean.messagesDelivered, 2_000);
});

test('a latency spike adds its milliseconds on the target links and ends cleanly', (t) => {
  const w = world([{ kind: 'latency-spike', target: 'broker-1', atMs: 100, durationMs: 2_000, intensity: 300 }]);
  t.false(w.reaches('broker-1', 'broker-2', 250));
  w.sim.runFor(100);
  t.true(w.heard.some((line) => line.startsWith('broker-2<-broker-1:')), 'late, not lost');
  t.true(w.reaches('broker-2', 'broker-3', 20), 'other links are fast');
  w.sim.runUntil(2_200);
  t.true(w.reaches('broker-1', 'broker-2', 20), 'fast again after the end');
  t.deepEqual(w.told.map((line) => line.split(' | ')[0]), ['start latency-spike broker-1', 'end latency-spike broker-1']);
});

test('a slow link slows the links between the nodes it names, both ways, and no other link of theirs', (t) => {
  const w = world([{ kind: 'slow-link', target: 'broker-1,broker-2', atMs: 100, durationMs: 2_000, intensity: 300 }], ['producer-1']);
  t.regex(w.told[0], /^start slow-link broker-1,broker-2 \| \+300 ms one way on the link broker-1 <-> broker-2$/);
  t.false(w.reaches('broker-1', 'broker-2', 250));
  t.false(w.reaches('broker-2', 'broker-1', 250));
  for (const [from, to] of [['broker-1', 'broker-3'], ['broker-2', 'controller-101'], ['producer-1', 'broker-1']]) {
    t.true(w.reaches(from!, to!, 20), `${from} -> ${to} is fast`);
  }
  w.sim.runUntil(2_200);
  t.true(w.reaches('broker-1', 'broker-2', 20), 'fast again after the end');
  t.is(w.told[1], 'end slow-link broker-1,broker-2');
});

test('a slow link whose ends are one node at the time it starts is skipped, saying why', (t) => {
  const w = new NemesisWorld(BROKERS, CONTROLLERS);
  w.leader = 'broker-2';
  applySchedule(w.sim, [{ kind: 'slow-link', target: 'leader:orders-0,broker-2', atMs: 100, durationMs: 500 }], w, w);
  w.sim.runFor(150);
  t.deepEqual(w.told, ['skip slow-link a slow link needs two nodes, and broker-2 is one now']);
});

test('overlapping network faults end independently: the end of one keeps the other in effect', (t) => {
  const w = world([
    { kind: 'isolate', target: 'broker-1', atMs: 100, durationMs: 1_000 },
    { kind: 'split-halves', target: 'broker-1,broker-2', atMs: 100, durationMs: 5_000 },
  ]);
  t.false(w.reaches('broker-1', 'broker-2'));
  w.sim.runUntil(1_200);
  t.true(w.reaches('broker-1', 'broker-2', 1_000), 'the isolation ended, both are on the same side');
  t.false(w.reaches('broker-1', 'broker-3'), 'the split still holds');
  w.sim.runUntil(5_200);
  t.true(w.reaches('broker-1', 'broker-3', 5_000));
  t.deepEqual(w.told.map((line) => line.split(' | ')[0]), ['start isolate broker-1', 'start split-halves broker-1,broker-2', 'end isolate broker-1', 'end split-halves broker-1,broker-2']);
});

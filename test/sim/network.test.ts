import test from 'ava';
import type { Message, NodeId } from '../../engine/runtime.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { RandomStreams } from '../../sim/random.ts';
import {
  NETWORK_PROFILES,
  NetworkError,
  SimNetwork,
  UnknownNodeError,
  gbitPerSecond,
} from '../../sim/network.ts';
import type { NetworkProfile } from '../../sim/network.ts';

interface TestMessage extends Message {
  readonly seq: number;
}

interface Delivery {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly seq: number;
  readonly atMs: number;
}

interface Reset {
  readonly node: NodeId;
  readonly peer: NodeId;
  readonly atMs: number;
}

const CONSTANT_LAN: NetworkProfile = {
  ...NETWORK_PROFILES['lan-1g'],
  name: 'constant-lan',
  latency: { kind: 'constant', ms: 0.1 },
};

function world(options: { seed?: number; profile?: NetworkProfile; nodes?: NodeId[] } = {}) {
  const scheduler = new Scheduler();
  const random = new RandomStreams(options.seed ?? 1).stream('network');
  const network = new SimNetwork({ scheduler, random, profile: options.profile ?? CONSTANT_LAN });
  const deliveries: Delivery[] = [];
  const resets: Reset[] = [];
  for (const id of options.nodes ?? ['a', 'b', 'c']) {
    network.attach(id, {
      deliver: (from, message) =>
        deliveries.push({ from, to: id, seq: (message as TestMessage).seq, atMs: scheduler.now() }),
      connectionReset: (peer) => resets.push({ node: id, peer, atMs: scheduler.now() }),
    });
  }
  let nextSeq = 0;
  const send = (from: NodeId, to: NodeId, sizeBytes = 100): number => {
    const seq = nextSeq++;
    const message: TestMessage = { type: 'test', sizeBytes, seq };
    network.send(from, to, message);
    return seq;
  };
  const between = (from: NodeId, to: NodeId) => deliveries.filter((d) => d.from === from && d.to === to);
  return { scheduler, network, deliveries, resets, send, between };
}

function isIncreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i] > values[i - 1])) return false;
  return true;
}

function countersAddUp(network: SimNetwork): boolean {
  const stats = network.stats();
  return stats.messagesSent === stats.messagesDelivered + stats.messagesDropped + network.queuedMessages();
}

test('messages on a connection arrive in send order under widely varying latency', (t) => {
  const profile: NetworkProfile = {
    ...NETWORK_PROFILES['lan-10g'],
    latency: { kind: 'lognormal', medianMs: 1, sigma: 1.5 },
  };
  const { scheduler, network, send, between } = world({ profile, seed: 7 });
  const sentAt = new Map<number, number>();
  const pairs: [NodeId, NodeId][] = [['a', 'b'], ['b', 'a'], ['c', 'b'], ['a', 'c']];
  for (let i = 0; i < 2000; i++) {
    const [from, to] = pairs[i % pairs.length];
    scheduler.at(i * 0.05, () => sentAt.set(send(from, to), scheduler.now()));
  }
  scheduler.run();
  const transitMs: number[] = [];
  for (const [from, to] of pairs) {
    const arrived = between(from, to);
    t.is(arrived.length, 500, `${from} -> ${to} delivered everything`);
    t.true(isIncreasing(arrived.map((d) => d.seq)), `${from} -> ${to} kept send order`);
    for (const d of arrived) transitMs.push(d.atMs - (sentAt.get(d.seq) ?? NaN));
  }
  // The latencies really were spread far wider than the send spacing, so FIFO had work to do.
  t.true(Math.max(...transitMs) > 20 * Math.min(...transitMs));
  t.true(countersAddUp(network));
});

test('a flow keeps a single pending scheduler event however many messages it holds', (t) => {
  const { scheduler, send } = world();
  for (let i = 0; i < 1000; i++) send('a', 'b');
  t.is(scheduler.pendingCount(), 1);
  scheduler.run();
  t.is(scheduler.pendingCount(), 0);
});

test('a 1 MiB message on 1 Gbit/s occupies the NIC ~8.4 ms and delays a small message behind it', (t) => {
  const { scheduler, network, send, between } = world();
  send('a', 'b', 1024 * 1024);
  send('a', 'c', 100);
  t.true(Math.abs(network.egressBacklogMs('a') - 8.3894) < 0.001);
  scheduler.run();
  const transmitMs = (1024 * 1024) / gbitPerSecond(1);
  t.true(Math.abs(transmitMs - 8.388608) < 1e-9);
  t.true(Math.abs(between('a', 'b')[0].atMs - (transmitMs + 0.1)) < 1e-9);
  t.true(Math.abs(between('a', 'c')[0].atMs - (transmitMs + 100 / 125_000 + 0.1)) < 1e-9);

  // Alone, the same small message takes its transmission time plus latency.
  const alone = world();
  alone.send('a', 'c', 100);
  alone.scheduler.run();
  t.true(Math.abs(alone.between('a', 'c')[0].atMs - 0.1008) < 1e-9);
});

test('a blocked direction holds messages, and a heal delivers them in order at the next retransmission', (t) => {
  const { scheduler, network, deliveries, resets, send } = world();
  network.block('a', 'b');
  for (let i = 0; i < 5; i++) send('a', 'b');
  scheduler.runUntil(1000);
  t.is(deliveries.length, 0);
  t.true(network.linkStats('a', 'b').stalled);
  t.is(network.linkStats('a', 'b').queuedMessages, 5);
  network.heal();
  scheduler.run();
  // The head was first due at 0.1008 ms; retransmissions follow 200, 400 and 800 ms apart: the one sent at
  // 1400.1008 ms is the first after the heal, and arrives one latency later, the rest right behind it.
  t.deepEqual(deliveries.map((d) => d.seq), [0, 1, 2, 3, 4]);
  for (const d of deliveries) t.true(Math.abs(d.atMs - 1400.2008) < 1e-9, `delivered at ${d.atMs}`);
  t.is(network.linkStats('a', 'b').retransmissions, 3);
  t.deepEqual(resets, []);
  t.true(countersAddUp(network));
});

test('a partition longer than the connection timeout resets both ends and drops the held messages', (t) => {
  const { scheduler, network, deliveries, resets, send, between } = world();
  network.partition(['a'], ['b']);
  for (let i = 0; i < 3; i++) send('a', 'b');
  send('b', 'a');
  send('a', 'c');
  scheduler.runUntil(40_000);
  t.deepEqual(
    resets.map((r) => [r.node, r.peer]),
    [['a', 'b'], ['b', 'a']],
  );
  t.true(Math.abs(resets[0].atMs - (0.1008 + 30_000)) < 1e-6);
  t.is(between('a', 'c').length, 1, 'the unpartitioned pair is not affected');
  t.is(deliveries.length, 1);
  t.is(network.stats().messagesDropped, 4);
  t.is(network.stats().connectionResets, 1);
  t.true(countersAddUp(network));

  network.heal();
  send('a', 'b');
  scheduler.run();
  t.is(between('a', 'b').length, 1, 'a new connection works after the heal');
  t.is(resets.length, 2);
});

test('a one-way partition blocks only its direction, yet the connection resets both ends after the timeout', (t) => {
  const { scheduler, network, resets, send, between } = world();
  network.partition(['a'], ['b'], { oneWay: true });
  t.true(network.isBlocked('a', 'b'));
  t.false(network.isBlocked('b', 'a'));
  send('a', 'b');
  send('b', 'a');
  scheduler.runUntil(1000);
  t.is(between('a', 'b').length, 0);
  t.is(between('b', 'a').length, 1);
  scheduler.runUntil(40_000);
  t.deepEqual(
    resets.map((r) => [r.node, r.peer]),
    [['a', 'b'], ['b', 'a']],
  );
  t.is(network.stats().messagesDropped, 1);
});

test('data sent against a one-way block is delivered, but its lost ACKs reset the connection after the timeout', (t) => {
  const { scheduler, network, resets, send, between } = world();
  network.block('a', 'b');
  send('b', 'a');
  scheduler.runUntil(1000);
  t.is(between('b', 'a').length, 1);
  t.deepEqual(resets, []);
  scheduler.runUntil(40_000);
  t.deepEqual(resets.map((r) => [r.node, r.peer]), [['a', 'b'], ['b', 'a']]);
  t.true(Math.abs(resets[0].atMs - (0.1008 + 30_000)) < 1e-6);
});

test('healing a one-way block in time keeps the connection whose ACKs it blocked', (t) => {
  const { scheduler, network, resets, send } = world();
  network.block('a', 'b');
  send('b', 'a');
  scheduler.runUntil(10_000);
  network.unblock('a', 'b');
  scheduler.runUntil(60_000);
  t.deepEqual(resets, []);
});

test('an idle connection survives a partition: nothing is sent, nothing times out', (t) => {
  const { scheduler, network, resets, send, between } = world();
  send('a', 'b');
  scheduler.run();
  network.isolate('a');
  scheduler.runUntil(100_000);
  network.heal();
  send('a', 'b');
  scheduler.run();
  t.deepEqual(resets, []);
  t.is(between('a', 'b').length, 2);
});

test('splitHalves and isolate block exactly the directions between the sides', (t) => {
  const { network } = world({ nodes: ['n1', 'n2', 'n3', 'n4', 'n5'] });
  network.splitHalves();
  t.false(network.isBlocked('n1', 'n3'));
  t.true(network.isBlocked('n3', 'n4'));
  t.true(network.isBlocked('n4', 'n2'));
  t.false(network.isBlocked('n4', 'n5'));
  network.heal();
  network.isolate('n5');
  for (const other of ['n1', 'n2', 'n3', 'n4']) {
    t.true(network.isBlocked('n5', other));
    t.true(network.isBlocked(other, 'n5'));
  }
  t.false(network.isBlocked('n1', 'n2'));
});

test('packet loss delivers messages late but in order, without a reset', (t) => {
  const { scheduler, network, resets, send, between } = world({ seed: 3 });
  network.setLoss('a', 'b', 0.2);
  const sentAt: number[] = [];
  for (let i = 0; i < 500; i++) scheduler.at(i, () => (sentAt[send('a', 'b')] = scheduler.now()));
  scheduler.run();
  const arrived = between('a', 'b');
  t.is(arrived.length, 500);
  t.true(isIncreasing(arrived.map((d) => d.seq)));
  const late = arrived.filter((d) => d.atMs - sentAt[d.seq] >= 200);
  t.true(late.length > 50, `${late.length} late messages`);
  t.true(network.stats().retransmissions > 50);
  t.deepEqual(resets, []);
});

test('a path that loses every packet resets the connection after the timeout', (t) => {
  const { scheduler, network, resets, send } = world();
  network.setGlobalLoss(1);
  send('a', 'b');
  scheduler.run();
  t.is(resets.length, 2);
  t.true(Math.abs(resets[0].atMs - (0.1008 + 30_000)) < 1e-6);
  t.is(network.stats().messagesDropped, 1);
});

test('a latency spike adds its extra milliseconds and multiplier to one direction only', (t) => {
  const { scheduler, network, send, between } = world();
  network.setExtraLatency('a', 'b', 50, 3);
  send('a', 'b');
  send('b', 'a');
  scheduler.run();
  t.true(Math.abs(between('a', 'b')[0].atMs - (0.0008 + 0.3 + 50)) < 1e-9);
  t.true(Math.abs(between('b', 'a')[0].atMs - 0.1008) < 1e-9);
});

test('clearing the faults removes blocks, loss and spikes, and leaves the configured latency and loss', (t) => {
  const { scheduler, network, send, between } = world();
  network.setGlobalExtraLatency(40);
  network.setGlobalLoss(0);
  network.setLatency('a', 'c', { kind: 'constant', ms: 7 });
  network.setExtraLatency('a', 'b', 500);
  network.setLoss('a', 'b', 1);
  network.block('b', 'a');
  network.clearFaults();
  t.false(network.isBlocked('b', 'a'));
  send('a', 'b');
  send('a', 'c');
  scheduler.run();
  // Configuration kept: 40 ms more on every direction, 7 ms on a -> c; the spike and the loss are gone.
  t.true(Math.abs(between('a', 'b')[0].atMs - (0.0008 + 0.1 + 40)) < 1e-9, `a -> b at ${between('a', 'b')[0].atMs}`);
  t.true(Math.abs(between('a', 'c')[0].atMs - (0.0016 + 7 + 40)) < 1e-9, `a -> c at ${between('a', 'c')[0].atMs}`);
  t.is(network.stats().retransmissions, 0);
});

test('a node that is down gets nothing, its peers hear the reset, and a later send to it is refused', (t) => {
  const { scheduler, network, deliveries, resets, send, between } = world();
  send('a', 'b');
  send('c', 'b');
  scheduler.runUntil(0.05);
  network.down('b');
  t.deepEqual(resets.map((r) => [r.node, r.peer]), [['a', 'b'], ['c', 'b']]);
  send('a', 'b');
  send('b', 'a');
  scheduler.runUntil(10_000);
  t.deepEqual(deliveries, []);
  t.is(network.stats().messagesDropped, 4);
  t.true(countersAddUp(network));

  network.up('b');
  send('a', 'b');
  scheduler.run();
  t.is(between('a', 'b').length, 1);
  // The send from a while b was down was refused one round trip later: a third reset, heard by a alone.
  t.deepEqual(resets.map((r) => [r.node, r.peer]), [['a', 'b'], ['c', 'b'], ['a', 'b']]);
});

test('re-attaching a node that is up resets its connections first', (t) => {
  const { scheduler, network, resets, send } = world();
  send('a', 'b');
  scheduler.run();
  network.attach('b', { deliver: () => {}, connectionReset: () => {} });
  t.deepEqual(resets.map((r) => [r.node, r.peer]), [['a', 'b']]);
  t.true(network.isUp('b'));
});

test('link stats count the queue depth behind a busy NIC', (t) => {
  const { scheduler, network, send } = world();
  for (let i = 0; i < 10; i++) send('a', 'b', 125_000); // 1 ms each on 1 Gbit/s
  t.is(network.linkStats('a', 'b').queuedMessages, 10);
  t.is(network.linkStats('a', 'b').queuedBytes, 1_250_000);
  scheduler.runUntil(5.5);
  t.is(network.linkStats('a', 'b').queuedMessages, 5);
  scheduler.run();
  const stats = network.linkStats('a', 'b');
  t.is(stats.maxQueuedMessages, 10);
  t.is(stats.messagesDelivered, 10);
  t.is(stats.bytesDelivered, 1_250_000);
  t.is(network.linkStats('b', 'a').messagesSent, 0);
});

function deliveryTimes(seed: number): number[] {
  const profile: NetworkProfile = NETWORK_PROFILES['cross-az'];
  const { scheduler, network, deliveries, send } = world({ seed, profile });
  network.setGlobalLoss(0.05);
  for (let i = 0; i < 300; i++) {
    scheduler.at(i * 0.5, () => send(i % 2 === 0 ? 'a' : 'b', i % 3 === 0 ? 'c' : i % 2 === 0 ? 'b' : 'a', 1000 + i));
  }
  scheduler.run();
  return deliveries.map((d) => d.atMs);
}

test('the same seed gives the same delivery times, and another seed differs', (t) => {
  const first = deliveryTimes(42);
  t.is(first.length, 300);
  t.deepEqual(deliveryTimes(42), first);
  t.notDeepEqual(deliveryTimes(43), first);
});

test('misuse is a clear error: unknown nodes, self-sends, bad settings and profiles', (t) => {
  const { network } = world();
  const unknown = t.throws(() => network.send('a', 'zz', { type: 'x', sizeBytes: 1 }), { instanceOf: UnknownNodeError });
  t.is(unknown?.nodeId, 'zz');
  t.throws(() => network.send('a', 'a', { type: 'x', sizeBytes: 1 }), { instanceOf: NetworkError, message: /itself/ });
  t.throws(() => network.setLoss('a', 'b', 1.5), { instanceOf: NetworkError, message: /probability/ });
  t.throws(() => network.setExtraLatency('a', 'b', -1), { instanceOf: NetworkError, message: /extraMs/ });
  t.throws(
    () =>
      new SimNetwork({
        scheduler: new Scheduler(),
        random: new RandomStreams(1).stream('network'),
        profile: { ...CONSTANT_LAN, bandwidthBytesPerMs: 0 },
      }),
    { instanceOf: NetworkError, message: /bandwidthBytesPerMs/ },
  );
});

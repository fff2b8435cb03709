import test from 'ava';
import type { Message, NodeHandlers, Runtime } from '../../engine/runtime.ts';
import { Simulation, SimulationError } from '../../sim/simulation.ts';

interface Ping extends Message { readonly type: 'ping'; readonly n: number }
const ping = (n: number): Ping => ({ type: 'ping', sizeBytes: 100, n });

/** A node that records what it hears and remembers its runtime. */
function recorder(log: string[], runtimes: Runtime[]) {
  return (runtime: Runtime): NodeHandlers => {
    runtimes.push(runtime);
    return {
      onMessage: (from, message) => log.push(`${runtime.nodeId}<-${from}:${(message as Ping).n}`),
      onConnectionReset: (peer) => log.push(`${runtime.nodeId} reset ${peer}`),
    };
  };
}

test('messages between nodes arrive in order after a network latency', (t) => {
  const sim = new Simulation({ seed: 1 });
  const log: string[] = [];
  const runtimes: Runtime[] = [];
  sim.addNode('a', recorder(log, runtimes));
  sim.addNode('b', recorder(log, runtimes));
  for (let n = 0; n < 5; n++) runtimes[0].send('b', ping(n));
  sim.runFor(10);
  t.deepEqual(log, ['b<-a:0', 'b<-a:1', 'b<-a:2', 'b<-a:3', 'b<-a:4']);
});

test('a crashed node runs none of its timers and a restart builds a new incarnation on the same disk', (t) => {
  const sim = new Simulation({ seed: 2 });
  const fired: string[] = [];
  let starts = 0;
  sim.addNode('a', (runtime) => {
    const incarnation = starts++;
    if (!runtime.disk.exists('/marker')) runtime.disk.create('/marker');
    runtime.disk.append('/marker', new Uint8Array([incarnation]));
    runtime.setTimer(100, () => fired.push(`timer of incarnation ${incarnation}`));
    return { onMessage: () => {} };
  });
  sim.runFor(50);
  sim.crash('a');
  t.is(sim.status('a'), 'crashed');
  sim.runFor(100);
  t.deepEqual(fired, []);
  sim.restart('a');
  sim.runFor(200);
  t.deepEqual(fired, ['timer of incarnation 1']);
  t.deepEqual([...sim.disk('a').read('/marker', 0, 10)], [0, 1], 'kill -9 keeps the page cache');
});

test('an fsync issued before a crash never calls back into the next incarnation', (t) => {
  const sim = new Simulation({ seed: 3 });
  const callbacks: number[] = [];
  let starts = 0;
  sim.addNode('a', (runtime) => {
    const incarnation = starts++;
    if (incarnation === 0) {
      runtime.disk.create('/f');
      runtime.disk.append('/f', new Uint8Array(1 << 20));
      runtime.disk.fsync('/f', () => callbacks.push(incarnation));
    }
    return { onMessage: () => {} };
  });
  sim.crash('a');
  sim.restart('a');
  sim.runFor(1000);
  t.deepEqual(callbacks, []);
});

test('a power loss keeps only durable bytes', (t) => {
  const sim = new Simulation({ seed: 4 });
  const done: boolean[] = [];
  sim.addNode('a', (runtime) => {
    if (!runtime.disk.exists('/f')) {
      runtime.disk.create('/f');
      runtime.disk.append('/f', new Uint8Array(1000).fill(1));
      runtime.disk.fsync('/f', (error) => {
        done.push(error === undefined);
        runtime.disk.append('/f', new Uint8Array(1000).fill(2)); // never synced
      });
    }
    return { onMessage: () => {} };
  });
  sim.runFor(100);
  t.deepEqual(done, [true]);
  sim.powerLoss('a');
  const size = sim.disk('a').size('/f');
  t.true(size >= 1000 && size <= 2000, `the synced 1000 bytes survive, size ${size}`);
  t.deepEqual([...sim.disk('a').read('/f', 0, 1000)], new Array(1000).fill(1));
});

test('a partition stops messages and a crash of a peer resets its connections', (t) => {
  const sim = new Simulation({ seed: 5 });
  const log: string[] = [];
  const runtimes: Runtime[] = [];
  for (const id of ['a', 'b', 'c']) sim.addNode(id, recorder(log, runtimes));
  sim.partition(['a'], ['b']);
  runtimes[0].send('b', ping(1));
  runtimes[0].send('c', ping(2));
  sim.runFor(100);
  t.deepEqual(log, ['c<-a:2']);
  sim.heal();
  sim.runFor(1000);
  t.true(log.includes('b<-a:1'), 'held messages arrive after the heal');
  sim.crash('c');
  t.true(log.includes('a reset c'), 'the crashed peer resets connections');
});

test('a heal removes the faults and keeps the configuration: a global extra latency set before the run stays', (t) => {
  const sim = new Simulation({ seed: 5 });
  const log: string[] = [];
  const runtimes: Runtime[] = [];
  for (const id of ['a', 'b']) sim.addNode(id, recorder(log, runtimes));
  sim.network.setGlobalExtraLatency(200);
  sim.partition(['a'], ['b']);
  sim.heal();
  runtimes[0].send('b', ping(1));
  sim.runFor(150);
  t.deepEqual(log, [], 'still 200 ms on every link after the heal');
  sim.runFor(100);
  t.deepEqual(log, ['b<-a:1']);
});

test('verbs on unknown nodes or in the wrong state say what is wrong', (t) => {
  const sim = new Simulation({ seed: 6 });
  sim.addNode('a', () => ({ onMessage: () => {} }));
  t.throws(() => sim.crash('zzz'), { instanceOf: SimulationError, message: /no node named zzz; nodes are a/ });
  t.throws(() => sim.restart('a'), { instanceOf: SimulationError, message: /it is up/ });
  t.throws(() => sim.addNode('a', () => ({ onMessage: () => {} })), { instanceOf: SimulationError });
});

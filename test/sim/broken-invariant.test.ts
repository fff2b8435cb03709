// A broken engine invariant leaves a node's event as a BrokenInvariant naming the node, the time and the
// event; any other error leaves as it is.
import test from 'ava';
import { InvariantViolation } from '../../engine/invariants.ts';
import type { Message, NodeHandlers, Runtime } from '../../engine/runtime.ts';
import { asBrokenInvariant, BrokenInvariant } from '../../sim/broken-invariant.ts';
import { Simulation } from '../../sim/simulation.ts';

const violation = (): InvariantViolation => new InvariantViolation('high-watermark-within-log', 'orders-0', 'high watermark 9 outside [log start 0, log end 4]');
const fetch: Message = { type: 'Fetch', sizeBytes: 100 };

/** Two nodes: `a` holds its runtime for the test to drive; `b` runs `onMessage` on every message. */
function world(onMessage: NodeHandlers['onMessage'], start?: (runtime: Runtime) => void): { sim: Simulation; a: Runtime } {
  const sim = new Simulation({ seed: 1 });
  let a: Runtime | undefined;
  sim.addNode('a', (runtime) => {
    a = runtime;
    return { onMessage: () => {} };
  });
  sim.addNode('b', (runtime) => {
    start?.(runtime);
    return { onMessage };
  });
  return { sim, a: a! };
}

test('a violation in a message handler names the node, the time and the message with its sender', (t) => {
  const { sim, a } = world(() => {
    throw violation();
  });
  sim.runFor(100);
  a.send('b', fetch);
  const error = t.throws(() => sim.runFor(100), { instanceOf: BrokenInvariant });
  t.is(error.node, 'b');
  t.is(error.incarnation, 0);
  t.is(error.event, 'a Fetch message from a');
  t.true(error.timeMs > 100 && error.timeMs < 200, `at ${error.timeMs}`);
  t.is(error.violation.invariant, 'high-watermark-within-log');
  t.is(error.violation.subject, 'orders-0');
  t.regex(error.message, /invariant high-watermark-within-log broken on b at [\d.]+ ms while handling a Fetch message from a, for orders-0/);
});

test('a violation in a timer says it was a timer, at the timer\'s time', (t) => {
  const { sim } = world(() => {}, (runtime) => {
    runtime.setTimer(250, () => {
      throw violation();
    });
  });
  const error = t.throws(() => sim.runFor(1_000), { instanceOf: BrokenInvariant });
  t.is(error.node, 'b');
  t.is(error.event, 'a timer');
  t.is(error.timeMs, 250);
});

test('a violation in a message that waited out a pause is still named for its message', (t) => {
  const { sim, a } = world(() => {
    throw violation();
  });
  sim.pause('b');
  a.send('b', fetch);
  sim.runFor(100);
  sim.resume('b');
  const error = t.throws(() => sim.runFor(10), { instanceOf: BrokenInvariant });
  t.is(error.event, 'a Fetch message from a');
});

test('a violation in a disk completion and in a restart are named as such, with the life of the node', (t) => {
  const sim = new Simulation({ seed: 2 });
  let starts = 0;
  sim.addNode('b', (runtime) => {
    if (starts++ === 1) throw violation();
    runtime.disk.create('/f');
    runtime.disk.append('/f', new Uint8Array(10));
    runtime.disk.fsync('/f', () => {
      throw violation();
    });
    return { onMessage: () => {} };
  });
  const fsync = t.throws(() => sim.runFor(1_000), { instanceOf: BrokenInvariant });
  t.is(fsync.event, 'a disk completion (fsync)');
  sim.crash('b');
  const restart = t.throws(() => sim.restart('b'), { instanceOf: BrokenInvariant });
  t.is(restart.event, 'its start (recovery from disk)');
  t.is(restart.incarnation, 1);
});

test('any other error leaves the event as it is: a plain bug fails loudly', (t) => {
  const { sim, a } = world(() => {
    throw new TypeError('undefined is not a function');
  });
  a.send('b', fetch);
  t.throws(() => sim.runFor(100), { instanceOf: TypeError, message: 'undefined is not a function' });
});

test('a violation outside any node event (the harness calling the engine) is still a broken invariant, with no node', (t) => {
  const broken = asBrokenInvariant(violation(), 1234);
  t.true(broken instanceof BrokenInvariant);
  t.is(broken!.node, null);
  t.is(broken!.timeMs, 1234);
  t.regex(broken!.message, /^invariant high-watermark-within-log broken outside any node at 1234 ms/);
  t.is(asBrokenInvariant(new RangeError('no'), 0), null, 'anything else is not one');
});

import test from 'ava';
import { Scheduler, SchedulerError } from '../../sim/scheduler.ts';

test('events run in time order and ties run in the order they were scheduled', (t) => {
  const scheduler = new Scheduler();
  const order: string[] = [];
  scheduler.at(5, () => order.push('5a'));
  scheduler.at(1, () => order.push('1a'));
  scheduler.at(5, () => order.push('5b'));
  scheduler.at(1, () => order.push('1b'));
  scheduler.at(0, () => order.push('0'));
  scheduler.run();
  t.deepEqual(order, ['0', '1a', '1b', '5a', '5b']);
  t.is(scheduler.now(), 5);
  t.is(scheduler.eventCount(), 5);
});

test('the clock jumps to each event and an event may schedule more at the same time', (t) => {
  const scheduler = new Scheduler();
  const seen: Array<[string, number]> = [];
  scheduler.after(10, () => {
    seen.push(['outer', scheduler.now()]);
    scheduler.after(0, () => seen.push(['inner', scheduler.now()]));
    scheduler.after(2.5, () => seen.push(['later', scheduler.now()]));
  });
  scheduler.run();
  t.deepEqual(seen, [['outer', 10], ['inner', 10], ['later', 12.5]]);
});

test('a cancelled event never runs and does not count as pending', (t) => {
  const scheduler = new Scheduler();
  let ran = false;
  const id = scheduler.after(3, () => { ran = true; });
  scheduler.after(4, () => {});
  t.is(scheduler.pendingCount(), 2);
  scheduler.cancel(id);
  t.is(scheduler.pendingCount(), 1);
  t.is(scheduler.peekTimeMs(), 4);
  scheduler.run();
  t.false(ran);
});

test('runUntil runs events up to and including the time and leaves later ones pending', (t) => {
  const scheduler = new Scheduler();
  const ran: number[] = [];
  for (const time of [1, 2, 3, 4]) scheduler.at(time, () => ran.push(time));
  scheduler.runUntil(3);
  t.deepEqual(ran, [1, 2, 3]);
  t.is(scheduler.now(), 3);
  t.is(scheduler.pendingCount(), 1);
  scheduler.runUntil(10);
  t.deepEqual(ran, [1, 2, 3, 4]);
  t.is(scheduler.now(), 10);
});

test('scheduling in the past or with a negative delay is refused', (t) => {
  const scheduler = new Scheduler();
  scheduler.runUntil(100);
  t.throws(() => scheduler.at(99, () => {}), { instanceOf: SchedulerError });
  t.throws(() => scheduler.after(-1, () => {}), { instanceOf: SchedulerError });
  t.throws(() => scheduler.after(Number.NaN, () => {}), { instanceOf: SchedulerError });
});

test('the heap orders many random events exactly like a stable sort by time', (t) => {
  const scheduler = new Scheduler();
  let state = 7;
  const expected: Array<{ time: number; index: number }> = [];
  const ran: number[] = [];
  for (let index = 0; index < 5000; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const time = state % 200; // many ties
    expected.push({ time, index });
    scheduler.at(time, () => ran.push(index));
  }
  expected.sort((a, b) => a.time - b.time || a.index - b.index);
  scheduler.run();
  t.deepEqual(ran, expected.map((e) => e.index));
});

test('an id of an event that already ran cannot cancel a later event that reuses its slot', (t) => {
  const scheduler = new Scheduler();
  const ran: string[] = [];
  const first = scheduler.after(1, () => ran.push('first'));
  scheduler.run();
  scheduler.after(1, () => ran.push('second'));
  scheduler.cancel(first);
  scheduler.cancel(first);
  t.is(scheduler.pendingCount(), 1);
  scheduler.run();
  t.deepEqual(ran, ['first', 'second']);
});

test('a timer that re-arms itself with no delay is reported as a livelock instead of hanging', (t) => {
  const scheduler = new Scheduler();
  const again = (): void => { scheduler.after(0, again); };
  scheduler.after(5, again);
  t.throws(() => scheduler.run(), { instanceOf: SchedulerError, message: /livelock.*at simulated time 5 ms/ });
});

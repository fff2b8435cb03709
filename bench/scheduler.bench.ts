// Scheduler throughput with about 1,000 pending events: each event run schedules one more, as a busy
// simulation does (a message delivery schedules the reply, a timer re-arms itself).

import { Scheduler } from '../sim/scheduler.ts';
import type { BenchmarkSpec } from './spec.ts';

const PENDING_EVENTS = 1000;
const EVENTS_PER_OP = 10_000;

// Delays are drawn once, outside the measured loop, so the figure is the queue's and not the generator's.
const delaysMs = new Float64Array(4096);
let state = 12345;
for (let i = 0; i < delaysMs.length; i++) {
  state = (state * 1103515245 + 12345) >>> 0;
  delaysMs[i] = (state % 10_000) / 10; // 0 .. 1000 ms, with ties
}

const scheduler = new Scheduler();
let cursor = 0;
const reschedule = (): void => {
  scheduler.after(delaysMs[cursor++ & 4095], reschedule);
};
for (let i = 0; i < PENDING_EVENTS; i++) reschedule();

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'scheduler',
    unit: 'events/s',
    workPerOp: EVENTS_PER_OP,
    description: `scheduler step with ${PENDING_EVENTS} pending events, each event scheduling the next`,
    fn: () => {
      for (let i = 0; i < EVENTS_PER_OP; i++) scheduler.step();
    },
  },
];

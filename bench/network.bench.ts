// The network model on the hot path: messages sent and delivered per second among 5 nodes on lan-10g,
// latency drawn per message, scheduler included.

import type { Message } from '../engine/runtime.ts';
import { RandomStreams } from '../sim/random.ts';
import { Scheduler } from '../sim/scheduler.ts';
import { SimNetwork } from '../sim/network.ts';
import type { BenchmarkSpec } from './spec.ts';

const MESSAGES_PER_OP = 10_000;
const NODES = ['n0', 'n1', 'n2', 'n3', 'n4'];

const scheduler = new Scheduler();
const network = new SimNetwork({ scheduler, random: new RandomStreams(1).stream('network') });
let delivered = 0;
for (const id of NODES) network.attach(id, { deliver: () => { delivered++; }, connectionReset: () => {} });
const message: Message = { type: 'bench', sizeBytes: 1024 };

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'network',
    unit: 'messages/s',
    workPerOp: MESSAGES_PER_OP,
    description: '1 KiB messages sent and delivered among 5 nodes on lan-10g (log-normal latency), scheduler included',
    fn: () => {
      const before = delivered;
      for (let i = 0; i < MESSAGES_PER_OP; i++) network.send(NODES[i % 5], NODES[(i + 1 + (i >> 2) % 4) % 5], message);
      scheduler.run();
      if (delivered - before !== MESSAGES_PER_OP) throw new Error(`network bench: ${delivered - before} of ${MESSAGES_PER_OP} delivered`);
    },
  },
];

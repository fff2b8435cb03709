// A small world that exercises every part of the simulator at once, for determinism tests: nodes that gossip
// counters over the network with random think times, append what they hear to a file and fsync it, while the
// world crashes, power-fails, partitions and heals them.

import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import { Simulation } from '../../sim/simulation.ts';

interface Gossip extends Message {
  readonly type: 'gossip';
  readonly counter: number;
}

const FILE = '/data/heard.log';

function gossipNode(peers: readonly NodeId[]) {
  return (runtime: Runtime): NodeHandlers => {
    const disk = runtime.disk;
    if (!disk.exists(FILE)) {
      disk.mkdirs('/data');
      disk.create(FILE);
    }
    let counter = disk.size(FILE);
    runtime.trace('recovered', { bytes: counter });
    const tick = (): void => {
      const to = peers[Math.floor(runtime.random() * peers.length)];
      const message: Gossip = { type: 'gossip', sizeBytes: 64 + Math.floor(runtime.random() * 4096), counter: counter++ };
      runtime.send(to, message);
      runtime.setTimer(1 + runtime.random() * 20, tick);
    };
    runtime.setTimer(runtime.random() * 10, tick);
    return {
      onMessage(from, message) {
        const gossip = message as Gossip;
        const line = new TextEncoder().encode(`${from}:${gossip.counter}\n`);
        disk.append(FILE, line);
        runtime.trace('heard', { from, counter: gossip.counter });
        if (gossip.counter % 7 === 0) {
          disk.fsync(FILE, (error) => runtime.trace('synced', { error: error?.code ?? null, size: disk.size(FILE) }));
        }
      },
      onConnectionReset(peer) {
        runtime.trace('reset', { peer });
      },
    };
  };
}

/** Runs the gossip world for `durationMs` under `seed` and returns its trace hash and counts. */
export function runGossipWorld(seed: number, durationMs = 20_000): { traceHash: string; events: number; traceEvents: number } {
  const nodes = ['n1', 'n2', 'n3', 'n4'];
  const sim = new Simulation({ seed });
  for (const id of nodes) sim.addNode(id, gossipNode(nodes.filter((n) => n !== id)));
  const faults = sim.random.stream('faults');
  const step = durationMs / 10;
  for (let t = step; t < durationMs; t += step) {
    sim.runUntil(t);
    const target = faults.pick(nodes);
    const kind = faults.int(0, 3);
    if (kind === 0 && sim.status(target) === 'up') sim.crash(target);
    else if (kind === 1 && sim.status(target) === 'up') sim.powerLoss(target);
    else if (kind === 2) sim.isolate(target);
    else sim.heal();
    for (const id of nodes) if (sim.status(id) === 'crashed' && faults.chance(0.5)) sim.restart(id);
  }
  sim.runUntil(durationMs);
  return { traceHash: sim.traceHash(), events: sim.scheduler.eventCount(), traceEvents: sim.trace.eventCount() };
}

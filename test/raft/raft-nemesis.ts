// Random faults and a steady append workload against a RaftCluster, from the simulation's own seeded streams.
//
// Every `stepMs` the nemesis may (with the given rate per second) crash a node (kill -9), cut its power, cut
// the power of every node at once, split the voters in two (both ways or one way) or isolate one node. Downed nodes restart after 0.1 to 2 s; partitions heal after 0.2 to
// 4 s. Meanwhile the workload appends one record every `appendEveryMs` through whichever node leads.

import type { NodeId } from '../../engine/runtime.ts';
import { NotLeaderError } from '../../engine/raft/raft-client.ts';
import type { RaftCluster } from './raft-cluster.ts';

export type FaultKind = 'crash' | 'power-loss' | 'power-outage' | 'partition' | 'one-way-partition' | 'isolate';

export interface NemesisOptions {
  readonly durationMs: number;
  readonly faults: readonly FaultKind[];
  /** Expected faults per simulated second. */
  readonly faultsPerSecond: number;
  readonly appendEveryMs: number;
  readonly stepMs?: number;
}

export interface NemesisReport {
  faults: number;
  appended: number;
  nextValue: number;
}

export function runNemesis(cluster: RaftCluster, options: NemesisOptions, firstValue = 0): NemesisReport {
  const random = cluster.sim.random.stream('test-nemesis');
  const sim = cluster.sim;
  const stepMs = options.stepMs ?? 10;
  const restartAt = new Map<NodeId, number>();
  let healAtMs = Infinity;
  let nextAppendMs = sim.now();
  const report: NemesisReport = { faults: 0, appended: 0, nextValue: firstValue };
  const endMs = sim.now() + options.durationMs;
  while (sim.now() < endMs) {
    const now = sim.now();
    for (const [node, atMs] of restartAt) {
      if (now >= atMs) {
        restartAt.delete(node);
        sim.restart(node);
      }
    }
    if (now >= healAtMs) {
      sim.heal();
      healAtMs = Infinity;
    }
    if (random.chance((options.faultsPerSecond * stepMs) / 1000)) {
      const kind = random.pick(options.faults);
      const node = random.pick(cluster.nodes);
      if ((kind === 'crash' || kind === 'power-loss') && sim.status(node) === 'up') {
        if (kind === 'crash') sim.crash(node);
        else sim.powerLoss(node);
        restartAt.set(node, now + random.int(100, 2000));
        report.faults++;
      } else if (kind === 'power-outage') {
        // A whole rack loses power at once: only what was fsynced survives anywhere.
        for (const victim of cluster.nodes) {
          if (sim.status(victim) !== 'up') continue;
          sim.powerLoss(victim);
          restartAt.set(victim, now + random.int(100, 2000));
        }
        report.faults++;
      } else if ((kind === 'partition' || kind === 'one-way-partition') && healAtMs === Infinity) {
        const shuffled = [...cluster.voterNodes];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = random.int(0, i);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const cut = random.int(1, shuffled.length - 1);
        sim.partition(shuffled.slice(0, cut), [...shuffled.slice(cut), ...cluster.observerNodes], { oneWay: kind === 'one-way-partition' });
        healAtMs = now + random.int(200, 4000);
        report.faults++;
      } else if (kind === 'isolate' && healAtMs === Infinity) {
        sim.isolate(node);
        healAtMs = now + random.int(200, 4000);
        report.faults++;
      }
    }
    if (now >= nextAppendMs) {
      nextAppendMs = now + options.appendEveryMs;
      try {
        if (cluster.append([report.nextValue]) !== undefined) {
          report.nextValue++;
          report.appended++;
        }
      } catch (error) {
        if (!(error instanceof NotLeaderError)) throw error;
      }
    }
    sim.runFor(stepMs);
  }
  // Quiesce: everyone back up, the network whole.
  sim.heal();
  for (const node of restartAt.keys()) sim.restart(node);
  return report;
}

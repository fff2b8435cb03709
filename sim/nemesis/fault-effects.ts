// What each fault kind does to the simulation when it starts, and how it undoes exactly that when it ends.
//
// Faults may overlap (two crashes close together, a packet loss during a split, a disk failure that makes the
// broker halt while a crash fault also holds it): every start records what it changed, every end removes only
// that. Network faults go through a NetworkLedger; disk faults keep the handles the disk returns (a full disk
// is counted per node). A node that is down when a fault ends is restarted if the fault put it down (a crash,
// a power loss, a controlled shutdown) or it died during a disk fault (Kafka halts on a failed log directory) —
// unless another fault that keeps nodes down (crash, power-loss, controlled-shutdown, disk-fail, disk-full)
// still holds it; the last one to end restarts it.
//
// The same effects serve a scenario's timeline, its random schedule and its story steps (one FaultEffects per
// run), so that a step's fault and a scheduled one that overlap it undo only their own part.
//
// Which nodes a network fault splits: isolate and the one-way partitions cut a node off from every other node of
// the simulation, clients included (its network interface is gone). split-halves and bridge split the cluster
// (brokers and controllers) and leave clients able to reach both sides, as in Jepsen, where clients talk to
// any node: a zombie leader on the minority side can still be written to.

import type { NodeId } from '../../engine/runtime.ts';
import type { DiskFault } from '../disk-faults.ts';
import type { Simulation } from '../simulation.ts';
import { intensityOf, type Fault, type FaultKind } from './fault.ts';
import { NetworkLedger, type LinkEffect } from './network-ledger.ts';
import type { FaultTargets } from './target.ts';

/** A fault in effect: the nodes it hit, a sentence saying what it did, and how to undo it. */
export interface StartedFault {
  readonly nodes: readonly NodeId[];
  readonly detail: string;
  end(): void;
}

/** Why a fault could not start (every target is already down, a role has nobody). */
export interface SkippedFault {
  readonly skipped: string;
}

const HOLDS_DOWN: ReadonlySet<FaultKind> = new Set<FaultKind>(['crash', 'power-loss', 'controlled-shutdown', 'disk-fail', 'disk-full']);

interface Holder {
  readonly kind: FaultKind;
  readonly nodes: readonly NodeId[];
}

export class FaultEffects {
  private readonly ledger: NetworkLedger;
  private readonly holders = new Set<Holder>();
  /** Down nodes whose restart a holding fault deferred to whichever holder ends last. */
  private readonly owedRestart = new Set<NodeId>();
  private readonly fullDisks = new Map<NodeId, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly targets: FaultTargets,
  ) {
    this.ledger = new NetworkLedger(sim.network);
  }

  /** Starts `fault` on `nodes` (its target, resolved now; never empty). */
  start(fault: Pick<Fault, 'kind' | 'intensity'>, nodes: readonly NodeId[]): StartedFault | SkippedFault {
    switch (fault.kind) {
      case 'crash':
        return this.kill(fault, nodes, (node) => this.sim.crash(node), 'kill -9 of');
      case 'power-loss':
        return this.kill(fault, nodes, (node) => this.sim.powerLoss(node), 'power lost on');
      case 'pause':
        return this.pause(nodes);
      case 'controlled-shutdown':
        return this.controlledShutdown(fault, nodes);
      case 'isolate':
        return this.network(nodes, this.cutOff(nodes, true, true), `${list(nodes)} cut off from every other node`);
      case 'partition-one-way-in':
        return this.network(nodes, this.cutOff(nodes, true, false), `nothing reaches ${list(nodes)}; what it sends gets out`);
      case 'partition-one-way-out':
        return this.network(nodes, this.cutOff(nodes, false, true), `nothing ${list(nodes)} sends gets out; it still hears the others`);
      case 'split-halves':
        return this.splitHalves(nodes);
      case 'bridge':
        return this.bridge(nodes);
      case 'packet-loss': {
        const probability = intensityOf(fault) as number;
        return this.network(nodes, this.links(nodes, { lossProbability: probability }), `each transmission on a link of ${list(nodes)} is lost with probability ${probability}`);
      }
      case 'latency-spike': {
        const extraMs = intensityOf(fault) as number;
        return this.network(nodes, this.links(nodes, { extraLatencyMs: extraMs }), `+${extraMs} ms one way on every link of ${list(nodes)}`);
      }
      case 'slow-link':
        return this.slowLink(nodes, intensityOf(fault) as number);
      case 'disk-slow': {
        const factor = intensityOf(fault) as number;
        return this.disk(fault, nodes, (node) => this.sim.disk(node).slow(factor), `the disk of ${list(nodes)} is ${factor} times slower`);
      }
      case 'disk-fail': {
        const probability = intensityOf(fault) as number;
        return this.disk(fault, nodes, (node) => this.sim.disk(node).failIo({ probability }), `I/O errors (EIO) with probability ${probability} on the disk of ${list(nodes)}`);
      }
      case 'disk-corrupt-reads': {
        const probability = intensityOf(fault) as number;
        return this.disk(fault, nodes, (node) => this.sim.disk(node).corruptReads(probability), `reads from the disk of ${list(nodes)} flip a bit with probability ${probability}`);
      }
      case 'disk-full':
        return this.disk(fault, nodes, (node) => this.fill(node), `the disk of ${list(nodes)} is full (ENOSPC)`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Process faults

  private kill(fault: Pick<Fault, 'kind'>, nodes: readonly NodeId[], kill: (node: NodeId) => void, verb: string): StartedFault | SkippedFault {
    const hit = nodes.filter((node) => this.sim.status(node) === 'up');
    if (hit.length === 0) return { skipped: `${list(nodes)} already down` };
    hit.forEach(kill);
    const holder = this.hold(fault.kind, hit);
    return {
      nodes: hit,
      detail: `${verb} ${list(hit)}; restarted at the end`,
      end: () => this.release(holder, hit.map(() => true)),
    };
  }

  private pause(nodes: readonly NodeId[]): StartedFault | SkippedFault {
    const sim = this.sim;
    const hit = nodes.filter((node) => sim.status(node) === 'up' && !sim.isPaused(node));
    if (hit.length === 0) return { skipped: `${list(nodes)} already down or paused` };
    const lives = hit.map((node) => sim.incarnation(node));
    hit.forEach((node) => sim.pause(node));
    return {
      nodes: hit,
      detail: `${list(hit)} paused (SIGSTOP, a long GC): no timer, message or disk completion runs until the end`,
      end: () => {
        hit.forEach((node, i) => {
          // The same life, still paused by us: a crash and restart in between ended our pause already.
          if (sim.status(node) === 'up' && sim.incarnation(node) === lives[i] && sim.isPaused(node)) sim.resume(node);
        });
      },
    };
  }

  /**
   * A graceful stop: each broker's controlled shutdown (leadership moves away, the logs are flushed, the
   * clean-shutdown marker written), then its process exits; restarted at the end. A shutdown still under way
   * at the end is cut short with a kill -9, as an operator's script does after its timeout.
   */
  private controlledShutdown(fault: Pick<Fault, 'kind'>, nodes: readonly NodeId[]): StartedFault | SkippedFault {
    const sim = this.sim;
    const up = nodes.filter((node) => sim.status(node) === 'up');
    if (up.length === 0) return { skipped: `${list(nodes)} already down` };
    const stopping = up.filter((node) => {
      const life = sim.incarnation(node);
      return this.targets.controlledShutdown?.(node, () => this.exitSoon(node, life)) === true;
    });
    if (stopping.length === 0) return { skipped: `${list(up)} cannot shut down cleanly: only brokers have a controlled shutdown` };
    const lives = stopping.map((node) => sim.incarnation(node));
    const holder = this.hold(fault.kind, stopping);
    return {
      nodes: stopping,
      detail: `controlled shutdown of ${list(stopping)}: leadership moves away, the logs are flushed, the process exits; restarted at the end`,
      end: () => {
        stopping.forEach((node, i) => {
          if (sim.status(node) === 'up' && sim.incarnation(node) === lives[i]) sim.crash(node);
        });
        this.release(holder, stopping.map(() => true));
      },
    };
  }

  /** The process exits once the shutdown's last callback has returned (not in the middle of it). */
  private exitSoon(node: NodeId, life: number): void {
    const sim = this.sim;
    sim.scheduler.after(0, () => {
      if (sim.status(node) === 'up' && sim.incarnation(node) === life) sim.exit(node);
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Network faults

  /** A story's partition: every direction from a node of `from` to a node of `to` blocked, and back unless oneWay. */
  partition(from: readonly NodeId[], to: readonly NodeId[], oneWay: boolean): StartedFault {
    const effects: LinkEffect[] = [];
    for (const a of from) {
      for (const b of to) {
        if (a === b) continue;
        effects.push({ from: a, to: b, block: true });
        if (!oneWay) effects.push({ from: b, to: a, block: true });
      }
    }
    const nodes = [...new Set([...from, ...to])];
    return this.network(nodes, effects, `${list(from)} ${oneWay ? '->' : '<->'} ${list(to)} blocked`);
  }

  /** Extra latency on each link between two of `nodes`, both ways, and on no other link. */
  private slowLink(nodes: readonly NodeId[], extraMs: number): StartedFault | SkippedFault {
    if (nodes.length < 2) return { skipped: `a slow link needs two nodes, and ${list(nodes)} is one now` };
    const effects: LinkEffect[] = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        effects.push({ from: nodes[i]!, to: nodes[j]!, extraLatencyMs: extraMs }, { from: nodes[j]!, to: nodes[i]!, extraLatencyMs: extraMs });
      }
    }
    const links = nodes.length === 2 ? `the link ${nodes[0]} <-> ${nodes[1]}` : `every link between ${list(nodes)}`;
    return this.network(nodes, effects, `+${extraMs} ms one way on ${links}`);
  }

  private network(nodes: readonly NodeId[], effects: readonly LinkEffect[], detail: string): StartedFault {
    this.ledger.add(effects);
    return { nodes, detail, end: () => this.ledger.remove(effects) };
  }

  /** Blocks every direction into (`inward`) and out of (`outward`) each of `nodes`, from and to every node. */
  private cutOff(nodes: readonly NodeId[], inward: boolean, outward: boolean): LinkEffect[] {
    const effects: LinkEffect[] = [];
    const all = this.sim.nodeIds();
    for (const node of nodes) {
      for (const other of all) {
        if (other === node) continue;
        if (outward) effects.push({ from: node, to: other, block: true });
        if (inward) effects.push({ from: other, to: node, block: true });
      }
    }
    return effects;
  }

  /** One effect on each direction that touches one of `nodes`, each direction once. */
  private links(nodes: readonly NodeId[], effect: Omit<LinkEffect, 'from' | 'to'>): LinkEffect[] {
    const effects: LinkEffect[] = [];
    const seen = new Set<string>();
    const add = (from: NodeId, to: NodeId): void => {
      const key = `${from}\n${to}`;
      if (seen.has(key)) return;
      seen.add(key);
      effects.push({ ...effect, from, to });
    };
    const all = this.sim.nodeIds();
    for (const node of nodes) {
      for (const other of all) {
        if (other === node) continue;
        add(node, other);
        add(other, node);
      }
    }
    return effects;
  }

  private splitHalves(nodes: readonly NodeId[]): StartedFault | SkippedFault {
    const others = this.clusterNodes().filter((node) => !nodes.includes(node));
    if (others.length === 0) return { skipped: `nobody of the cluster is outside ${list(nodes)}` };
    return this.network(nodes, split(nodes, others), `${list(nodes)} | ${list(others)}`);
  }

  private bridge(nodes: readonly NodeId[]): StartedFault | SkippedFault {
    const others = this.clusterNodes().filter((node) => !nodes.includes(node)).sort(naturalCompare);
    const left = others.filter((_, i) => i % 2 === 0);
    const right = others.filter((_, i) => i % 2 === 1);
    if (right.length === 0) return { skipped: `a bridge needs two other cluster nodes to split, there are ${others.length}` };
    return this.network(nodes, split(left, right), `${list(left)} | ${list(right)}, bridged by ${list(nodes)} which reaches both`);
  }

  private clusterNodes(): NodeId[] {
    const nodes = [...this.targets.brokers()];
    for (const controller of this.targets.controllers()) if (!nodes.includes(controller)) nodes.push(controller);
    return nodes;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Disk faults

  private disk(fault: Pick<Fault, 'kind'>, nodes: readonly NodeId[], inject: (node: NodeId) => DiskFault, detail: string): StartedFault {
    const upAtStart = nodes.map((node) => this.sim.status(node) === 'up');
    const handles = nodes.map(inject);
    const holder = this.hold(fault.kind, nodes);
    return {
      nodes,
      detail: `${detail}; a node that dies meanwhile is restarted at the end`,
      end: () => {
        for (const handle of handles) handle.clear();
        this.release(holder, upAtStart);
      },
    };
  }

  /** disk-full as a handle: the disk stays full while any disk-full fault on it is active. */
  private fill(node: NodeId): DiskFault {
    const disk = this.sim.disk(node);
    this.fullDisks.set(node, (this.fullDisks.get(node) ?? 0) + 1);
    disk.setFull(true);
    let active = true;
    return {
      get active(): boolean {
        return active;
      },
      clear: () => {
        if (!active) return;
        active = false;
        const left = (this.fullDisks.get(node) ?? 1) - 1;
        this.fullDisks.set(node, left);
        if (left === 0) disk.setFull(false);
      },
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Restarts

  /** Whether a fault that keeps nodes down (a crash, a power loss, a disk fault...) holds `node` now. */
  holdsDown(node: NodeId): boolean {
    for (const holder of this.holders) if (HOLDS_DOWN.has(holder.kind) && holder.nodes.includes(node)) return true;
    return false;
  }

  private hold(kind: FaultKind, nodes: readonly NodeId[]): Holder {
    const holder: Holder = { kind, nodes };
    this.holders.add(holder);
    return holder;
  }

  /**
   * Ends `holder`; restarts each of its nodes that is down, if `mayRestart[i]` (this fault put it down or it
   * died during it) or an earlier holder owed it a restart, and no other holding fault still covers it.
   */
  private release(holder: Holder, mayRestart: readonly boolean[]): void {
    this.holders.delete(holder);
    holder.nodes.forEach((node, i) => {
      if (this.sim.status(node) !== 'crashed') {
        this.owedRestart.delete(node);
        return;
      }
      if (!mayRestart[i] && !this.owedRestart.has(node)) return;
      if (this.holdsDown(node)) {
        this.owedRestart.add(node);
        return;
      }
      this.owedRestart.delete(node);
      this.sim.restart(node);
    });
  }
}

/** Every direction between a node of `a` and a node of `b`, both ways. */
function split(a: readonly NodeId[], b: readonly NodeId[]): LinkEffect[] {
  const effects: LinkEffect[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x === y) continue;
      effects.push({ from: x, to: y, block: true }, { from: y, to: x, block: true });
    }
  }
  return effects;
}

function list(nodes: readonly NodeId[]): string {
  return nodes.join(', ');
}

/** Orders `broker-2` before `broker-10`: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const partsA = a.match(/\d+|\D+/g) ?? [];
  const partsB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === y) continue;
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    if (bothNumbers && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return partsA.length - partsB.length;
}

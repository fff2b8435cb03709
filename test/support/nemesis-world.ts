// A small world for nemesis tests: nodes that log what they hear, a FaultTargets whose roles a test sets by
// hand, and an observer that writes down what the nemesis says.

import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import type { Fault, FaultTargets, NemesisObserver } from '../../sim/nemesis.ts';
import { Simulation } from '../../sim/simulation.ts';

export interface Numbered extends Message {
  readonly type: 'numbered';
  readonly n: number;
}

export class NemesisWorld implements FaultTargets, NemesisObserver {
  readonly sim: Simulation;
  /** `node<-from:n` for each message delivered, in delivery order. */
  readonly heard: string[] = [];
  /** What the observer was told: `start kind nodes | detail`, `end kind nodes`, `skip kind why`. */
  readonly told: string[] = [];
  /** The leader `leaderOf` reports for every partition, and the active controller; tests move them. */
  leader: NodeId | undefined;
  active: NodeId | undefined;
  private readonly runtimes = new Map<NodeId, Runtime>();

  constructor(
    readonly brokerNodes: readonly NodeId[],
    readonly controllerNodes: readonly NodeId[] = [],
    readonly clientNodes: readonly NodeId[] = [],
    seed = 1,
  ) {
    this.sim = new Simulation({ seed });
    for (const node of [...brokerNodes, ...controllerNodes, ...clientNodes]) this.sim.addNode(node, (runtime) => this.listener(runtime));
  }

  /** The node's current runtime (its latest incarnation). */
  runtime(node: NodeId): Runtime {
    return this.runtimes.get(node)!;
  }

  send(from: NodeId, to: NodeId, n: number): void {
    const message: Numbered = { type: 'numbered', sizeBytes: 100, n };
    this.runtime(from).send(to, message);
  }

  /** Whether `from` -> `to` gets a message through within `withinMs` (it is sent now). */
  reaches(from: NodeId, to: NodeId, withinMs = 50): boolean {
    const n = 1_000_000 + this.heard.length;
    this.send(from, to, n);
    this.sim.runFor(withinMs);
    return this.heard.includes(`${to}<-${from}:${n}`);
  }

  // FaultTargets

  brokers(): readonly NodeId[] {
    return this.brokerNodes;
  }

  controllers(): readonly NodeId[] {
    return this.controllerNodes;
  }

  leaderOf(): NodeId | undefined {
    return this.leader;
  }

  activeController(): NodeId | undefined {
    return this.active;
  }

  // NemesisObserver

  faultStarted(fault: Fault, nodes: readonly NodeId[], detail: string): void {
    this.told.push(`start ${fault.kind} ${nodes.join(',')} | ${detail}`);
  }

  faultEnded(fault: Fault, nodes: readonly NodeId[]): void {
    this.told.push(`end ${fault.kind} ${nodes.join(',')}`);
  }

  faultSkipped(fault: Fault, why: string): void {
    this.told.push(`skip ${fault.kind} ${why}`);
  }

  private listener(runtime: Runtime): NodeHandlers {
    this.runtimes.set(runtime.nodeId, runtime);
    return {
      onMessage: (from, message) => this.heard.push(`${runtime.nodeId}<-${from}:${(message as Numbered).n}`),
    };
  }
}

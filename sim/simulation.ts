// The simulation handle: one deterministic world of nodes, a network and their disks, with verbs.
//
//   const sim = new Simulation({ seed: 7 });
//   sim.addNode('broker-1', (runtime) => new Broker(runtime));
//   sim.runFor(5_000);
//   sim.crash('broker-1');   sim.restart('broker-1');   sim.exit('broker-2');
//   sim.partition(['broker-1'], ['broker-2', 'broker-3']);   sim.heal();
//   sim.pause('broker-2');   sim.resume('broker-2');
//   sim.traceHash();
//
// A node is built by its factory from a Runtime and lives until a crash, a power loss or a halt (the node's
// own Runtime.halt); a restart builds a new incarnation from the same factory on the same disk, which must
// recover its state from that disk. Each incarnation has its own timers and its own disk callbacks: nothing of
// a dead incarnation runs after it died (see incarnation.ts, also for pauses). A node whose start fails with a
// DiskError (its log directory is unusable) halts, as a real process would exit.

import { DiskError } from '../engine/runtime.ts';
import type { NodeHandlers, NodeId, Runtime, TraceFields } from '../engine/runtime.ts';
import { Incarnation, type IncarnationHost } from './incarnation.ts';
import { Scheduler } from './scheduler.ts';
import { RandomStreams } from './random.ts';
import { Trace } from './trace.ts';
import { SimNetwork, type NetworkProfile } from './network.ts';
import { SimDisk } from './disk.ts';
import type { DiskProfile } from './disk-model.ts';

/** Builds a node's state machine; called at start and at every restart. */
export type NodeFactory = (runtime: Runtime) => NodeHandlers;

export interface SimulationOptions {
  readonly seed: number;
  readonly network?: NetworkProfile;
  readonly disk?: DiskProfile;
}

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

export type NodeStatus = 'up' | 'crashed';

interface HostedNode {
  readonly id: NodeId;
  readonly factory: NodeFactory;
  readonly disk: SimDisk;
  status: NodeStatus;
  incarnation: Incarnation | undefined;
  restarts: number;
}

export class Simulation {
  readonly seed: number;
  readonly scheduler = new Scheduler();
  readonly random: RandomStreams;
  readonly trace = new Trace();
  readonly network: SimNetwork;
  private readonly diskProfile: DiskProfile | undefined;
  private readonly nodes = new Map<NodeId, HostedNode>();
  private readonly incarnationHost: IncarnationHost;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.random = new RandomStreams(options.seed);
    this.diskProfile = options.disk;
    this.network = new SimNetwork({
      scheduler: this.scheduler,
      random: this.random.stream('network'),
      profile: options.network,
      observer: {
        connectionReset: (a, b, reason) => this.record('sim', 'connection-reset', { a, b, reason }),
      },
    });
    this.incarnationHost = {
      scheduler: this.scheduler,
      network: this.network,
      trace: this.trace,
      halt: (incarnation, reason) => this.halt(incarnation, reason),
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Nodes

  /** Adds a node with its own disk and starts it. */
  addNode(id: NodeId, factory: NodeFactory): void {
    if (this.nodes.has(id)) throw new SimulationError(`a node named ${id} already exists`);
    const disk = new SimDisk({
      scheduler: this.scheduler,
      random: this.random.stream(`disk:${id}`),
      profile: this.diskProfile,
      name: id,
      trace: (event, fields) => this.record(id, event, fields),
    });
    const hosted: HostedNode = { id, factory, disk, status: 'crashed', incarnation: undefined, restarts: -1 };
    this.nodes.set(id, hosted);
    this.start(hosted);
  }

  nodeIds(): NodeId[] {
    return [...this.nodes.keys()];
  }

  status(id: NodeId): NodeStatus {
    return this.hosted(id, 'status').status;
  }

  /** Which life of the node this is: 0 at start, +1 per restart. */
  incarnation(id: NodeId): number {
    return this.hosted(id, 'incarnation').restarts;
  }

  /** The node's disk, which outlives its crashes. */
  disk(id: NodeId): SimDisk {
    return this.hosted(id, 'disk').disk;
  }

  /** The node's current state machine (undefined while crashed), for tests and checkers. */
  handlers(id: NodeId): NodeHandlers | undefined {
    return this.hosted(id, 'handlers').incarnation?.handlers;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Faults

  /** kill -9: the process dies, its page cache survives. */
  crash(id: NodeId): void {
    const hosted = this.hosted(id, 'crash');
    this.stop(hosted);
    hosted.disk.crashProcess();
    this.record(id, 'crash');
  }

  /** The machine loses power: the process dies and the disk keeps only what was durable (torn tails included). */
  powerLoss(id: NodeId): void {
    const hosted = this.hosted(id, 'powerLoss');
    this.stop(hosted);
    hosted.disk.powerLoss();
    this.record(id, 'power-loss');
  }

  /**
   * The process exits on its own after a clean shutdown: down as after a crash for its disk (the page cache
   * survives; what the shutdown flushed is durable), traced as an exit.
   */
  exit(id: NodeId): void {
    const hosted = this.hosted(id, 'exit');
    this.stop(hosted);
    hosted.disk.crashProcess();
    this.record(id, 'exit');
  }

  /** Starts a crashed node again: a new incarnation that recovers from its disk. */
  restart(id: NodeId): void {
    const hosted = this.hosted(id, 'restart');
    if (hosted.status !== 'crashed') throw new SimulationError(`cannot restart ${id}: it is ${hosted.status}, not crashed`);
    this.start(hosted);
  }

  /** Blocks traffic from each of `from` to each of `to` (both ways unless oneWay). */
  partition(from: readonly NodeId[], to: readonly NodeId[], options: { oneWay?: boolean } = {}): void {
    this.network.partition(from, to, options);
    this.record('sim', 'partition', { from: from.join(','), to: to.join(','), oneWay: options.oneWay ?? false });
  }

  /** Cuts one node off from every other. */
  isolate(id: NodeId): void {
    this.network.isolate(id);
    this.record('sim', 'isolate', { node: id });
  }

  /**
   * SIGSTOP, or a stop-the-world GC pause: the process runs nothing — no timer, no message, no disk completion
   * — until resume(); these queue meanwhile (messages to it are accepted, not refused) and run in order then.
   */
  pause(id: NodeId): void {
    const incarnation = this.liveIncarnation(id, 'pause');
    if (incarnation.paused) throw new SimulationError(`cannot pause ${id}: it is already paused`);
    incarnation.pause();
    this.record(id, 'pause');
  }

  /** Ends a pause: what queued up runs first, in order, at the current time. */
  resume(id: NodeId): void {
    const incarnation = this.liveIncarnation(id, 'resume');
    if (!incarnation.paused) throw new SimulationError(`cannot resume ${id}: it is not paused`);
    this.record(id, 'resume', { queued: incarnation.queuedEvents() });
    incarnation.resume();
  }

  isPaused(id: NodeId): boolean {
    return this.hosted(id, 'isPaused').incarnation?.paused ?? false;
  }

  /**
   * Removes every partition and network fault (per-direction loss and latency spikes). Configuration stays: the
   * global extra latency and loss, per-direction latency models, bandwidths (see network.ts).
   */
  heal(): void {
    this.network.clearFaults();
    this.record('sim', 'heal');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Time

  now(): number {
    return this.scheduler.now();
  }

  /** Runs one event; false when nothing is pending. */
  step(): boolean {
    return this.scheduler.step();
  }

  /** Runs events for `durationMs` of simulated time. */
  runFor(durationMs: number): void {
    this.scheduler.runUntil(this.scheduler.now() + durationMs);
  }

  /** Runs events up to simulated time `timeMs`. */
  runUntil(timeMs: number): void {
    this.scheduler.runUntil(timeMs);
  }

  /** The trace hash so far; ends the trace. */
  traceHash(): string {
    return this.trace.finish();
  }

  /** Records a simulator-level trace event (faults, resets), attributed to `node`. */
  record(node: string, event: string, fields?: TraceFields): void {
    this.trace.record(this.scheduler.now(), node, event, fields);
  }

  // ---------------------------------------------------------------------------------------------------------

  private start(hosted: HostedNode): void {
    hosted.restarts++;
    const incarnation = new Incarnation(this.incarnationHost, hosted.id, hosted.restarts, hosted.disk, this.random.stream(`node:${hosted.id}:${hosted.restarts}`));
    hosted.incarnation = incarnation;
    hosted.status = 'up';
    this.record(hosted.id, 'start', { incarnation: incarnation.number });
    this.network.attach(hosted.id, incarnation);
    let handlers: NodeHandlers;
    try {
      handlers = incarnation.build(hosted.factory);
    } catch (error) {
      if (incarnation.haltReason !== undefined) return; // it halted while starting
      if (!(error instanceof DiskError)) throw error;
      this.halt(incarnation, `could not start: ${error.message}`);
      return;
    }
    if (incarnation.alive) incarnation.handlers = handlers;
  }

  /** Runtime.halt: the process exits on its own, in the middle of its event; its page cache survives. */
  private halt(incarnation: Incarnation, reason: string): void {
    const hosted = this.hosted(incarnation.nodeId, 'halt');
    if (hosted.incarnation !== incarnation) return;
    incarnation.haltReason = reason;
    this.stop(hosted);
    hosted.disk.crashProcess();
    this.record(hosted.id, 'halt', { reason });
  }

  private liveIncarnation(id: NodeId, verb: string): Incarnation {
    const hosted = this.hosted(id, verb);
    if (hosted.incarnation === undefined) throw new SimulationError(`cannot ${verb} ${id}: it is ${hosted.status}`);
    return hosted.incarnation;
  }

  private stop(hosted: HostedNode): void {
    if (hosted.status === 'crashed') throw new SimulationError(`${hosted.id} is already down`);
    hosted.incarnation?.kill();
    hosted.incarnation = undefined;
    hosted.status = 'crashed';
    this.network.down(hosted.id);
  }

  private hosted(id: NodeId, verb: string): HostedNode {
    const hosted = this.nodes.get(id);
    if (hosted === undefined) {
      throw new SimulationError(`${verb}: no node named ${id}; nodes are ${[...this.nodes.keys()].join(', ') || '(none)'}`);
    }
    return hosted;
  }
}

// Story steps: what a scripted scenario does, and the context its steps act through.
//
// Steps run in order. A step waits for its time (atMs from the moment the topic is ready, and afterMs after
// the previous step), then for its `when` condition, then acts. Actions run between simulation events, so a
// step sees the cluster as it is at that instant: `ctx.leaderOf('t', 0)` names whoever leads *then*. A
// condition that does not hold within its timeout is a ScriptError: the story the script tells did not
// happen, which a test must hear about rather than pass on a run where nothing went wrong. The context has a
// fault verb for every nemesis kind, each recorded as a fault interval, so reports draw them; it offers no
// other way to reach the simulation, so no fault goes behind the nemesis's back.

import type { NodeId } from '../engine/runtime.ts';
import type { Partition } from '../engine/replication/partition.ts';
import type { Cluster } from './cluster.ts';
import { HistoryRecorder } from './history.ts';
import type { Simulation } from './simulation.ts';
import type { Workload } from './workload.ts';
import { FAULT_KIND_INFO, NemesisError, type NemesisRun, type SkippedFault, type StartedFault, type StoryFault } from './nemesis.ts';

export interface ScriptStep {
  /** What the step does, in the story's words; recorded in the trace and the result. */
  readonly label: string;
  /** Not before this time, in ms from the moment the topic is ready. */
  readonly atMs?: number;
  /** Not before this long after the previous step acted. */
  readonly afterMs?: number;
  /** Then not before this holds. */
  readonly when?: (ctx: ScriptContext) => boolean;
  /** How long `when` may take to hold once the step's time has come (default 60 s). */
  readonly timeoutMs?: number;
  /** The action; a step without one only waits. */
  readonly do?: (ctx: ScriptContext) => void;
}

/** When each step acted, in ms from the moment the topic was ready. */
export interface StepRecord {
  readonly label: string;
  readonly atMs: number;
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

/** One replica as a step sees it. */
export interface ReplicaView {
  readonly broker: NodeId;
  readonly isLeader: boolean;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly logEndOffset: number;
  /** As this replica knows them (the ISR is meaningful on the leader). */
  readonly replicas: readonly NodeId[];
  readonly isr: readonly NodeId[];
}

/** A fault a step started, as the step holds it: end() removes exactly it (the second call does nothing). */
export interface StepFault {
  readonly kind: StepFaultKind;
  /** Whom it hit. */
  readonly nodes: readonly NodeId[];
  /** What it did, in a sentence. */
  readonly detail: string;
  end(): void;
}

/**
 * Where the story's faults become fault intervals: the run's FaultLog (sim/fault-log.ts), declared here so that
 * the script does not depend on the result types the log writes (that made an import cycle through scenario.ts).
 */
export interface FaultIntervalLog {
  start(key: object, kind: string, target: string, nodes: readonly NodeId[], detail: string | null): void;
  end(key: object): void;
}

/** A nemesis kind, or a story's partition between two sets of nodes. */
export type StepFaultKind = StoryFault['kind'];

/** The kinds that put a node down until a restart (ctx.restart ends them). */
const DOWN_KINDS: ReadonlySet<StepFaultKind> = new Set<StepFaultKind>(['crash', 'power-loss', 'controlled-shutdown']);

/**
 * What a step acts through. Every fault verb goes through the run's nemesis (the same effects and network
 * ledger as the timeline and the random schedule: overlapping faults undo only their own part) and the fault
 * log (a fault interval in the history and result.json, drawn on the report's fault lane). A verb returns the
 * fault; its end() removes it, and so do restart (a node's crash, power loss or controlled shutdown), resume
 * (its pause), heal (every network fault of the story) and the run's heal. A fault that cannot start (the node
 * is down already, a slow link whose ends are one node) is a ScriptError: the story did not happen.
 */
export class ScriptContext {
  /** The story's faults in effect, in the order they started. */
  private readonly open = new Set<StepFault>();

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Cluster,
    readonly workload: Workload,
    private readonly history: ScriptHistoryRecorder,
    private readonly readyAtMs: number,
    private readonly faults: FaultIntervalLog,
    private readonly nemesis: NemesisRun,
  ) {}

  /** Simulated ms since the topic was ready: the script's clock. */
  get elapsedMs(): number {
    return this.sim.now() - this.readyAtMs;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Looking at the cluster

  /** Every broker node, in a fixed order. */
  brokers(): NodeId[] {
    return [...this.cluster.brokerNodes];
  }

  /** Every controller node, in a fixed order. */
  controllers(): NodeId[] {
    return [...this.cluster.controllerNodes];
  }

  /** Whether the node's process is down (crashed, exited, halted). */
  isDown(node: NodeId): boolean {
    return this.sim.status(node) === 'crashed';
  }

  /** The live replica of the partition on `broker`, or undefined (down, or not a replica). */
  replica(broker: NodeId, topic: string, partition: number): ReplicaView | undefined {
    const replica = this.cluster.broker(broker)?.broker.replicaManager.partition(topic, partition);
    return replica === undefined ? undefined : view(broker, replica);
  }

  /** Every live replica of the partition. */
  replicas(topic: string, partition: number): ReplicaView[] {
    const found: ReplicaView[] = [];
    for (const node of this.cluster.brokerNodes) {
      const replica = this.replica(node, topic, partition);
      if (replica !== undefined) found.push(replica);
    }
    return found;
  }

  /**
   * The live replica that leads in the highest epoch, or undefined. (A deposed leader cut off from the
   * controllers may still believe it leads, in an older epoch.)
   */
  leaderReplica(topic: string, partition: number): ReplicaView | undefined {
    let leader: ReplicaView | undefined;
    for (const replica of this.replicas(topic, partition)) {
      if (replica.isLeader && (leader === undefined || replica.leaderEpoch > leader.leaderEpoch)) leader = replica;
    }
    return leader;
  }

  /** The broker that leads the partition now; a ScriptError if none does. */
  leaderOf(topic: string, partition: number): NodeId {
    const leader = this.leaderReplica(topic, partition);
    if (leader === undefined) throw new ScriptError(`no live broker leads ${topic}-${partition} at ${this.elapsedMs} ms into the script`);
    return leader.broker;
  }

  /** The partition's other replicas, as its current leader knows them. */
  followersOf(topic: string, partition: number): NodeId[] {
    const leader = this.leaderOf(topic, partition);
    return this.replica(leader, topic, partition)!.replicas.filter((node) => node !== leader);
  }

  /** The ISR as the current leader knows it. */
  isrOf(topic: string, partition: number): NodeId[] {
    return [...this.replica(this.leaderOf(topic, partition), topic, partition)!.isr];
  }

  /** The highest offset acknowledged to a producer so far in the partition, -1 if none. */
  lastAckedOffset(topic: string, partition: number): number {
    return this.history.lastAckedOffset(topic, partition);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Process faults

  /** kill -9: the process dies, its page cache survives. */
  crash(node: NodeId): StepFault {
    return this.start({ kind: 'crash', nodes: [node] });
  }

  /** The machine loses power: what was not durable is lost. */
  powerLoss(node: NodeId): StepFault {
    return this.start({ kind: 'power-loss', nodes: [node] });
  }

  /** SIGSTOP, a long GC: the process runs nothing until resume(node). */
  pause(node: NodeId): StepFault {
    return this.start({ kind: 'pause', nodes: [node] });
  }

  /**
   * A graceful stop: the broker's controlled shutdown (its leaderships move to other ISR members, its logs are
   * flushed, the clean-shutdown marker written), then its process exits (isDown turns true); restart(node)
   * starts it again, cutting a shutdown still under way short with a kill -9.
   */
  controlledShutdown(broker: NodeId): StepFault {
    return this.start({ kind: 'controlled-shutdown', nodes: [broker] });
  }

  /**
   * Starts a node that is down again; it recovers from its disk. Ends the story's crash, power loss or
   * controlled shutdown of it; a node that went down on its own (a halt) starts too. One that another fault
   * still holds down (a disk-full, a random crash) starts when that fault ends.
   */
  restart(node: NodeId): void {
    let ended = false;
    for (const fault of [...this.open]) {
      if (DOWN_KINDS.has(fault.kind) && fault.nodes.includes(node)) {
        fault.end();
        ended = true;
      }
    }
    if (this.sim.status(node) === 'crashed') {
      if (!this.nemesis.holdsDown(node)) this.sim.restart(node);
    } else if (!ended) {
      throw new ScriptError(`cannot restart ${node} at ${this.elapsedMs} ms into the script: it is up`);
    }
  }

  /** Ends the story's pause of the node: what queued up meanwhile runs first, in order. */
  resume(node: NodeId): void {
    const pauses = [...this.open].filter((fault) => fault.kind === 'pause' && fault.nodes.includes(node));
    if (pauses.length === 0) throw new ScriptError(`cannot resume ${node} at ${this.elapsedMs} ms into the script: no step paused it`);
    for (const fault of pauses) fault.end();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Network faults

  /** Blocks traffic from each of `from` to each of `to` (both ways unless oneWay). */
  partition(from: readonly NodeId[], to: readonly NodeId[], options: { oneWay?: boolean } = {}): StepFault {
    return this.start({ kind: 'partition', from, to, oneWay: options.oneWay === true });
  }

  /** Cuts one node off from every other, clients included. */
  isolate(node: NodeId): StepFault {
    return this.start({ kind: 'isolate', nodes: [node] });
  }

  /** `nodes` on one side, the rest of the cluster on the other; clients reach both sides. */
  splitHalves(nodes: readonly NodeId[]): StepFault {
    return this.start({ kind: 'split-halves', nodes });
  }

  /** The rest of the cluster split in two, `node` the only one that reaches both halves. */
  bridge(node: NodeId): StepFault {
    return this.start({ kind: 'bridge', nodes: [node] });
  }

  /** Nothing reaches the node; what it sends gets out. */
  partitionOneWayIn(node: NodeId): StepFault {
    return this.start({ kind: 'partition-one-way-in', nodes: [node] });
  }

  /** Nothing the node sends gets out; it still hears the others. */
  partitionOneWayOut(node: NodeId): StepFault {
    return this.start({ kind: 'partition-one-way-out', nodes: [node] });
  }

  /** Each transmission on a link of `nodes` is lost with `probability` (the kind's default if absent). */
  packetLoss(nodes: NodeId | readonly NodeId[], probability?: number): StepFault {
    return this.start({ kind: 'packet-loss', nodes: list(nodes), intensity: probability });
  }

  /** Extra one-way latency on every link of `nodes` (the kind's default if absent). */
  latencySpike(nodes: NodeId | readonly NodeId[], extraMs?: number): StepFault {
    return this.start({ kind: 'latency-spike', nodes: list(nodes), intensity: extraMs });
  }

  /** Extra one-way latency on the link between `a` and `b`, both ways, and on no other link. */
  slowLink(a: NodeId, b: NodeId, extraMs?: number): StepFault {
    return this.start({ kind: 'slow-link', nodes: [a, b], intensity: extraMs });
  }

  /** Ends every network fault of the story (the random schedule's stay; crashed nodes stay down). */
  heal(): void {
    for (const fault of [...this.open]) if (isNetworkFault(fault.kind)) fault.end();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Disk faults

  /** The node's disk is `factor` times slower (the kind's default if absent). */
  diskSlow(node: NodeId, factor?: number): StepFault {
    return this.start({ kind: 'disk-slow', nodes: [node], intensity: factor });
  }

  /** The node's disk operations fail with EIO with `probability` (every one if absent); Kafka halts. */
  diskFail(node: NodeId, probability?: number): StepFault {
    return this.start({ kind: 'disk-fail', nodes: [node], intensity: probability });
  }

  /** Reads from the node's disk flip a bit with `probability` (the kind's default if absent). */
  diskCorruptReads(node: NodeId, probability?: number): StepFault {
    return this.start({ kind: 'disk-corrupt-reads', nodes: [node], intensity: probability });
  }

  /** The node's disk is full: ENOSPC on every write that grows it. */
  diskFull(node: NodeId): StepFault {
    return this.start({ kind: 'disk-full', nodes: [node] });
  }

  // ---------------------------------------------------------------------------------------------------------

  /** The end of the script: every fault of the story ended (network faults first), every node down restarted. */
  healAll(): void {
    this.heal();
    for (const fault of [...this.open]) fault.end();
    for (const node of this.sim.nodeIds()) {
      if (this.sim.status(node) === 'crashed' && !this.nemesis.holdsDown(node)) this.sim.restart(node);
    }
  }

  /** Plays the steps in order (see the file head); when each acted. */
  play(script: readonly ScriptStep[], checkIntervalMs: number): StepRecord[] {
    const sim = this.sim;
    const done: StepRecord[] = [];
    let previousMs = sim.now();
    for (const step of script) {
      const dueMs = Math.max(this.readyAtMs + (step.atMs ?? 0), previousMs + (step.afterMs ?? 0));
      if (dueMs > sim.now()) sim.runUntil(dueMs);
      if (step.when !== undefined) {
        const timeoutMs = step.timeoutMs ?? 60_000;
        const deadline = sim.now() + timeoutMs;
        while (!step.when(this)) {
          if (sim.now() >= deadline) {
            throw new ScriptError(`step "${step.label}": its condition did not hold within ${timeoutMs} ms (at ${this.elapsedMs} ms into the script)`);
          }
          sim.runFor(checkIntervalMs);
        }
      }
      sim.record('script', 'step', { label: step.label });
      step.do?.(this);
      previousMs = sim.now();
      done.push({ label: step.label, atMs: this.elapsedMs });
    }
    return done;
  }

  private start(fault: StoryFault): StepFault {
    let outcome: StartedFault | SkippedFault;
    try {
      outcome = this.nemesis.inject(fault);
    } catch (error) {
      if (error instanceof NemesisError) throw new ScriptError(`${error.message} (at ${this.elapsedMs} ms into the script)`);
      throw error;
    }
    if ('skipped' in outcome) throw new ScriptError(`${fault.kind} did nothing at ${this.elapsedMs} ms into the script: ${outcome.skipped}`);
    const started = outcome;
    const handle: StepFault = {
      kind: fault.kind,
      nodes: started.nodes,
      detail: started.detail,
      end: () => {
        if (!this.open.delete(handle)) return;
        started.end();
        this.faults.end(handle);
      },
    };
    this.open.add(handle);
    this.faults.start(handle, fault.kind, started.nodes.join(','), started.nodes, started.detail);
    return handle;
  }
}

function isNetworkFault(kind: StepFaultKind): boolean {
  return kind === 'partition' || FAULT_KIND_INFO[kind].family === 'network';
}

function list(nodes: NodeId | readonly NodeId[]): readonly NodeId[] {
  return typeof nodes === 'string' ? [nodes] : nodes;
}

function view(broker: NodeId, replica: Partition): ReplicaView {
  return {
    broker,
    isLeader: replica.isLeader,
    leaderEpoch: replica.leaderEpoch,
    highWatermark: replica.highWatermark,
    logEndOffset: replica.logEndOffset,
    replicas: replica.replicas.map(brokerNodeName),
    isr: replica.isr.map(brokerNodeName),
  };
}

/** Cluster names broker node.id N `broker-N`. */
function brokerNodeName(id: number): NodeId {
  return `broker-${id}`;
}

/** The history recorder, also remembering the highest acknowledged offset per partition, for steps to wait on. */
export class ScriptHistoryRecorder extends HistoryRecorder {
  private readonly lastAcked = new Map<number, number>();

  constructor(now: () => number, private readonly topic: string) {
    super(now);
  }

  override ackSend(id: number, offset: number, partition?: number): void {
    super.ackSend(id, offset, partition);
    // The workload names the partition of every acknowledgement; offsets are -1 under acks=0.
    if (partition !== undefined && offset > (this.lastAcked.get(partition) ?? -1)) this.lastAcked.set(partition, offset);
  }

  lastAckedOffset(topic: string, partition: number): number {
    if (topic !== this.topic) throw new ScriptError(`the workload writes to ${this.topic}, not ${topic}`);
    return this.lastAcked.get(partition) ?? -1;
  }
}

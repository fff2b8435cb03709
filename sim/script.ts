// Story steps: what a scripted scenario does, and the context its steps act through.
//
// Steps run in order. A step waits for its time (atMs from the moment the topic is ready, and afterMs after
// the previous step), then for its `when` condition, then acts. Actions run between simulation events, so a
// step sees the cluster as it is at that instant: `ctx.leaderOf('t', 0)` names whoever leads *then*. A
// condition that does not hold within its timeout is a ScriptError: the story the script tells did not
// happen, which a test must hear about rather than pass on a run where nothing went wrong. Faults done through
// the context's verbs are recorded as fault intervals, so reports can draw them.

import type { NodeId } from '../engine/runtime.ts';
import type { Partition } from '../engine/replication/partition.ts';
import type { Cluster } from './cluster.ts';
import { HistoryRecorder } from './history.ts';
import type { Simulation } from './simulation.ts';
import type { Workload } from './workload.ts';
import type { FaultLog } from './cluster-run.ts';

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

/**
 * What a step acts through. Fault verbs record fault intervals in the history; `sim` is there for anything
 * else (a fault done on it directly is not drawn in reports).
 */
export class ScriptContext {
  /** Open fault intervals: one per down node (keyed by a token per node), and the network faults since the last heal. */
  private readonly nodeFaults = new Map<NodeId, object>();
  private networkFaults: object[] = [];

  constructor(
    readonly sim: Simulation,
    readonly cluster: Cluster,
    readonly workload: Workload,
    private readonly history: ScriptHistoryRecorder,
    private readonly readyAtMs: number,
    private readonly faults: FaultLog,
  ) {}

  /** Simulated ms since the topic was ready: the script's clock. */
  get elapsedMs(): number {
    return this.sim.now() - this.readyAtMs;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Looking at the cluster

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
  // Faults, recorded in the history

  /** kill -9: the process dies, its page cache survives. */
  crash(node: NodeId): void {
    this.sim.crash(node);
    this.nodeDown(node, 'crash');
  }

  /** The machine loses power: what was not durable is lost. */
  powerLoss(node: NodeId): void {
    this.sim.powerLoss(node);
    this.nodeDown(node, 'power-loss');
  }

  private nodeDown(node: NodeId, kind: string): void {
    const token = {};
    this.nodeFaults.set(node, token);
    this.faults.start(token, kind, node, [node], null);
  }

  /** Starts a crashed node again; it recovers from its disk. */
  restart(node: NodeId): void {
    this.sim.restart(node);
    const token = this.nodeFaults.get(node);
    if (token === undefined) return;
    this.nodeFaults.delete(node);
    this.faults.end(token);
  }

  /** Blocks traffic from each of `from` to each of `to` (both ways unless oneWay). */
  partition(from: readonly NodeId[], to: readonly NodeId[], options: { oneWay?: boolean } = {}): void {
    this.sim.partition(from, to, options);
    const detail = `${from.join(',')} ${options.oneWay ? '->' : '<->'} ${to.join(',')}`;
    this.networkFault('partition', [...from, ...to], detail);
  }

  /** Cuts one node off from every other. */
  isolate(node: NodeId): void {
    this.sim.isolate(node);
    this.networkFault('isolate', [node], null);
  }

  private networkFault(kind: string, nodes: readonly NodeId[], detail: string | null): void {
    const token = {};
    this.networkFaults.push(token);
    this.faults.start(token, kind, nodes.join(','), nodes, detail);
  }

  /** Removes every network fault (crashed nodes stay down). */
  heal(): void {
    this.sim.heal();
    for (const token of this.networkFaults) this.faults.end(token);
    this.networkFaults = [];
  }

  /** The end of the script: every network fault removed and every crashed node restarted. */
  healAll(): void {
    this.heal();
    for (const node of this.sim.nodeIds()) if (this.sim.status(node) === 'crashed') this.restart(node);
  }
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

export function playScript(ctx: ScriptContext, script: readonly ScriptStep[], readyAtMs: number, checkIntervalMs: number): StepRecord[] {
  const sim = ctx.sim;
  const done: StepRecord[] = [];
  let previousMs = sim.now();
  for (const step of script) {
    const dueMs = Math.max(readyAtMs + (step.atMs ?? 0), previousMs + (step.afterMs ?? 0));
    if (dueMs > sim.now()) sim.runUntil(dueMs);
    if (step.when !== undefined) {
      const timeoutMs = step.timeoutMs ?? 60_000;
      const deadline = sim.now() + timeoutMs;
      while (!step.when(ctx)) {
        if (sim.now() >= deadline) {
          throw new ScriptError(`step "${step.label}": its condition did not hold within ${timeoutMs} ms (at ${ctx.elapsedMs} ms into the script)`);
        }
        sim.runFor(checkIntervalMs);
      }
    }
    sim.record('script', 'step', { label: step.label });
    step.do?.(ctx);
    previousMs = sim.now();
    done.push({ label: step.label, atMs: ctx.elapsedMs });
  }
  return done;
}


// A simulated metadata quorum for the Raft tests: voters `controller-<id>` (ids 1..n) and observers
// `broker-<id>` (ids 101..), each node hosting one KafkaRaftClient whose listener records what it commits.
//
// The cluster watches Raft's safety properties as the run goes, and throws at the first violation:
// - election safety: at most one replica becomes leader in an epoch (from the `raft.become-leader` traces);
// - state machine safety: every listener, of every node and incarnation, sees the same record at an offset;
// - delivery order: within an incarnation, committed batches come in increasing offset order.

import type { Message, NodeId, Runtime } from '../../engine/runtime.ts';
import { KafkaRaftClient } from '../../engine/raft/kafka-raft-client.ts';
import { parseRaftConfig } from '../../engine/raft/raft-config.ts';
import type { RaftConfigInput } from '../../engine/raft/raft-config.ts';
import type { CommittedBatch, LeaderAndEpoch, ReplicaId } from '../../engine/raft/raft-client.ts';
import { Simulation } from '../../sim/simulation.ts';
import type { DiskProfile } from '../../sim/disk.ts';

export interface TestRecord {
  readonly n: number;
}

export interface CommittedRecord {
  readonly offset: number;
  readonly epoch: number;
  readonly n: number;
}

export interface RaftClusterOptions {
  readonly seed: number;
  readonly voters: number;
  readonly observers?: number;
  readonly config?: RaftConfigInput;
  /** The disk of every node (default: the simulator's NVMe SSD). */
  readonly disk?: DiskProfile;
  /** Sees every message a node receives, before the node does. */
  readonly onMessage?: (to: NodeId, from: NodeId, message: Message) => void;
}

export interface LeaderChangeSeen extends LeaderAndEpoch {
  readonly committedSeen: number;
}

export class SafetyViolation extends Error {
  override readonly name = 'SafetyViolation';
}

export class RaftCluster {
  readonly sim: Simulation;
  readonly voterNodes: NodeId[] = [];
  readonly observerNodes: NodeId[] = [];
  readonly votersSetting: string;
  /** Per node, per incarnation: the committed records its listener saw, in order. */
  readonly commits = new Map<NodeId, CommittedRecord[][]>();
  /** Per node, per incarnation: the leader changes its listener heard of, with how many committed records it
   *  had seen by then. */
  readonly leaderChanges = new Map<NodeId, LeaderChangeSeen[][]>();
  /** Epoch -> the node that became its leader. */
  readonly leaders = new Map<number, NodeId>();
  /** Offset -> the record committed there, as first seen by any listener. */
  readonly committed = new Map<number, number>();
  private readonly clients = new Map<NodeId, KafkaRaftClient<TestRecord>>();

  constructor(readonly options: RaftClusterOptions) {
    this.sim = new Simulation({ seed: options.seed, disk: options.disk });
    for (let id = 1; id <= options.voters; id++) this.voterNodes.push(`controller-${id}`);
    for (let i = 1; i <= (options.observers ?? 0); i++) this.observerNodes.push(`broker-${100 + i}`);
    this.votersSetting = this.voterNodes.map((node, i) => `${i + 1}@${node}:9093`).join(',');
    this.sim.trace.onEvent((event) => {
      if (event.event !== 'raft.become-leader') return;
      const epoch = event.fields?.epoch as number;
      const previous = this.leaders.get(epoch);
      if (previous !== undefined && previous !== event.node) {
        throw new SafetyViolation(`two leaders in epoch ${epoch}: ${previous} and ${event.node} (seed ${options.seed}, t=${event.timeMs})`);
      }
      this.leaders.set(epoch, event.node);
    });
    this.voterNodes.forEach((node, i) => this.addNode(node, i + 1));
    this.observerNodes.forEach((node, i) => this.addNode(node, 101 + i));
  }

  get nodes(): NodeId[] {
    return [...this.voterNodes, ...this.observerNodes];
  }

  private addNode(node: NodeId, nodeId: ReplicaId): void {
    const config = parseRaftConfig({ 'node.id': nodeId, 'controller.quorum.voters': this.votersSetting, ...this.options.config });
    this.commits.set(node, []);
    this.leaderChanges.set(node, []);
    this.sim.addNode(node, (runtime: Runtime) => {
      const client = new KafkaRaftClient<TestRecord>(runtime, config);
      const seen: CommittedRecord[] = [];
      const changes: LeaderChangeSeen[] = [];
      this.commits.get(node)?.push(seen);
      this.leaderChanges.get(node)?.push(changes);
      client.register({
        handleCommit: (batch) => this.onCommit(node, seen, batch),
        handleLeaderChange: (leader) => changes.push({ ...leader, committedSeen: seen.length }),
      });
      this.clients.set(node, client);
      return {
        onMessage: (from, message) => {
          this.options.onMessage?.(node, from, message);
          client.handleMessage(from, message);
        },
        onConnectionReset: (peer) => client.handleConnectionReset(peer),
      };
    });
  }

  private onCommit(node: NodeId, seen: CommittedRecord[], batch: CommittedBatch<TestRecord>): void {
    const last = seen[seen.length - 1];
    if (last !== undefined && batch.baseOffset <= last.offset) {
      throw new SafetyViolation(`${node} got batch ${batch.baseOffset} after offset ${last.offset} (seed ${this.options.seed})`);
    }
    batch.records.forEach((record, i) => {
      const offset = batch.baseOffset + i;
      const first = this.committed.get(offset);
      if (first === undefined) this.committed.set(offset, record.n);
      else if (first !== record.n) {
        throw new SafetyViolation(`offset ${offset} committed as ${first} and as ${record.n} (on ${node}, seed ${this.options.seed})`);
      }
      seen.push({ offset, epoch: batch.epoch, n: record.n });
    });
  }

  /** The node's current replica (undefined while it is down). */
  client(node: NodeId): KafkaRaftClient<TestRecord> | undefined {
    return this.sim.status(node) === 'up' ? this.clients.get(node) : undefined;
  }

  /** Up nodes whose replica leads, newest epoch first. */
  leaderNodes(): NodeId[] {
    return this.voterNodes
      .filter((node) => this.client(node)?.isLeader() === true)
      .sort((a, b) => (this.client(b)?.leaderAndEpoch().epoch ?? 0) - (this.client(a)?.leaderAndEpoch().epoch ?? 0));
  }

  /** The leader of the newest epoch among up nodes, if any. */
  leader(): NodeId | undefined {
    return this.leaderNodes()[0];
  }

  /** Runs until some node leads (and its listener was told so), or `timeoutMs` passes. */
  runUntilLeader(timeoutMs: number): NodeId | undefined {
    const endMs = this.sim.now() + timeoutMs;
    while (this.sim.now() < endMs) {
      const leader = this.leader();
      if (leader !== undefined && this.lastLeaderChange(leader)?.leaderId === this.client(leader)?.replicaId) return leader;
      this.sim.runFor(10);
    }
    return undefined;
  }

  /** Runs until `predicate` holds (checked every `stepMs`), or `timeoutMs` passes. */
  runUntil(predicate: () => boolean, timeoutMs: number, stepMs = 10): boolean {
    const endMs = this.sim.now() + timeoutMs;
    while (!predicate()) {
      if (this.sim.now() >= endMs) return false;
      this.sim.runFor(stepMs);
    }
    return true;
  }

  /** Appends records through the current leader; returns the last offset, or undefined with no leader. */
  append(values: readonly number[]): number | undefined {
    const leader = this.leader();
    if (leader === undefined) return undefined;
    return this.client(leader)?.append(values.map((n) => ({ n })));
  }

  /** The records the node's current incarnation has seen committed. */
  committedOn(node: NodeId): CommittedRecord[] {
    const incarnations = this.commits.get(node) ?? [];
    return incarnations[incarnations.length - 1] ?? [];
  }

  lastLeaderChange(node: NodeId): LeaderChangeSeen | undefined {
    const incarnations = this.leaderChanges.get(node) ?? [];
    const changes = incarnations[incarnations.length - 1] ?? [];
    return changes[changes.length - 1];
  }

  /** Every trace event of `node` named `event` so far. */
  countTrace(node: NodeId, event: string): number {
    return this.traceCounts.get(`${node} ${event}`) ?? 0;
  }

  private readonly traceCounts = new Map<string, number>();

  /** Starts counting trace events per node and name (call before running). */
  countTraces(): this {
    this.sim.trace.onEvent((event) => {
      const key = `${event.node} ${event.event}`;
      this.traceCounts.set(key, (this.traceCounts.get(key) ?? 0) + 1);
    });
    return this;
  }
}

/**
 * After faults: appends a marker through the leader until one commits on every node (a stale leader may take
 * the first ones and lose them). Returns false if none did within `timeoutMs`.
 */
export function commitMarkerEverywhere(cluster: RaftCluster, timeoutMs: number, firstMarker = -1): boolean {
  const endMs = cluster.sim.now() + timeoutMs;
  let marker = firstMarker;
  while (cluster.sim.now() < endMs) {
    if (cluster.runUntilLeader(endMs - cluster.sim.now()) === undefined) return false;
    const value = marker--;
    const offset = cluster.append([value]);
    if (offset === undefined) continue;
    const everywhere = (): boolean => cluster.nodes.every((node) => cluster.committedOn(node).some((record) => record.n === value));
    if (cluster.runUntil(everywhere, Math.min(3000, Math.max(0, endMs - cluster.sim.now())))) return true;
  }
  return false;
}

// A Kafka cluster inside a Simulation: dedicated KRaft controllers, brokers, an admin client, and the views a
// harness needs of them (replica states over time, the final logs).
//
//   const cluster = new Cluster(sim, { brokers: 3, controllers: 3, brokerConfig: { 'min.insync.replicas': 2 } });
//   cluster.createTopics([{ name: 'orders', numPartitions: 6, replicationFactor: 3 }]);
//   cluster.runUntilReady();
//
// Node names: `controller-101`.. (node.id 101..) and `broker-1`.. (node.id 1..). Every broker and controller
// gets the same overrides: keys such as min.insync.replicas and unclean.leader.election.enable matter to both.

import type { ConfigOverrides } from '../engine/config/types.ts';
import { parseConfig } from '../engine/config/parse.ts';
import type { ControllerNode } from '../engine/controller/controller-node.ts';
import { partitionOf, type MetadataImage } from '../engine/metadata/image.ts';
import { BrokerNode, brokerNodeFactory } from '../engine/broker/broker-node.ts';
import { Admin, type NewTopic, type CreateTopicsOutcome } from '../engine/client/admin.ts';
import type { NodeId } from '../engine/runtime.ts';
import { readBatches } from '../engine/records/batch.ts';
import type { Simulation } from './simulation.ts';
import { ControllerQuorum, ControllerQuorumError } from './controller-quorum.ts';
import { recordIdentity } from './workload.ts';
import type { BrokerStanding, FinalBroker, FinalPartition, FinalReplica, FinalState, HistoryRecorder, PartitionMetadata } from './history.ts';

/** Bytes per read when collecting the final logs. */
const FINAL_READ_BYTES = 64 * 1024;

export const CLUSTER_ID = 'tributary-cluster';
const ADMIN_NODE = 'admin';

export interface ClusterSpec {
  readonly brokers: number;
  /** Dedicated controllers (process.roles=controller): 1, 3 or 5. */
  readonly controllers: number;
  /** Broker keys by Kafka name, for every broker and controller. */
  readonly brokerConfig?: ConfigOverrides;
  /** broker.rack of each broker, round-robin: broker-1 gets racks[0], broker-2 racks[1], ... */
  readonly racks?: readonly string[];
}

export class ClusterError extends Error {
  override readonly name = 'ClusterError';
}

export class Cluster {
  readonly brokerNodes: readonly NodeId[];
  readonly controllerNodes: readonly NodeId[];
  private readonly quorum: ControllerQuorum;
  private admin: Admin | undefined;
  private topicsCreated: CreateTopicsOutcome | undefined;

  constructor(
    readonly sim: Simulation,
    readonly spec: ClusterSpec,
  ) {
    try {
      this.quorum = new ControllerQuorum(sim, { controllers: spec.controllers, clusterId: CLUSTER_ID, config: spec.brokerConfig });
    } catch (error) {
      if (error instanceof ControllerQuorumError) throw new ClusterError(error.message);
      throw error;
    }
    if (!(spec.brokers >= 1)) throw new ClusterError(`a cluster needs at least one broker, not ${spec.brokers}`);
    this.controllerNodes = this.quorum.nodes;
    this.brokerNodes = Array.from({ length: spec.brokers }, (_, i) => `broker-${i + 1}`);
    // Parse once up front so that a bad key stops the run before anything starts.
    parseConfig('broker', this.brokerOverrides(1));
    this.quorum.start();
    this.brokerNodes.forEach((name, i) => sim.addNode(name, brokerNodeFactory({ clusterId: CLUSTER_ID, config: this.brokerOverrides(i + 1) })));
    sim.addNode(ADMIN_NODE, (runtime) => {
      this.admin = new Admin(runtime, { bootstrap: this.brokerNodes });
      return this.admin;
    });
  }

  private brokerOverrides(id: number): ConfigOverrides {
    const racks = this.spec.racks;
    const rack: ConfigOverrides = racks !== undefined && racks.length > 0 ? { 'broker.rack': racks[(id - 1) % racks.length]! } : {};
    return this.quorum.overrides(id, 'broker', { ...this.spec.brokerConfig, ...rack });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Fault targets: the nemesis resolves roles (`leader:orders-0`, `active-controller`) through these when a
  // fault starts.

  brokers(): NodeId[] {
    return [...this.brokerNodes];
  }

  controllers(): NodeId[] {
    return [...this.controllerNodes];
  }

  /** The live broker that leads the partition in the highest epoch, if any. */
  leaderOf(topic: string, partition: number): NodeId | undefined {
    let leader: NodeId | undefined;
    let epoch = -1;
    for (const node of this.brokerNodes) {
      const replica = this.broker(node)?.broker.replicaManager.partition(topic, partition);
      if (replica !== undefined && replica.isLeader && replica.leaderEpoch > epoch) {
        leader = node;
        epoch = replica.leaderEpoch;
      }
    }
    return leader;
  }

  /** The active controller now, if any (see ControllerQuorum.activeController). */
  activeController(): NodeId | undefined {
    return this.quorum.activeController();
  }

  /** A broker's controlled shutdown (BrokerNode.shutdown); `exit` once it is done. False for any other node. */
  controlledShutdown(node: NodeId, exit: () => void): boolean {
    const brokerNode = this.brokerNodes.includes(node) ? this.broker(node) : undefined;
    if (brokerNode === undefined) return false;
    brokerNode.shutdown(() => exit());
    return true;
  }

  /** Asks the admin client to create topics; see topicsReady(). */
  createTopics(topics: readonly NewTopic[]): void {
    this.topicsCreated = undefined;
    this.admin!.createTopics(topics, (outcome) => {
      this.topicsCreated = outcome;
      this.sim.record(ADMIN_NODE, 'topics-created', { ok: outcome.ok });
    });
  }

  /** The broker node's state machine, or undefined while it is down. */
  broker(node: NodeId): BrokerNode | undefined {
    return this.sim.handlers(node) as BrokerNode | undefined;
  }

  /** True once the topics exist and every partition has a leader and a full ISR on every live broker. */
  isReady(topics: readonly NewTopic[]): boolean {
    if (this.topicsCreated === undefined) return false;
    if (!this.topicsCreated.ok) throw new ClusterError(`creating topic ${this.topicsCreated.topic} failed: ${this.topicsCreated.error} ${this.topicsCreated.message}`);
    for (const topic of topics) {
      for (let partition = 0; partition < topic.numPartitions; partition++) {
        const leaders = this.brokerNodes
          .map((node) => this.broker(node)?.broker.replicaManager.partition(topic.name, partition))
          .filter((p) => p !== undefined && p.isLeader);
        if (leaders.length !== 1 || leaders[0]!.isr.length < topic.replicationFactor) return false;
      }
    }
    return true;
  }

  /** True once every broker has registered, caught up with the metadata log and been unfenced. */
  brokersRunning(): boolean {
    return this.brokerNodes.every((node) => {
      const lifecycle = this.broker(node)?.lifecycle;
      return lifecycle !== undefined && lifecycle.state === 'RUNNING' && !lifecycle.isFenced();
    });
  }

  /** Starts the cluster: waits for the brokers, creates the topics, waits until every partition is led and in sync. */
  start(topics: readonly NewTopic[], timeoutMs = 60_000): void {
    const deadline = this.sim.now() + timeoutMs;
    while (!this.brokersRunning()) {
      if (this.sim.now() >= deadline) throw new ClusterError(`the brokers were not all running after ${timeoutMs} ms of simulated time`);
      this.sim.runFor(50);
    }
    this.createTopics(topics);
    this.runUntilReady(topics, deadline - this.sim.now());
  }

  /** Runs the simulation until the topics are ready, or throws after `timeoutMs` of simulated time. */
  runUntilReady(topics: readonly NewTopic[], timeoutMs = 60_000): void {
    const deadline = this.sim.now() + timeoutMs;
    while (!this.isReady(topics)) {
      if (this.sim.now() >= deadline) throw new ClusterError(`the cluster was not ready after ${timeoutMs} ms of simulated time`);
      this.sim.runFor(50);
    }
  }

  /** Samples every live replica's state into the history every `intervalMs`, from now on (what reports draw). */
  sampleInto(history: HistoryRecorder, intervalMs: number): void {
    const sample = (): void => {
      for (const node of this.brokerNodes) {
        const brokerNode = this.broker(node);
        if (brokerNode === undefined) continue;
        const incarnation = this.sim.incarnation(node);
        for (const replica of brokerNode.broker.replicaManager.snapshot()) {
          history.sample({
            broker: node,
            incarnation,
            topic: replica.topic,
            partition: replica.partition,
            highWatermark: replica.highWatermark,
            logEndOffset: replica.logEndOffset,
            leaderEpoch: replica.leaderEpoch,
            isLeader: replica.role === 'leader',
            isr: replica.isr.map((id) => `broker-${id}`),
          });
        }
      }
      this.sim.scheduler.after(intervalMs, sample);
    };
    sample();
  }

  /** How a broker stands now: down, paused, starting (recovering, fenced) or running. */
  standing(node: NodeId): BrokerStanding {
    if (this.sim.status(node) !== 'up') return 'down';
    if (this.sim.isPaused(node)) return 'paused';
    const lifecycle = this.broker(node)?.lifecycle;
    return lifecycle !== undefined && lifecycle.state === 'RUNNING' && !lifecycle.isFenced() ? 'running' : 'starting';
  }

  /**
   * The committed metadata of the active controller; with none active, the most advanced image among the
   * live controllers; undefined if no controller is up.
   */
  metadataImage(): MetadataImage | undefined {
    let best: MetadataImage | undefined;
    for (const node of this.controllerNodes) {
      const controller = (this.sim.handlers(node) as ControllerNode | undefined)?.controller;
      if (controller === undefined) continue;
      if (controller.isActive()) return controller.image();
      if (best === undefined || controller.image().offset > best.offset) best = controller.image();
    }
    return best;
  }

  /** Every live replica's log, decoded, after the run, with the metadata and the brokers' standing: what the checkers judge. */
  finalState(topics: readonly NewTopic[]): FinalState {
    const decoder = new TextDecoder();
    const image = this.metadataImage();
    const partitions: FinalPartition[] = [];
    for (const topic of topics) {
      for (let partition = 0; partition < topic.numPartitions; partition++) {
        const replicas: FinalReplica[] = [];
        let isr: NodeId[] | null = null;
        for (const node of this.brokerNodes) {
          const brokerNode = this.broker(node);
          const replica = brokerNode?.broker.replicaManager.partition(topic.name, partition);
          if (brokerNode === undefined || replica === undefined) continue;
          const records: Array<{ offset: number; value: string; leaderEpoch: number }> = [];
          let offset = replica.log.logStartOffset;
          while (offset < replica.log.logEndOffset) {
            // Small reads: a chunk's decoded records die before the next, instead of surviving a scavenge.
            const read = replica.log.read(offset, FINAL_READ_BYTES);
            if (read.bytes.length === 0) break;
            for (const batch of readBatches(read.bytes)) {
              for (const record of batch.records) {
                records.push({ offset: record.offset, value: record.value === null ? '' : recordIdentity(decoder.decode(record.value)), leaderEpoch: batch.partitionLeaderEpoch });
              }
            }
            offset = read.nextOffset;
          }
          if (replica.isLeader) isr = replica.isr.map((id) => `broker-${id}`);
          replicas.push({
            broker: node,
            records,
            highWatermark: replica.highWatermark,
            logStartOffset: replica.logStartOffset,
            logEndOffset: replica.logEndOffset,
            isLeader: replica.isLeader,
            leaderEpoch: replica.leaderEpoch,
          });
        }
        partitions.push({ topic: topic.name, partition, isr, replicas, metadata: image === undefined ? null : registrationOf(image, topic.name, partition) });
      }
    }
    const brokers: FinalBroker[] = this.brokerNodes.map((broker) => ({ broker, standing: this.standing(broker) }));
    return { partitions, brokers };
  }
}

/** The partition's registration in `image`, with broker ids as node names; null if the image lacks it. */
function registrationOf(image: MetadataImage, topic: string, partition: number): PartitionMetadata | null {
  const registration = partitionOf(image, topic, partition);
  if (registration === undefined) return null;
  const name = (id: number): NodeId => `broker-${id}`;
  return {
    replicas: registration.replicas.map(name),
    isr: registration.isr.map(name),
    leader: registration.leader < 0 ? null : name(registration.leader),
    leaderEpoch: registration.leaderEpoch,
  };
}

// The KRaft controllers of a simulated cluster: dedicated controller nodes (process.roles=controller) on one
// metadata quorum, node.id 101.. on `controller-101`.., and what every node of the cluster is configured with
// to find them (controller.quorum.voters).
//
//   const quorum = new ControllerQuorum(sim, { controllers: 3, clusterId: 'c' });
//   quorum.start();                                   // adds controller-101..103
//   quorum.overrides(1, 'broker', { 'min.insync.replicas': 2 });   // a broker's keys, voters included
//
// The quorum replicates with KRaft's Raft over the simulated network and disks (KafkaRaftClient) unless the
// spec gives its own replicas (a test's in-memory quorum whose leader the test names).

import type { ConfigOverrides } from '../engine/config/types.ts';
import { parseConfig } from '../engine/config/parse.ts';
import { ControllerNode } from '../engine/controller/controller-node.ts';
import type { MetadataRecord } from '../engine/metadata/records.ts';
import { KafkaRaftClient } from '../engine/raft/kafka-raft-client.ts';
import type { RaftClient } from '../engine/raft/raft-client.ts';
import { parseRaftConfig } from '../engine/raft/raft-config.ts';
import type { NodeId, Runtime } from '../engine/runtime.ts';
import type { Simulation } from './simulation.ts';

const CONTROLLER_ID_BASE = 100;
const CONTROLLER_LOG_DIR = '/kraft-controller-logs';

/** The metadata quorum's replica on a node: a voter on a controller, an observer on a broker. */
export type QuorumReplicaFactory = (runtime: Runtime, nodeId: number, isVoter: boolean) => RaftClient<MetadataRecord>;

export interface ControllerQuorumSpec {
  /** Dedicated controllers: 1, 3 or 5. */
  readonly controllers: number;
  readonly clusterId: string;
  /** Broker keys by Kafka name, for every controller (min.insync.replicas, unclean.leader.election.enable, ...). */
  readonly config?: ConfigOverrides;
  /** The quorum's replicas (default: KRaft's Raft). */
  readonly replica?: QuorumReplicaFactory;
}

export class ControllerQuorumError extends Error {
  override readonly name = 'ControllerQuorumError';
}

export class ControllerQuorum {
  /** node.id of each controller, in order. */
  readonly ids: readonly number[];
  /** Node name of each controller, in order. */
  readonly nodes: readonly NodeId[];
  /** controller.quorum.voters: `101@controller-101:9093,...`. */
  readonly voters: string;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: ControllerQuorumSpec,
  ) {
    if (![1, 3, 5].includes(spec.controllers)) throw new ControllerQuorumError(`a KRaft quorum has 1, 3 or 5 controllers, not ${spec.controllers}`);
    this.ids = Array.from({ length: spec.controllers }, (_, i) => CONTROLLER_ID_BASE + 1 + i);
    this.nodes = this.ids.map((id) => `controller-${id}`);
    this.voters = this.ids.map((id) => `${id}@controller-${id}:9093`).join(',');
  }

  /** The keys of node `id` in `role`: `config`, then node.id, process.roles and the voters. */
  overrides(id: number, role: 'broker' | 'controller', config: ConfigOverrides = {}): ConfigOverrides {
    return { ...config, 'node.id': id, 'process.roles': role, 'controller.quorum.voters': this.voters };
  }

  /** Adds the controller nodes to the simulation; each starts at once. */
  start(): void {
    this.ids.forEach((id, i) => this.sim.addNode(this.nodes[i]!, (runtime) => new ControllerNode(runtime, {
      raft: this.replica(runtime, id, true),
      config: parseConfig('broker', this.overrides(id, 'controller', this.spec.config)),
      clusterId: this.spec.clusterId,
    })));
  }

  /** The quorum's replica for node `id`: the spec's, or KRaft's Raft. */
  replica(runtime: Runtime, id: number, isVoter: boolean): RaftClient<MetadataRecord> {
    if (this.spec.replica !== undefined) return this.spec.replica(runtime, id, isVoter);
    return new KafkaRaftClient<MetadataRecord>(runtime, parseRaftConfig({
      'node.id': id,
      'controller.quorum.voters': this.voters,
      ...(isVoter ? { 'metadata.log.dir': CONTROLLER_LOG_DIR } : {}),
    }));
  }

  /** The node of controller `id`, or undefined if `id` is not a controller's. */
  nodeOf(id: number): NodeId | undefined {
    const index = this.ids.indexOf(id);
    return index < 0 ? undefined : this.nodes[index];
  }

  /** The controller node's state machine, or undefined while it is down. */
  controller(node: NodeId): ControllerNode | undefined {
    return this.sim.handlers(node) as ControllerNode | undefined;
  }

  /**
   * The live controller that is active (its QuorumController leads) in the highest Raft epoch, if any: a
   * deposed leader cut off from the others may still believe it leads, in an older epoch.
   */
  activeController(): NodeId | undefined {
    let active: NodeId | undefined;
    let activeEpoch = -1;
    for (const node of this.nodes) {
      const controller = this.controller(node);
      if (controller === undefined || !controller.controller.isActive()) continue;
      const epoch = controller.raft.leaderAndEpoch().epoch;
      if (epoch > activeEpoch) {
        active = node;
        activeEpoch = epoch;
      }
    }
    return active;
  }
}

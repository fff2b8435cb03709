// A small KRaft cluster for controller tests: the simulated cluster's controller quorum (sim/controller-
// quorum.ts: controller-101.., a QuorumController each), broker nodes that embed only a BrokerLifecycle and
// record what it publishes, and an admin node that sends controller requests and keeps the answers.
//
// The quorum is the in-memory FakeQuorum (the test names the leader), or with `raft: 'kraft'` the real
// KafkaRaftClient over the simulated network and disks (the voters elect the leader).

import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import type { RaftClient } from '../../engine/raft/raft-client.ts';
import { parseConfig } from '../../engine/config/index.ts';
import type { BrokerConfig, ConfigOverrides } from '../../engine/config/index.ts';
import type { MetadataImage } from '../../engine/metadata/image.ts';
import type { LocalReplicaChanges } from '../../engine/metadata/local-changes.ts';
import type { MetadataRecord } from '../../engine/metadata/records.ts';
import { BrokerLifecycle } from '../../engine/controller/broker-lifecycle.ts';
import type { BrokerState } from '../../engine/controller/broker-lifecycle.ts';
import type { ControllerNode } from '../../engine/controller/controller-node.ts';
import type { QuorumController } from '../../engine/controller/quorum-controller.ts';
import type { CreatableTopic, CreateTopicsRequest, CreateTopicsResponse } from '../../engine/protocol/create-topics.ts';
import type { Request, Response } from '../../engine/protocol/envelope.ts';
import { ControllerQuorum } from '../../sim/controller-quorum.ts';
import { Simulation } from '../../sim/simulation.ts';
import { FakeQuorum } from './fake-raft.ts';

export const CLUSTER_ID = 'tributary-test-cluster';

/** A parsed config for a node outside any cluster (unit tests of the controller's pieces). */
export function brokerConfig(nodeId: number, overrides: ConfigOverrides = {}): BrokerConfig {
  return parseConfig('broker', {
    'node.id': nodeId,
    'process.roles': nodeId >= 100 ? ['controller'] : ['broker'],
    'controller.quorum.voters': ['100@controller-100:9093', '101@controller-101:9093', '102@controller-102:9093'],
    ...overrides,
  });
}


export interface PublishedMetadata {
  readonly image: MetadataImage;
  readonly changes: LocalReplicaChanges;
  readonly atMs: number;
}

/** A broker node with only its KRaft side: it records the images and changes it is given. */
export class TestBrokerNode implements NodeHandlers {
  readonly lifecycle: BrokerLifecycle;
  readonly published: PublishedMetadata[] = [];
  readonly states: BrokerState[] = [];

  constructor(
    runtime: Runtime,
    readonly raft: RaftClient<MetadataRecord>,
    brokerId: number,
    quorum: ControllerQuorum,
    options: { rack?: string | null; config?: ConfigOverrides } = {},
  ) {
    this.lifecycle = new BrokerLifecycle({
      runtime,
      brokerId,
      clusterId: CLUSTER_ID,
      rack: options.rack ?? null,
      metadataLog: raft,
      controllerNodeOf: (id) => quorum.nodeOf(id),
      config: parseConfig('broker', quorum.overrides(brokerId, 'broker', options.config)),
      listener: {
        onMetadata: (image, changes) => this.published.push({ image, changes, atMs: runtime.now() }),
        onStateChange: (state) => this.states.push(state),
      },
    });
  }

  onMessage(from: NodeId, message: Message): void {
    if (!this.lifecycle.handleMessage(from, message)) this.raft.handleMessage(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.lifecycle.onConnectionReset(peer);
    this.raft.handleConnectionReset(peer);
  }
}

/** Sends requests and keeps the answers by correlationId. */
export class AdminNode implements NodeHandlers {
  readonly responses = new Map<number, Response>();
  private nextCorrelationId = 1;

  constructor(private readonly runtime: Runtime) {}

  send(to: NodeId, build: (correlationId: number) => Request): number {
    const correlationId = this.nextCorrelationId++;
    this.runtime.send(to, build(correlationId));
    return correlationId;
  }

  onMessage(_from: NodeId, message: Message): void {
    const response = message as Response;
    this.responses.set(response.correlationId, response);
  }
}

export interface ClusterOptions {
  readonly seed?: number;
  readonly controllers?: number;
  readonly brokers?: number;
  readonly racks?: readonly (string | null)[];
  /** Overrides for every node's broker config (unclean.leader.election.enable, ...). */
  readonly config?: ConfigOverrides;
  /** 'fake' (default): FakeQuorum, controller 100 elected at once; 'kraft': the real Raft module. */
  readonly raft?: 'fake' | 'kraft';
}

export class TestCluster {
  readonly sim: Simulation;
  readonly quorum = new FakeQuorum<MetadataRecord>();
  readonly controllers: ControllerQuorum;
  readonly controllerIds: readonly number[];
  readonly brokerIds: number[] = [];
  private adminNode: AdminNode | undefined;

  constructor(private readonly options: ClusterOptions = {}) {
    this.sim = new Simulation({ seed: options.seed ?? 1 });
    this.controllers = new ControllerQuorum(this.sim, {
      controllers: options.controllers ?? 1,
      clusterId: CLUSTER_ID,
      config: options.config,
      replica: options.raft === 'kraft' ? undefined : (runtime, id, isVoter) => this.quorum.client(runtime, id, isVoter),
    });
    this.controllerIds = this.controllers.ids;
    this.controllers.start();
    if (options.raft !== 'kraft') this.quorum.elect(this.controllerIds[0]!);
    for (let id = 1; id <= (options.brokers ?? 3); id++) this.addBroker(id, options.racks?.[id - 1] ?? null);
    this.sim.addNode('admin', (runtime) => {
      this.adminNode = new AdminNode(runtime);
      return this.adminNode;
    });
  }

  addBroker(id: number, rack: string | null = null): void {
    this.brokerIds.push(id);
    this.sim.addNode(`broker-${id}`, (runtime) => new TestBrokerNode(runtime, this.controllers.replica(runtime, id, false), id, this.controllers, {
      rack, config: this.options.config,
    }));
  }

  controllerNode(id = this.activeControllerId()): ControllerNode {
    const node = this.controllers.controller(`controller-${id}`);
    if (node === undefined) throw new Error(`controller-${id} is down`);
    return node;
  }

  controller(id = this.activeControllerId()): QuorumController {
    return this.controllerNode(id).controller;
  }

  /**
   * The active controller's id, or -1: the FakeQuorum's leader (the test names it), or with real Raft the
   * cluster's active controller (the live one whose QuorumController is active, of the newest epoch).
   */
  activeControllerId(): number {
    if (this.options.raft !== 'kraft') return this.quorum.leaderAndEpoch().leaderId;
    const active = this.controllers.activeController();
    return active === undefined ? -1 : this.controllerIds[this.controllers.nodes.indexOf(active)]!;
  }

  broker(id: number): TestBrokerNode {
    const node = this.sim.handlers(`broker-${id}`);
    if (node === undefined) throw new Error(`broker-${id} is down`);
    return node as TestBrokerNode;
  }

  get admin(): AdminNode {
    return this.adminNode!;
  }

  /** The committed image of the active controller. */
  image(): MetadataImage {
    return this.controller().image();
  }

  /** Runs until every broker is RUNNING (unfenced), or fails after `limitMs`. */
  runUntilBrokersRunning(limitMs = 10_000): void {
    this.runUntil(() => this.brokerIds.every((id) => this.sim.status(`broker-${id}`) !== 'up' || this.broker(id).lifecycle.state === 'RUNNING'), limitMs, 'brokers running');
  }

  runUntil(condition: () => boolean, limitMs: number, what: string): void {
    const end = this.sim.now() + limitMs;
    while (!condition()) {
      if (this.sim.now() >= end) throw new Error(`not reached within ${limitMs} ms: ${what}`);
      this.sim.runFor(10);
    }
  }

  /** Sends CreateTopics from the admin node to the active controller and waits for the answer. */
  createTopics(topics: readonly CreatableTopic[], validateOnly = false): CreateTopicsResponse {
    const to = `controller-${this.activeControllerId()}`;
    const id = this.admin.send(to, (correlationId): CreateTopicsRequest => ({
      type: 'CreateTopicsRequest', sizeBytes: 100, correlationId, clientId: 'admin', topics, timeoutMs: 30_000, validateOnly,
    }));
    this.runUntil(() => this.admin.responses.has(id), 5_000, 'a CreateTopics answer');
    return this.admin.responses.get(id) as CreateTopicsResponse;
  }
}

export function topic(name: string, numPartitions: number, replicationFactor: number, configs: Record<string, string> = {}): CreatableTopic {
  return {
    name,
    numPartitions,
    replicationFactor,
    assignments: [],
    configs: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  };
}

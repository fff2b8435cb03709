// A broker node, whole: what a harness adds to a simulation for `process.roles=broker` (or
// `broker,controller`, combined mode).
//
//   sim.addNode('broker-1', brokerNodeFactory({ clusterId: 'c1', config: {
//     'node.id': 1, 'process.roles': 'broker', 'controller.quorum.voters': '100@controller-100:9093',
//   } }));
//
// Inside: a Raft replica of the metadata log (an observer; the node's voter in combined mode), the
// BrokerLifecycle that folds that log into images, registers and heartbeats, and the Broker that serves
// requests over its replica manager; in combined mode also a QuorumController on the same voter. Messages go
// to the first component that takes them: controller, lifecycle, broker, then Raft.
//
// Log directories: partition logs in log.dirs (default here /kafka-logs, not Kafka's /tmp/kafka-logs); the
// metadata log in metadata.log.dir (/kraft-combined-logs), kept apart so that the partition log manager never
// sees `__cluster_metadata-0`.

import { explicitOverrides, parseConfig } from '../config/parse.ts';
import type { BrokerConfig, ConfigOverrides } from '../config/types.ts';
import { BrokerLifecycle } from '../controller/broker-lifecycle.ts';
import { QuorumController } from '../controller/quorum-controller.ts';
import { loopbackSender } from '../controller/sender.ts';
import type { Sender } from '../controller/sender.ts';
import type { MetadataRecord } from '../metadata/records.ts';
import { readCleanShutdownBrokerEpoch } from '../log/log-manager.ts';
import { KafkaRaftClient } from '../raft/kafka-raft-client.ts';
import { parseQuorumVoters } from '../config/quorum-voters.ts';
import { parseRaftConfig } from '../raft/raft-config.ts';
import type { DiskError, Message, NodeHandlers, NodeId, Runtime } from '../runtime.ts';
import { Broker } from '../broker.ts';
import type { CpuProfile } from './cpu-model.ts';

export const DEFAULT_LOG_DIR = '/kafka-logs';
export const DEFAULT_METADATA_LOG_DIR = '/kraft-combined-logs';

export interface BrokerNodeOptions {
  readonly clusterId: string;
  /** Kafka broker keys (node.id, process.roles and controller.quorum.voters are required), or a parsed config. */
  readonly config: ConfigOverrides | BrokerConfig;
  /** The CPU cost model of the broker's request handling. */
  readonly cpu?: CpuProfile;
  /** Where the metadata log lives (Kafka's metadata.log.dir). */
  readonly metadataLogDir?: string;
  /** How long a controlled shutdown may wait for the controller before the broker stops anyway. */
  readonly controlledShutdownTimeoutMs?: number;
}

/** The node factory for Simulation.addNode. */
export function brokerNodeFactory(options: BrokerNodeOptions): (runtime: Runtime) => BrokerNode {
  return (runtime) => new BrokerNode(runtime, options);
}

/** Parses a broker config, with log.dirs defaulting to /kafka-logs. */
export function brokerNodeConfig(config: ConfigOverrides | BrokerConfig): BrokerConfig {
  const given: ConfigOverrides = isParsed(config) ? explicitOverrides(config) as ConfigOverrides : config;
  const defaults: ConfigOverrides = Object.hasOwn(given, 'log.dirs') || Object.hasOwn(given, 'log.dir') ? {} : { 'log.dirs': [DEFAULT_LOG_DIR] };
  return parseConfig('broker', { ...defaults, ...given });
}

function isParsed(config: ConfigOverrides | BrokerConfig): config is BrokerConfig {
  return Object.isFrozen(config) && Object.hasOwn(config, 'replica.lag.time.max.ms');
}

export class BrokerNode implements NodeHandlers {
  readonly config: BrokerConfig;
  readonly raft: KafkaRaftClient<MetadataRecord>;
  readonly lifecycle: BrokerLifecycle;
  readonly broker: Broker;
  /** Present in combined mode. */
  readonly controller: QuorumController | undefined;
  private stopping = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: BrokerNodeOptions,
  ) {
    const config = brokerNodeConfig(options.config);
    this.config = config;
    const brokerId = config['node.id'] as number;
    const voters = parseQuorumVoters(config['controller.quorum.voters']);
    const combined = config['process.roles'].includes('controller');
    this.raft = new KafkaRaftClient<MetadataRecord>(runtime, parseRaftConfig({
      'node.id': brokerId,
      'controller.quorum.voters': config['controller.quorum.voters'].join(','),
      'metadata.log.dir': options.metadataLogDir ?? DEFAULT_METADATA_LOG_DIR,
      'controller.quorum.election.timeout.ms': config['controller.quorum.election.timeout.ms'],
      'controller.quorum.fetch.timeout.ms': config['controller.quorum.fetch.timeout.ms'],
      'controller.quorum.election.backoff.max.ms': config['controller.quorum.election.backoff.max.ms'],
      'controller.quorum.request.timeout.ms': config['controller.quorum.request.timeout.ms'],
      'controller.quorum.retry.backoff.ms': config['controller.quorum.retry.backoff.ms'],
    }));
    const send: Sender | undefined = combined ? loopbackSender(runtime, (from, message) => this.onMessage(from, message)) : undefined;
    this.controller = combined
      ? new QuorumController({ runtime, raft: this.raft, config, clusterId: options.clusterId, send })
      : undefined;
    let lifecycle: BrokerLifecycle | undefined;
    this.broker = new Broker(runtime, {
      config,
      clusterId: options.clusterId,
      controller: { // the lifecycle's channel, once it exists (the broker is its listener, so it comes first)
        alterPartition: (fields, onResponse) => lifecycle?.channel.alterPartition(fields, onResponse),
        allocateProducerIds: (id, epoch, onResponse) => lifecycle?.channel.allocateProducerIds(id, epoch, onResponse),
        createTopics: (fields, onResponse) => lifecycle?.channel.createTopics(fields, onResponse),
      },
      brokerEpoch: () => lifecycle?.brokerEpoch ?? -1,
      cpu: options.cpu,
    });
    lifecycle = new BrokerLifecycle({
      runtime,
      brokerId,
      clusterId: options.clusterId,
      metadataLog: this.raft,
      controllerNodeOf: (id) => voters.find((voter) => voter.id === id)?.host,
      config,
      listener: this.broker,
      // Read before the logs load (which deletes the marker), as Kafka's BrokerServer does.
      previousBrokerEpoch: readCleanShutdownBrokerEpoch(runtime.disk, (config['log.dirs'] as readonly string[])[0]),
      send,
    });
    this.lifecycle = lifecycle;
  }

  onMessage(from: NodeId, message: Message): void {
    if (this.controller?.handleMessage(from, message)) return;
    if (this.lifecycle.handleMessage(from, message)) return;
    if (this.broker.handleMessage(from, message)) return;
    this.raft.handleMessage(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.lifecycle.onConnectionReset(peer);
    this.broker.onConnectionReset(peer);
    this.raft.handleConnectionReset(peer);
  }

  /**
   * Stops the broker cleanly: a controlled shutdown first (controlled.shutdown.enable: the controller moves
   * leadership away), then the logs are flushed and closed and the clean-shutdown marker written (with this
   * incarnation's broker epoch, which the next start presents to the controller); `done` once
   * that is durable. The harness then takes the node down (Simulation.crash), as the process would exit.
   */
  shutdown(done: (error?: DiskError) => void): void {
    if (this.stopping) return;
    this.stopping = true;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.broker.shutdown((error) => {
        this.lifecycle.stop();
        this.raft.shutdown();
        done(error);
      });
    };
    if (!this.config['controlled.shutdown.enable']) return finish();
    this.lifecycle.beginControlledShutdown(finish);
    this.runtime.setTimer(this.options.controlledShutdownTimeoutMs ?? 30_000, finish);
  }
}

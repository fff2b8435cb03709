// A small world for replication tests: brokers built from engine/broker.ts, driven by a hand-made metadata
// image instead of the metadata log, and a fake controller node that answers AlterPartition and
// AllocateProducerIds the way the real one does (partition epoch check, broker epoch check) and publishes
// the new image to every live broker a millisecond later.

import { Broker } from '../../engine/broker.ts';
import type { BrokerOptions } from '../../engine/broker.ts';
import { FREE_CPU_PROFILE } from '../../engine/broker/cpu-model.ts';
import type { CpuProfile } from '../../engine/broker/cpu-model.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import type { ConfigOverrides } from '../../engine/config/types.ts';
import { ControllerChannel } from '../../engine/controller/controller-channel.ts';
import type { BrokerRegistration, MetadataImage, PartitionRegistration, TopicImage } from '../../engine/metadata/image.ts';
import { allocateProducerIdsResponse } from '../../engine/protocol/allocate-producer-ids.ts';
import type { AllocateProducerIdsRequest } from '../../engine/protocol/allocate-producer-ids.ts';
import type { AlterPartitionRequest, AlterPartitionResponse, AlterPartitionResult } from '../../engine/protocol/alter-partition.ts';
import type { CreateTopicsRequest } from '../../engine/protocol/create-topics.ts';
import { createTopicsResponse } from '../../engine/controller/controller-messages.ts';
import type { Request, Response } from '../../engine/protocol/envelope.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { FetchRequest, FetchResponse } from '../../engine/protocol/fetch.ts';
import type { ProduceRequest, ProduceResponse, Acks } from '../../engine/protocol/produce.ts';
import { encodeBatch } from '../../engine/records/batch.ts';
import type { BatchInput } from '../../engine/records/batch.ts';
import { readBatches } from '../../engine/records/read-batches.ts';
import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import { Simulation } from '../../sim/simulation.ts';

export const CONTROLLER = 'controller';
export const CLIENT = 'client';
/** Consumer fetches come from their own node: a long poll holds its connection (one request at a time). */
export const CONSUMER = 'consumer';

export function brokerNode(id: number): NodeId {
  return `broker-${id}`;
}

/** A broker node as the tests build it: the Broker, a channel to the fake controller, nothing else. */
export class TestBrokerNode implements NodeHandlers {
  readonly broker: Broker;
  readonly channel: ControllerChannel;

  constructor(runtime: Runtime, options: Omit<BrokerOptions, 'controller' | 'clusterId'>) {
    this.channel = new ControllerChannel({ runtime, clientId: runtime.nodeId, controllerNode: () => CONTROLLER, requestTimeoutMs: 1000 });
    this.broker = new Broker(runtime, { ...options, clusterId: 'test-cluster', controller: this.channel });
  }

  onMessage(from: NodeId, message: Message): void {
    if (this.channel.handleMessage(from, message)) return;
    this.broker.handleMessage(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.channel.onConnectionReset(peer);
    this.broker.onConnectionReset(peer);
  }
}

/** The client node: sends what a test asks and keeps every response by correlation id. */
export class TestClient implements NodeHandlers {
  readonly responses = new Map<number, Response>();
  private nextId: number;

  constructor(private readonly runtime: Runtime, firstId = 1) {
    this.nextId = firstId;
  }

  send<R extends Request>(to: NodeId, request: Omit<R, 'correlationId' | 'clientId'>): number {
    const correlationId = this.nextId++;
    this.runtime.send(to, { ...request, correlationId, clientId: 'test-client' } as unknown as Message);
    return correlationId;
  }

  onMessage(_from: NodeId, message: Message): void {
    const response = message as Response;
    this.responses.set(response.correlationId, response);
  }
}

export interface WorldOptions {
  readonly brokers?: readonly number[];
  readonly seed?: number;
  /** Broker config overrides for every broker. */
  readonly config?: ConfigOverrides;
  /** The brokers' CPU model; free (answers leave at once) by default. */
  readonly cpu?: CpuProfile;
}

export class ReplicationWorld {
  readonly sim: Simulation;
  readonly brokerIds: readonly number[];
  image: MetadataImage;
  /** When true, the fake controller ignores AlterPartition requests. */
  controllerSilent = false;
  /** AlterPartition requests received, for assertions. */
  readonly alterPartitions: AlterPartitionRequest[] = [];
  /** CreateTopics requests received (answered NONE, nothing created). */
  readonly createTopics: CreateTopicsRequest[] = [];
  private readonly brokerEpochs = new Map<number, number>();
  private nextBrokerEpoch = 100;
  private nextProducerId = 4000;

  constructor(options: WorldOptions = {}) {
    this.sim = new Simulation({ seed: options.seed ?? 1 });
    this.brokerIds = options.brokers ?? [1, 2, 3];
    this.image = { offset: 0, brokers: new Map(), topics: new Map(), topicNamesById: new Map(), nextProducerId: 0, controllerId: 3000 };
    this.sim.addNode(CONTROLLER, (runtime) => ({ onMessage: (from, message) => this.onControllerMessage(runtime, from, message) }));
    this.sim.addNode(CLIENT, (runtime) => new TestClient(runtime));
    this.sim.addNode(CONSUMER, (runtime) => new TestClient(runtime, 1_000_000));
    for (const id of this.brokerIds) {
      this.sim.addNode(brokerNode(id), (runtime) => this.startBroker(runtime, id, options.config ?? {}, options.cpu ?? FREE_CPU_PROFILE));
    }
  }

  private startBroker(runtime: Runtime, id: number, overrides: ConfigOverrides, cpu: CpuProfile): TestBrokerNode {
    const config = parseConfig('broker', { 'node.id': id, 'process.roles': 'broker', 'controller.quorum.voters': '3000@controller:9093', 'log.dirs': '/kafka-logs', ...overrides });
    const epoch = this.nextBrokerEpoch++;
    this.brokerEpochs.set(id, epoch);
    const node = new TestBrokerNode(runtime, { config, brokerEpoch: () => this.brokerEpochs.get(id) ?? -1, cpu });
    this.setBroker(id, { fenced: false, brokerEpoch: epoch });
    // The broker hears the image once it runs, as it would from the metadata log.
    runtime.setTimer(0, () => node.broker.onMetadata(this.image));
    return node;
  }

  // -------------------------------------------------------------------------------------------------------
  // Accessors

  node(id: number): TestBrokerNode {
    const handlers = this.sim.handlers(brokerNode(id));
    if (handlers === undefined) throw new Error(`broker ${id} is down`);
    return handlers as TestBrokerNode;
  }

  broker(id: number): Broker {
    return this.node(id).broker;
  }

  client(node: NodeId = CLIENT): TestClient {
    return this.sim.handlers(node) as TestClient;
  }

  registration(topic: string, partition: number): PartitionRegistration {
    const found = this.image.topics.get(topic)?.partitions[partition];
    if (found === undefined) throw new Error(`no partition ${topic}-${partition}`);
    return found;
  }

  brokerEpoch(id: number): number {
    return this.brokerEpochs.get(id) ?? -1;
  }

  // -------------------------------------------------------------------------------------------------------
  // Metadata changes (what the controller would decide)

  /** Creates a topic whose partitions are led by the first replica, with every replica in the ISR. */
  createTopic(name: string, assignment: readonly (readonly number[])[], configs: Readonly<Record<string, string>> = {}): void {
    const partitions: PartitionRegistration[] = assignment.map((replicas, partition) => ({
      topic: name, partition, replicas, isr: replicas, leader: replicas[0], leaderEpoch: 0, partitionEpoch: 0, leaderRecoveryState: 0,
    }));
    const topic: TopicImage = { name, topicId: `id-${name}`, partitions, configs };
    const topics = new Map(this.image.topics);
    topics.set(name, topic);
    this.publish({ ...this.image, topics });
  }

  /** A new leader (with a new leader epoch); the ISR defaults to the old one. */
  electLeader(topic: string, partition: number, leader: number, isr?: readonly number[]): void {
    const current = this.registration(topic, partition);
    this.updatePartition(topic, partition, { leader, leaderEpoch: current.leaderEpoch + 1, isr: isr ?? current.isr });
  }

  /** Changes the registration (a partition epoch bump), e.g. the ISR. */
  updatePartition(topic: string, partition: number, change: Partial<PartitionRegistration>): void {
    const current = this.registration(topic, partition);
    const next: PartitionRegistration = { ...current, ...change, partitionEpoch: current.partitionEpoch + 1 };
    const image = this.image.topics.get(topic) as TopicImage;
    const partitions = [...image.partitions];
    partitions[partition] = next;
    const topics = new Map(this.image.topics);
    topics.set(topic, { ...image, partitions });
    this.publish({ ...this.image, topics });
  }

  setBroker(id: number, change: Partial<BrokerRegistration>): void {
    const current: BrokerRegistration = this.image.brokers.get(id) ?? {
      brokerId: id, brokerEpoch: -1, incarnationId: `i-${id}`, host: brokerNode(id), endPoints: [], rack: null, fenced: false, inControlledShutdown: false,
    };
    const brokers = new Map(this.image.brokers);
    brokers.set(id, { ...current, ...change });
    this.publish({ ...this.image, brokers });
  }

  /** Installs `image` and hands it to every live broker (a millisecond later, as the log would). */
  publish(image: MetadataImage): void {
    this.image = { ...image, offset: this.image.offset + 1 };
    const published = this.image;
    this.sim.scheduler.after(1, () => {
      for (const id of this.brokerIds) {
        if (this.sim.status(brokerNode(id)) !== 'up') continue;
        if (this.image !== published) continue;
        this.node(id).broker.onMetadata(published);
      }
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // The fake controller

  private onControllerMessage(runtime: Runtime, from: NodeId, message: Message): void {
    if (message.type === 'AllocateProducerIdsRequest') {
      const request = message as AllocateProducerIdsRequest;
      const start = this.nextProducerId;
      this.nextProducerId += 1000;
      runtime.send(from, allocateProducerIdsResponse({ correlationId: request.correlationId, throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerIdStart: start, producerIdLen: 1000 }));
      return;
    }
    if (message.type === 'CreateTopicsRequest') {
      const request = message as CreateTopicsRequest;
      this.createTopics.push(request);
      runtime.send(from, createTopicsResponse(request.correlationId, request.topics.map((topic) => ({
        name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: 1, replicationFactor: 1,
      }))));
      return;
    }
    if (message.type !== 'AlterPartitionRequest') return;
    const request = message as AlterPartitionRequest;
    this.alterPartitions.push(request);
    if (this.controllerSilent) return;
    const topics = request.topics.map((topic) => ({
      topicName: topic.topicName,
      partitions: topic.partitions.map((data): AlterPartitionResult => {
        const current = this.registration(topic.topicName, data.partitionIndex);
        const fail = (errorCode: number): AlterPartitionResult => ({ partitionIndex: data.partitionIndex, errorCode, leaderId: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1 });
        if (request.brokerEpoch !== this.brokerEpoch(request.brokerId)) return fail(ErrorCode.STALE_BROKER_EPOCH);
        if (data.leaderEpoch !== current.leaderEpoch || current.leader !== request.brokerId) return fail(ErrorCode.FENCED_LEADER_EPOCH);
        if (data.partitionEpoch !== current.partitionEpoch) return fail(ErrorCode.INVALID_UPDATE_VERSION);
        for (const member of data.newIsrWithEpochs) {
          const broker = this.image.brokers.get(member.brokerId);
          if (broker === undefined || broker.fenced || (member.brokerEpoch >= 0 && member.brokerEpoch !== broker.brokerEpoch)) return fail(ErrorCode.INELIGIBLE_REPLICA);
        }
        this.updatePartition(topic.topicName, data.partitionIndex, { isr: data.newIsrWithEpochs.map((member) => member.brokerId) });
        const next = this.registration(topic.topicName, data.partitionIndex);
        return { partitionIndex: data.partitionIndex, errorCode: ErrorCode.NONE, leaderId: next.leader, leaderEpoch: next.leaderEpoch, isr: next.isr, partitionEpoch: next.partitionEpoch };
      }),
    }));
    const response: AlterPartitionResponse = { type: 'AlterPartitionResponse', sizeBytes: 64, correlationId: request.correlationId, errorCode: ErrorCode.NONE, topics };
    runtime.send(from, response);
  }

  // -------------------------------------------------------------------------------------------------------
  // Client helpers

  /** Sends a produce of one batch to `leader`; returns the correlation id. */
  produce(leader: number, topic: string, partition: number, batch: Uint8Array, options: { acks?: Acks; timeoutMs?: number } = {}): number {
    return this.client().send<ProduceRequest>(brokerNode(leader), {
      type: 'ProduceRequest', sizeBytes: 64 + batch.length, acks: options.acks ?? -1, timeoutMs: options.timeoutMs ?? 30_000,
      topicData: [{ topic, partitions: [{ partition, records: batch }] }],
    });
  }

  /** A consumer fetch. */
  consumerFetch(broker: number, topic: string, partition: number, fetchOffset: number, options: { maxWaitMs?: number; minBytes?: number; currentLeaderEpoch?: number } = {}): number {
    return this.client(CONSUMER).send<FetchRequest>(brokerNode(broker), {
      type: 'FetchRequest', sizeBytes: 64, replicaId: -1, replicaEpoch: -1, maxWaitMs: options.maxWaitMs ?? 0, minBytes: options.minBytes ?? 1,
      maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: options.currentLeaderEpoch ?? -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    });
  }

  response<R extends Response>(correlationId: number): R | undefined {
    const node = correlationId >= 1_000_000 ? CONSUMER : CLIENT;
    return this.client(node).responses.get(correlationId) as R | undefined;
  }

  produceResult(correlationId: number): { errorCode: number; baseOffset: number } | undefined {
    const response = this.response<ProduceResponse>(correlationId);
    const partition = response?.responses[0]?.partitions[0];
    return partition === undefined ? undefined : { errorCode: partition.errorCode, baseOffset: partition.baseOffset };
  }

  fetchResult(correlationId: number): { errorCode: number; highWatermark: number; values: string[] } | undefined {
    const response = this.response<FetchResponse>(correlationId);
    const partition = response?.responses[0]?.partitions[0];
    if (partition === undefined) return undefined;
    const values: string[] = [];
    for (const batch of readBatches(partition.records)) for (const record of batch.records) values.push(new TextDecoder().decode(record.value ?? new Uint8Array()));
    return { errorCode: partition.errorCode, highWatermark: partition.highWatermark, values };
  }

  /** Every value in a replica's log, in offset order. */
  logValues(id: number, topic: string, partition: number): string[] {
    const replica = this.broker(id).replicaManager.partition(topic, partition);
    if (replica === undefined) return [];
    const values: string[] = [];
    let offset = replica.logStartOffset;
    while (offset < replica.logEndOffset) {
      const { bytes, nextOffset } = replica.log.read(offset, 1 << 20);
      if (nextOffset <= offset) break;
      for (const batch of readBatches(bytes)) for (const record of batch.records) values.push(new TextDecoder().decode(record.value ?? new Uint8Array()));
      offset = nextOffset;
    }
    return values;
  }
}

/** A batch of string values (optionally idempotent). */
export function batchOf(values: readonly string[], options: Omit<BatchInput, 'records'> = {}): Uint8Array {
  const encoder = new TextEncoder();
  return encodeBatch({ timestamp: 1000, ...options, records: values.map((value) => ({ value: encoder.encode(value) })) });
}

// One broker: the request handlers over the replica manager, fed by the metadata log.
//
// The broker answers clients and other brokers — Metadata, CreateTopics (forwarded to the active
// controller), Produce, Fetch (followers and consumers), ListOffsets, OffsetsForLeaderEpoch, InitProducerId —
// with Kafka's error codes, one request at a time per connection (request-channel.ts), each answer delayed by
// the CPU model (cpu-model.ts). Its partitions follow the metadata images its BrokerLifecycle publishes
// (onMetadata); its requests to the controller (AlterPartition, AllocateProducerIds, CreateTopics) go through
// a ControllerClient (the lifecycle's channel). A Broker is a component: a node (broker-node.ts) routes
// messages to it, to its lifecycle and, in combined mode, to a controller.

import type { BrokerConfig } from './config/types.ts';
import type { BrokerMetadataListener } from './controller/broker-lifecycle.ts';
import type { MetadataImage } from './metadata/image.ts';
import type { AllocateProducerIdsResponse } from './protocol/allocate-producer-ids.ts';
import type { AlterPartitionData, AlterPartitionRequest, AlterPartitionResponse, AlterPartitionResult } from './protocol/alter-partition.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './protocol/create-topics.ts';
import { HEADER_BYTES } from './protocol/envelope.ts';
import type { Request } from './protocol/envelope.ts';
import { ErrorCode } from './protocol/errors.ts';
import type { FetchRequest } from './protocol/fetch.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './protocol/init-producer-id.ts';
import type { ListOffsetsRequest } from './protocol/list-offsets.ts';
import type { MetadataRequest } from './protocol/metadata.ts';
import type { OffsetsForLeaderEpochRequest } from './protocol/offsets-for-leader-epoch.ts';
import type { ProduceRequest } from './protocol/produce.ts';
import type { DiskError, Message, NodeId, Runtime } from './runtime.ts';
import { CpuModel, DEFAULT_CPU_PROFILE } from './broker/cpu-model.ts';
import type { CpuProfile } from './broker/cpu-model.ts';
import { answerMetadata } from './broker/metadata-handler.ts';
import { answerListOffsets, answerOffsetsForLeaderEpoch } from './broker/offset-handlers.ts';
import { ProducerIdManager } from './broker/producer-id-manager.ts';
import { RequestChannel } from './broker/request-channel.ts';
import type { Reply } from './broker/request-channel.ts';
import type { AlterPartitionChannel } from './replication/isr.ts';
import { ReplicaManager } from './replication/replica-manager.ts';

type RequestFields<M> = Omit<M, 'type' | 'sizeBytes' | 'correlationId' | 'clientId'>;

/** The broker's requests to the active controller (BrokerLifecycle.channel implements it). */
export interface ControllerClient {
  alterPartition(fields: RequestFields<AlterPartitionRequest>, onResponse: (response: AlterPartitionResponse) => void): void;
  allocateProducerIds(brokerId: number, brokerEpoch: number, onResponse: (response: AllocateProducerIdsResponse) => void): void;
  createTopics(fields: RequestFields<CreateTopicsRequest>, onResponse: (response: CreateTopicsResponse) => void): void;
}

export interface BrokerOptions {
  /** The parsed broker config (node.id, log.dirs, replication keys...). */
  readonly config: BrokerConfig;
  readonly clusterId: string;
  readonly controller: ControllerClient;
  /** This broker's epoch from its registration, -1 before it registered. */
  readonly brokerEpoch: () => number;
  /** The CPU cost model; DEFAULT_CPU_PROFILE if absent. */
  readonly cpu?: CpuProfile;
}

/** The requests a broker answers (everything else is for other components of its node). */
export const BROKER_REQUEST_TYPES: ReadonlySet<string> = new Set([
  'ProduceRequest', 'FetchRequest', 'ListOffsetsRequest', 'MetadataRequest', 'OffsetsForLeaderEpochRequest',
  'CreateTopicsRequest', 'InitProducerIdRequest',
]);

/** How long a forwarded auto-creation may take. */
const AUTO_CREATE_TIMEOUT_MS = 30_000;
/** Correlation ids of the broker's own requests (fetchers) start here, apart from its other clients'. */
const FIRST_CORRELATION_ID = 1_000_000;

export class Broker implements BrokerMetadataListener {
  readonly brokerId: number;
  readonly replicaManager: ReplicaManager;
  readonly cpu: CpuModel;
  private readonly requests: RequestChannel;
  private readonly producerIds: ProducerIdManager;
  private readonly autoCreating = new Set<string>();
  private correlationId = FIRST_CORRELATION_ID;
  private producerIdsRequested = false;
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: BrokerOptions,
  ) {
    const config = options.config;
    this.brokerId = config['node.id'] as number;
    const logDirs = config['log.dirs'] as readonly string[];
    this.cpu = new CpuModel(options.cpu ?? DEFAULT_CPU_PROFILE);
    this.replicaManager = new ReplicaManager({
      runtime,
      config,
      logDir: logDirs[0],
      alterPartition: this.alterPartitionChannel(),
      brokerEpoch: options.brokerEpoch,
      nextCorrelationId: () => this.correlationId++,
    });
    this.producerIds = new ProducerIdManager(
      { allocate: (done) => options.controller.allocateProducerIds(this.brokerId, options.brokerEpoch(), done) },
      (event, fields) => runtime.trace(event, fields),
    );
    this.requests = new RequestChannel(runtime, this.cpu, (from, request, reply) => this.dispatch(from, request, reply));
  }

  // -------------------------------------------------------------------------------------------------------
  // Wiring

  /** Takes requests for this broker and answers to its fetchers; false for anything else. */
  handleMessage(from: NodeId, message: Message): boolean {
    if (this.stopped) return BROKER_REQUEST_TYPES.has(message.type);
    if (BROKER_REQUEST_TYPES.has(message.type)) {
      this.requests.receive(from, message as Request);
      return true;
    }
    return this.replicaManager.handleFetcherResponse(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.requests.connectionReset(peer);
    this.replicaManager.onConnectionReset(peer);
  }

  /** A new metadata image (from the BrokerLifecycle, or a test). */
  onMetadata(image: MetadataImage): void {
    if (this.stopped) return;
    this.replicaManager.applyImage(image);
    if (!this.producerIdsRequested && this.options.brokerEpoch() >= 0) {
      this.producerIdsRequested = true;
      this.producerIds.requestBlock();
    }
  }

  /**
   * Clean shutdown: stops answering, then flushes and closes every log, checkpoints the high watermarks and
   * recovery points and writes the clean-shutdown marker; `done` once durable. (A controlled shutdown, which
   * first moves leadership away, is the lifecycle's, before this.)
   */
  shutdown(done: (error?: DiskError) => void): void {
    this.stopped = true;
    this.runtime.trace('broker.shutdown', { broker: this.brokerId });
    this.replicaManager.shutdown(done);
  }

  private alterPartitionChannel(): AlterPartitionChannel {
    return {
      alterPartition: (topic: string, data: AlterPartitionData, done: (result: AlterPartitionResult) => void) => {
        const failed = (errorCode: number): AlterPartitionResult => ({ partitionIndex: data.partitionIndex, errorCode, leaderId: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1 });
        this.options.controller.alterPartition(
          { brokerId: this.brokerId, brokerEpoch: this.options.brokerEpoch(), topics: [{ topicName: topic, partitions: [data] }] },
          (response) => {
            if (response.errorCode !== ErrorCode.NONE) return done(failed(response.errorCode));
            const result = response.topics.find((t) => t.topicName === topic)?.partitions.find((p) => p.partitionIndex === data.partitionIndex);
            done(result ?? failed(ErrorCode.UNKNOWN_SERVER_ERROR));
          },
        );
      },
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Requests

  private dispatch(from: NodeId, request: Request, reply: Reply): void {
    switch (request.type) {
      case 'ProduceRequest': {
        const produce = request as ProduceRequest;
        this.replicaManager.appendRecords(produce, reply);
        if (produce.acks === 0) reply(undefined);
        return;
      }
      case 'FetchRequest':
        return this.replicaManager.fetchMessages(request as FetchRequest, reply);
      case 'ListOffsetsRequest':
        return reply(answerListOffsets(request as ListOffsetsRequest, this.replicaManager));
      case 'OffsetsForLeaderEpochRequest':
        return reply(answerOffsetsForLeaderEpoch(request as OffsetsForLeaderEpochRequest, this.replicaManager));
      case 'MetadataRequest':
        return this.handleMetadata(request as MetadataRequest, reply);
      case 'CreateTopicsRequest':
        return this.handleCreateTopics(request as CreateTopicsRequest, reply);
      case 'InitProducerIdRequest':
        return reply(this.handleInitProducerId(request as InitProducerIdRequest));
      default:
        this.runtime.trace('broker.unknown-request', { from, type: request.type });
        return reply(undefined);
    }
  }

  private handleMetadata(request: MetadataRequest, reply: Reply): void {
    const config = this.options.config;
    const { response, toCreate } = answerMetadata(request, this.replicaManager.metadataImage, this.options.clusterId, config['auto.create.topics.enable']);
    const fresh = toCreate.filter((name) => !this.autoCreating.has(name));
    if (fresh.length > 0) {
      for (const name of fresh) this.autoCreating.add(name);
      this.options.controller.createTopics({
        topics: fresh.map((name) => ({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] })),
        timeoutMs: AUTO_CREATE_TIMEOUT_MS,
        validateOnly: false,
      }, () => {
        for (const name of fresh) this.autoCreating.delete(name);
      });
    }
    reply(response);
  }

  /** Forwarded to the active controller; its answer goes back under the client's correlation id. */
  private handleCreateTopics(request: CreateTopicsRequest, reply: Reply): void {
    this.options.controller.createTopics(
      { topics: request.topics, timeoutMs: request.timeoutMs, validateOnly: request.validateOnly },
      (response) => reply({ ...response, correlationId: request.correlationId }),
    );
  }

  private handleInitProducerId(request: InitProducerIdRequest): InitProducerIdResponse {
    const answer = (errorCode: number, producerId = -1, producerEpoch = -1): InitProducerIdResponse => ({
      type: 'InitProducerIdResponse', sizeBytes: HEADER_BYTES + 14, correlationId: request.correlationId, errorCode, producerId, producerEpoch,
    });
    // Transactions are not modelled: only idempotent producers (no transactional.id) get ids.
    if (request.transactionalId !== null) return answer(ErrorCode.INVALID_REQUEST);
    const producerId = this.producerIds.nextId();
    if (producerId === undefined) return answer(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    return answer(ErrorCode.NONE, producerId, 0);
  }
}

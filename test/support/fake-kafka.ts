// A small fake Kafka cluster for client tests: broker nodes that answer Metadata, Produce, Fetch, ListOffsets,
// OffsetsForLeaderEpoch and InitProducerId from one shared in-memory state, with levers a test pulls (move a
// leader, truncate a log, drop a response, answer an error).
//
// It is deliberately simple: one copy of each partition's log (no replication, the high watermark is the log
// end), but it follows Kafka's rules where the clients depend on them: leadership and leader-epoch checks,
// idempotent deduplication of the last five batches per producer with Kafka's sequence checks (a new epoch
// starts at sequence 0, an unknown producer may start anywhere), leader-epoch start offsets for
// OffsetsForLeaderEpoch, fetches held up to maxWaitMs while nothing is readable.

import type { Message, NodeHandlers, NodeId, Runtime, TimerId } from '../../engine/runtime.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../../engine/protocol/envelope.ts';
import type { Request } from '../../engine/protocol/envelope.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from '../../engine/protocol/fetch.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../engine/protocol/init-producer-id.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../engine/protocol/list-offsets.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../../engine/protocol/list-offsets.ts';
import type { MetadataRequest, MetadataResponse, MetadataTopic } from '../../engine/protocol/metadata.ts';
import type { OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../../engine/protocol/offsets-for-leader-epoch.ts';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from '../../engine/protocol/produce.ts';
import { encodeBatch, readBatches } from '../../engine/records/batch.ts';
import type { DecodedBatch } from '../../engine/records/batch.ts';
import { setBaseOffset, setPartitionLeaderEpoch } from '../../engine/records/batch-header.ts';
import type { Simulation } from '../../sim/simulation.ts';

export interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly epoch: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly bytes: Uint8Array;
}

interface ProducerEntry {
  epoch: number;
  /** The last five batches: sequences and offsets, oldest first. */
  readonly batches: Array<{ firstSeq: number; lastSeq: number; firstOffset: number }>;
}

export interface FakePartition {
  leaderId: number;
  leaderEpoch: number;
  readonly batches: StoredBatch[];
  logStartOffset: number;
  logEndOffset: number;
  /** Leader epochs and the offset each started at, ascending. */
  readonly epochs: Array<{ epoch: number; startOffset: number }>;
  readonly producers: Map<number, ProducerEntry>;
}

export interface RecordedRequest {
  readonly broker: number;
  readonly atMs: number;
  readonly request: Request;
}

interface ParkedFetch {
  readonly from: NodeId;
  readonly request: FetchRequest;
  readonly timer: TimerId;
}

export interface FakeKafkaOptions {
  readonly brokers: number;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: number; readonly leaders?: readonly number[] }>;
}

export const brokerNode = (id: number): NodeId => `broker-${id}`;

export class FakeKafka {
  readonly brokerIds: number[];
  readonly topics = new Map<string, FakePartition[]>();
  /** Every request a broker received, in order. */
  readonly requests: RecordedRequest[] = [];
  /**
   * Return true to process a request but drop its response (a response lost on the way back). On one TCP
   * connection a lost answer loses the answers behind it too: drop a window of answers, not one in the middle
   * of answered ones, or the test shows a fault no real network makes.
   */
  dropResponse: (broker: number, request: Request) => boolean = () => false;
  /** Return an error code to answer a produce partition with it instead of appending. */
  produceError: (broker: number, topic: string, partition: number, request: ProduceRequest) => number | undefined = () => undefined;
  private nextProducerId = 1000;
  private readonly parked = new Map<number, ParkedFetch[]>();
  private readonly runtimes = new Map<number, Runtime>();

  constructor(sim: Simulation, options: FakeKafkaOptions) {
    this.brokerIds = Array.from({ length: options.brokers }, (_, i) => i + 1);
    for (const topic of options.topics) {
      const partitions: FakePartition[] = [];
      for (let p = 0; p < topic.partitions; p++) {
        const leaderId = topic.leaders?.[p] ?? this.brokerIds[p % this.brokerIds.length];
        partitions.push({
          leaderId, leaderEpoch: 0, batches: [], logStartOffset: 0, logEndOffset: 0,
          epochs: [{ epoch: 0, startOffset: 0 }], producers: new Map(),
        });
      }
      this.topics.set(topic.name, partitions);
    }
    for (const id of this.brokerIds) sim.addNode(brokerNode(id), (runtime) => this.brokerHandlers(id, runtime));
  }

  partition(topic: string, partition: number): FakePartition {
    const state = this.topics.get(topic)?.[partition];
    if (state === undefined) throw new Error(`fake kafka has no ${topic}-${partition}`);
    return state;
  }

  /** Makes `leaderId` the leader with the next epoch, which starts at the current log end. */
  moveLeader(topic: string, partition: number, leaderId: number): void {
    const state = this.partition(topic, partition);
    state.leaderId = leaderId;
    state.leaderEpoch++;
    state.epochs.push({ epoch: state.leaderEpoch, startOffset: state.logEndOffset });
  }

  /** Cuts the log at `offset` (as a new leader that never had the tail), dropping epochs that started there. */
  truncate(topic: string, partition: number, offset: number): void {
    const state = this.partition(topic, partition);
    while (state.batches.length > 0 && state.batches[state.batches.length - 1].baseOffset >= offset) state.batches.pop();
    const last = state.batches[state.batches.length - 1];
    if (last !== undefined && last.lastOffset >= offset) throw new Error('truncate at a batch boundary');
    state.logEndOffset = offset;
    while (state.epochs.length > 1 && state.epochs[state.epochs.length - 1].startOffset >= offset) state.epochs.pop();
  }

  /** Appends records straight to the log (as if produced), in the current leader epoch. */
  append(topic: string, partition: number, values: readonly string[], timestamp = 0): void {
    const encoder = new TextEncoder();
    const bytes = encodeBatch({ timestamp, records: values.map((value) => ({ key: null, value: encoder.encode(value) })) });
    this.appendBatch(this.partition(topic, partition), bytes, readBatches(bytes).next().value!);
    this.wakeParkedFetches();
  }

  /** Every record of a partition's log: offset, value as text, epoch, producer id and sequence of its batch. */
  records(topic: string, partition: number): Array<{ offset: number; value: string; epoch: number; producerId: number; sequence: number }> {
    const decoder = new TextDecoder();
    const out: Array<{ offset: number; value: string; epoch: number; producerId: number; sequence: number }> = [];
    for (const stored of this.partition(topic, partition).batches) {
      for (const batch of readBatches(stored.bytes)) {
        batch.records.forEach((record, index) => out.push({
          offset: record.offset,
          value: decoder.decode(record.value!),
          epoch: batch.partitionLeaderEpoch,
          producerId: batch.producerId,
          sequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + index,
        }));
      }
    }
    return out;
  }

  requestsOfType(type: string): RecordedRequest[] {
    return this.requests.filter((entry) => entry.request.type === type);
  }

  // ---------------------------------------------------------------------------------------------------------

  private brokerHandlers(id: number, runtime: Runtime): NodeHandlers {
    this.runtimes.set(id, runtime);
    return {
      onMessage: (from, message) => this.onRequest(id, runtime, from, message as Request),
    };
  }

  private onRequest(broker: number, runtime: Runtime, from: NodeId, request: Request): void {
    this.requests.push({ broker, atMs: runtime.now(), request });
    let response: Message | undefined;
    switch (request.type) {
      case 'MetadataRequest': response = this.metadata(request as MetadataRequest); break;
      case 'ProduceRequest': response = this.produce(broker, request as ProduceRequest); break;
      case 'FetchRequest': response = this.fetchOrPark(broker, runtime, from, request as FetchRequest); break;
      case 'ListOffsetsRequest': response = this.listOffsets(broker, request as ListOffsetsRequest); break;
      case 'OffsetsForLeaderEpochRequest': response = this.offsetsForLeaderEpoch(broker, request as OffsetsForLeaderEpochRequest); break;
      case 'InitProducerIdRequest': response = this.initProducerId(request as InitProducerIdRequest); break;
      default: throw new Error(`fake kafka does not answer ${request.type}`);
    }
    if (response !== undefined && !this.dropResponse(broker, request)) runtime.send(from, response);
  }

  private metadata(request: MetadataRequest): MetadataResponse {
    const names = request.topics ?? [...this.topics.keys()];
    const topics: MetadataTopic[] = names.map((name) => {
      const partitions = this.topics.get(name);
      if (partitions === undefined) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
      return {
        errorCode: ErrorCode.NONE,
        name,
        partitions: partitions.map((state, partitionIndex) => ({
          errorCode: ErrorCode.NONE, partitionIndex, leaderId: state.leaderId, leaderEpoch: state.leaderEpoch,
          replicaNodes: this.brokerIds, isrNodes: this.brokerIds, offlineReplicas: [],
        })),
      };
    });
    return {
      type: 'MetadataResponse', sizeBytes: HEADER_BYTES + 64 * topics.length, correlationId: request.correlationId,
      brokers: this.brokerIds.map((nodeId) => ({ nodeId, host: brokerNode(nodeId), port: 9092, rack: null })),
      clusterId: 'fake', controllerId: -1, topics,
    };
  }

  private produce(broker: number, request: ProduceRequest): ProduceResponse | undefined {
    const responses = request.topicData.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition, records }): ProducePartitionResponse => {
        const state = this.topics.get(topic)?.[partition];
        const answer = (errorCode: number, baseOffset = -1): ProducePartitionResponse =>
          ({ partition, errorCode, baseOffset, logAppendTimeMs: -1, logStartOffset: state?.logStartOffset ?? -1, errorMessage: null });
        if (state === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (state.leaderId !== broker) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        const injected = this.produceError(broker, topic, partition, request);
        if (injected !== undefined) return answer(injected);
        const batch = readBatches(records).next().value!;
        const checked = this.checkSequence(state, batch);
        if (checked.errorCode !== ErrorCode.NONE || checked.duplicateOffset >= 0) return answer(checked.errorCode, checked.duplicateOffset);
        return answer(ErrorCode.NONE, this.appendBatch(state, records.slice(), batch));
      }),
    }));
    this.wakeParkedFetches();
    if (request.acks === 0) return undefined;
    return { type: 'ProduceResponse', sizeBytes: HEADER_BYTES + 32, correlationId: request.correlationId, responses };
  }

  /** Kafka's duplicate and sequence checks for an idempotent batch. */
  private checkSequence(state: FakePartition, batch: DecodedBatch): { errorCode: number; duplicateOffset: number } {
    const ok = { errorCode: ErrorCode.NONE, duplicateOffset: -1 };
    if (batch.producerId < 0) return ok;
    const entry = state.producers.get(batch.producerId);
    if (entry === undefined) return ok;
    const lastSeq = batch.baseSequence + batch.recordCount - 1;
    if (batch.producerEpoch < entry.epoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, duplicateOffset: -1 };
    if (batch.producerEpoch > entry.epoch) {
      return batch.baseSequence === 0 ? ok : { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, duplicateOffset: -1 };
    }
    const duplicate = entry.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
    if (duplicate !== undefined) return { errorCode: ErrorCode.NONE, duplicateOffset: duplicate.firstOffset };
    const expected = entry.batches.length === 0 ? batch.baseSequence : entry.batches[entry.batches.length - 1].lastSeq + 1;
    return batch.baseSequence === expected ? ok : { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, duplicateOffset: -1 };
  }

  private appendBatch(state: FakePartition, bytes: Uint8Array, batch: DecodedBatch): number {
    const baseOffset = state.logEndOffset;
    setBaseOffset(bytes, 0, baseOffset);
    setPartitionLeaderEpoch(bytes, 0, state.leaderEpoch);
    const lastOffset = baseOffset + batch.lastOffsetDelta;
    state.batches.push({
      baseOffset, lastOffset, epoch: state.leaderEpoch, producerId: batch.producerId,
      producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence, bytes,
    });
    state.logEndOffset = lastOffset + 1;
    if (batch.producerId >= 0) {
      let entry = state.producers.get(batch.producerId);
      if (entry === undefined || entry.epoch !== batch.producerEpoch) {
        entry = { epoch: batch.producerEpoch, batches: [] };
        state.producers.set(batch.producerId, entry);
      }
      entry.batches.push({ firstSeq: batch.baseSequence, lastSeq: batch.baseSequence + batch.recordCount - 1, firstOffset: baseOffset });
      if (entry.batches.length > 5) entry.batches.shift();
    }
    return baseOffset;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Fetch

  private fetchOrPark(broker: number, runtime: Runtime, from: NodeId, request: FetchRequest): FetchResponse | undefined {
    const response = this.fetch(broker, request);
    const empty = response.responses.every((t) => t.partitions.every((p) => p.errorCode === ErrorCode.NONE && p.records.length === 0));
    if (!empty || request.maxWaitMs <= 0) return response;
    const list = this.parked.get(broker) ?? [];
    const parked: ParkedFetch = {
      from, request,
      timer: runtime.setTimer(request.maxWaitMs, () => this.unpark(broker, parked)),
    };
    list.push(parked);
    this.parked.set(broker, list);
    return undefined;
  }

  private unpark(broker: number, parked: ParkedFetch): void {
    const list = this.parked.get(broker) ?? [];
    const index = list.indexOf(parked);
    if (index < 0) return;
    list.splice(index, 1);
    const runtime = this.runtimes.get(broker)!;
    runtime.cancelTimer(parked.timer);
    const response = this.fetch(broker, parked.request);
    if (!this.dropResponse(broker, parked.request)) runtime.send(parked.from, response);
  }

  private wakeParkedFetches(): void {
    for (const [broker, list] of this.parked) {
      for (const parked of [...list]) {
        const response = this.fetch(broker, parked.request);
        if (response.responses.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE || p.records.length > 0))) {
          this.unpark(broker, parked);
        }
      }
    }
  }

  private fetch(broker: number, request: FetchRequest): FetchResponse {
    let sizeBytes = HEADER_BYTES;
    const responses = request.topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((asked): FetchPartitionResponse => {
        const state = this.topics.get(topic)?.[asked.partition];
        const answer = (errorCode: number, records = new Uint8Array(0)): FetchPartitionResponse => {
          sizeBytes += PARTITION_ENTRY_BYTES + records.length;
          return {
            partition: asked.partition, errorCode,
            highWatermark: state?.logEndOffset ?? -1, lastStableOffset: state?.logEndOffset ?? -1,
            logStartOffset: state?.logStartOffset ?? -1, divergingEpoch: null, currentLeader: null, records,
          };
        };
        if (state === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (state.leaderId !== broker) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        if (asked.currentLeaderEpoch >= 0 && asked.currentLeaderEpoch < state.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
        if (asked.currentLeaderEpoch > state.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
        if (asked.fetchOffset < state.logStartOffset || asked.fetchOffset > state.logEndOffset) return answer(ErrorCode.OFFSET_OUT_OF_RANGE);
        const chunks: Uint8Array[] = [];
        let bytes = 0;
        for (const stored of state.batches) {
          if (stored.lastOffset < asked.fetchOffset) continue;
          if (bytes > 0 && bytes + stored.bytes.length > asked.partitionMaxBytes) break;
          chunks.push(stored.bytes);
          bytes += stored.bytes.length;
        }
        const records = new Uint8Array(bytes);
        let at = 0;
        for (const chunk of chunks) {
          records.set(chunk, at);
          at += chunk.length;
        }
        return answer(ErrorCode.NONE, records);
      }),
    }));
    return { type: 'FetchResponse', sizeBytes, correlationId: request.correlationId, errorCode: ErrorCode.NONE, responses };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Offsets and producer ids

  private listOffsets(broker: number, request: ListOffsetsRequest): ListOffsetsResponse {
    return {
      type: 'ListOffsetsResponse', sizeBytes: HEADER_BYTES + 32, correlationId: request.correlationId,
      topics: request.topics.map(({ name, partitions }) => ({
        name,
        partitions: partitions.map((asked) => {
          const state = this.topics.get(name)?.[asked.partitionIndex];
          const answer = (errorCode: number, offset = -1, leaderEpoch = -1) =>
            ({ partitionIndex: asked.partitionIndex, errorCode, timestamp: -1, offset, leaderEpoch });
          if (state === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (state.leaderId !== broker) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
          if (asked.currentLeaderEpoch >= 0 && asked.currentLeaderEpoch < state.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
          if (asked.timestamp === EARLIEST_TIMESTAMP) return answer(ErrorCode.NONE, state.logStartOffset, epochAt(state, state.logStartOffset));
          if (asked.timestamp === LATEST_TIMESTAMP) return answer(ErrorCode.NONE, state.logEndOffset, epochAt(state, state.logEndOffset));
          return answer(ErrorCode.INVALID_REQUEST);
        }),
      })),
    };
  }

  private offsetsForLeaderEpoch(broker: number, request: OffsetsForLeaderEpochRequest): OffsetsForLeaderEpochResponse {
    return {
      type: 'OffsetsForLeaderEpochResponse', sizeBytes: HEADER_BYTES + 32, correlationId: request.correlationId,
      topics: request.topics.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions.map((asked) => {
          const state = this.topics.get(topic)?.[asked.partition];
          const answer = (errorCode: number, leaderEpoch = -1, endOffset = -1) => ({ errorCode, partition: asked.partition, leaderEpoch, endOffset });
          if (state === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (state.leaderId !== broker) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
          if (asked.currentLeaderEpoch >= 0 && asked.currentLeaderEpoch < state.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
          if (asked.currentLeaderEpoch > state.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
          let index = -1;
          for (let i = 0; i < state.epochs.length; i++) if (state.epochs[i].epoch <= asked.leaderEpoch) index = i;
          if (index < 0) return answer(ErrorCode.NONE);
          const next = state.epochs[index + 1];
          return answer(ErrorCode.NONE, state.epochs[index].epoch, next === undefined ? state.logEndOffset : next.startOffset);
        }),
      })),
    };
  }

  private initProducerId(request: InitProducerIdRequest): InitProducerIdResponse {
    return {
      type: 'InitProducerIdResponse', sizeBytes: HEADER_BYTES + 16, correlationId: request.correlationId,
      errorCode: ErrorCode.NONE, producerId: this.nextProducerId++, producerEpoch: 0,
    };
  }
}

/** The epoch whose range holds `offset` (the latest for the log end). */
function epochAt(state: FakePartition, offset: number): number {
  let epoch = -1;
  for (const entry of state.epochs) if (entry.startOffset <= offset) epoch = entry.epoch;
  return epoch;
}

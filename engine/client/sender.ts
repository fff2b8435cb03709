// The producer's sender: turns ready batches into ProduceRequests and acts on the answers (Kafka's Sender).
//
// One pass (run) does what Kafka's sender thread does in one loop: settle idempotence bookkeeping (resolve
// sequences, bump the epoch, get a producer id), refresh metadata if due, find the brokers with sendable
// batches, drain one request per broker that has room for another request in flight, and say when the next
// pass is due. Answers are matched to batches by topic-partition; each batch then succeeds, is put back for a
// retry (retriable error, retries left, delivery.timeout.ms not reached, idempotence rules allow it) or fails.
// acks=0 requests get no answer: their batches succeed, with offset -1, as soon as they are sent.

import type { NodeId, Runtime } from '../runtime.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import type { Response } from '../protocol/envelope.ts';
import { ErrorCode, errorName, isRetriable } from '../protocol/errors.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/init-producer-id.ts';
import type { Acks, ProducePartitionResponse, ProduceRequest, ProduceResponse, ProduceTopicData } from '../protocol/produce.ts';
import type { ExponentialBackoff } from './backoff.ts';
import { ClientProtocolError } from './client-errors.ts';
import type { ClientMetadata } from './client-metadata.ts';
import type { IdempotenceState } from './idempotence.ts';
import type { RequestFailure, NetworkClient } from './network-client.ts';
import { attemptMayHaveWritten } from './produce-result.ts';
import type { ProduceErrorName } from './produce-result.ts';
import type { ProducerBatch } from './producer-batch.ts';
import type { RecordAccumulator } from './record-accumulator.ts';

const INT32_MAX = 2_147_483_647;

/** Errors after which Kafka refreshes metadata (its InvalidMetadataException family). */
const STALE_METADATA_ERRORS: ReadonlySet<number> = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.NETWORK_EXCEPTION,
]);

export interface SenderOptions {
  readonly clientId: string;
  readonly acks: Acks;
  readonly requestTimeoutMs: number;
  readonly maxRequestBytes: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  /** max.in.flight.requests.per.connection = 1: a partition sends one batch at a time. */
  readonly guaranteeOrder: boolean;
  readonly compression: 'none' | 'gzip';
  readonly retryBackoff: ExponentialBackoff;
}

export interface SenderParts {
  readonly network: NetworkClient;
  readonly metadata: ClientMetadata;
  readonly accumulator: RecordAccumulator;
  readonly idempotence: IdempotenceState | undefined;
  /** A batch succeeded or failed for good; its callbacks have run. */
  readonly onBatchDone: (batch: ProducerBatch) => void;
}

export class Sender {
  private initInFlight = false;
  private initAttempts = 0;
  private initRetryAtMs = 0;
  private requestsSent = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: SenderOptions,
    private readonly parts: SenderParts,
  ) {}

  produceRequestsSent(): number {
    return this.requestsSent;
  }

  /** One pass; returns when the next pass is due (Infinity: only an event can change anything). */
  run(): number {
    const { network, metadata, accumulator, idempotence } = this.parts;
    const now = this.runtime.now();
    let wakeMs = Infinity;
    if (idempotence !== undefined) {
      idempotence.maybeResolveSequences();
      idempotence.bumpEpochIfNeeded();
      wakeMs = Math.min(wakeMs, this.maybeInitProducerId());
    }
    const ready = accumulator.ready(metadata, now);
    if (ready.unknownLeaders) metadata.requestUpdate();
    wakeMs = Math.min(wakeMs, ready.nextCheckMs, metadata.maybeUpdate());
    const sendable = new Set<NodeId>();
    for (const node of ready.readyNodes) {
      const canDrain = network.isReady(node);
      accumulator.updateNodeLatency(node, now, canDrain);
      if (canDrain) sendable.add(node);
      else if (network.isBlocked(node)) wakeMs = Math.min(wakeMs, network.blockedUntilMs(node));
      // else: at max in flight; an answer will wake us
    }
    if (sendable.size > 0) {
      const drained = accumulator.drain(metadata, sendable, this.options.maxRequestBytes, now, idempotence);
      for (const [node, batches] of drained) this.sendProduceRequest(node, batches);
    }
    return wakeMs;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Produce

  private sendProduceRequest(node: NodeId, batches: ProducerBatch[]): void {
    const { network, accumulator } = this.parts;
    const byTopic = new Map<string, Array<{ partition: number; records: Uint8Array }>>();
    let sizeBytes = HEADER_BYTES;
    for (const batch of batches) {
      let partitions = byTopic.get(batch.topic);
      if (partitions === undefined) {
        partitions = [];
        byTopic.set(batch.topic, partitions);
        sizeBytes += batch.topic.length + 4;
      }
      const records = batch.bytes(this.options.compression);
      partitions.push({ partition: batch.partition, records });
      sizeBytes += PARTITION_ENTRY_BYTES + records.length;
      batch.inFlight = true;
      if (this.options.guaranteeOrder) accumulator.setMuted(batch.key, true);
    }
    const topicData: ProduceTopicData[] = [];
    for (const [topic, partitions] of byTopic) topicData.push({ topic, partitions });
    const request: ProduceRequest = {
      type: 'ProduceRequest',
      sizeBytes,
      correlationId: network.correlationId(),
      clientId: this.options.clientId,
      acks: this.options.acks,
      timeoutMs: this.options.requestTimeoutMs,
      topicData,
    };
    this.requestsSent++;
    if (this.options.acks === 0) {
      network.sendOneWay(node, request);
      for (const batch of batches) {
        batch.inFlight = false;
        this.succeed(batch, -1, -1);
      }
      return;
    }
    network.send(node, request, {
      onResponse: (response) => this.onProduceResponse(node, batches, response),
      onFailure: (reason) => this.onProduceFailure(batches, reason),
    });
  }

  private onProduceResponse(node: NodeId, batches: readonly ProducerBatch[], response: Response): void {
    const answers = (response as ProduceResponse).responses;
    for (const batch of batches) {
      const answer = findPartition(answers, batch.topic, batch.partition);
      if (answer === undefined) throw new ClientProtocolError(node, `ProduceResponse ${response.correlationId} has no answer for ${batch.key}`);
      this.completeBatch(batch, answer.errorCode, answer.baseOffset, answer.logAppendTimeMs, answer.logStartOffset, answer.errorMessage);
    }
  }

  private onProduceFailure(batches: readonly ProducerBatch[], reason: RequestFailure): void {
    // Kafka: a request timeout answers REQUEST_TIMED_OUT, a dropped connection NETWORK_EXCEPTION.
    const errorCode = reason === 'request-timeout' ? ErrorCode.REQUEST_TIMED_OUT : ErrorCode.NETWORK_EXCEPTION;
    for (const batch of batches) this.completeBatch(batch, errorCode, -1, -1, -1, `no answer: ${reason}`);
    this.parts.metadata.requestUpdate();
  }

  private completeBatch(batch: ProducerBatch, errorCode: number, baseOffset: number, logAppendTimeMs: number, logStartOffset: number, errorMessage: string | null): void {
    const { idempotence, metadata, accumulator } = this.parts;
    batch.inFlight = false;
    if (this.options.guaranteeOrder) accumulator.setMuted(batch.key, false);
    if (errorCode === ErrorCode.NONE || errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
      // A duplicate beyond the broker's cache was written before; its offset is unknown.
      idempotence?.handleCompletedBatch(batch);
      if (!batch.done) this.succeed(batch, errorCode === ErrorCode.NONE ? baseOffset : -1, logAppendTimeMs);
      return;
    }
    if (batch.done) return; // it expired while the request was in flight
    if (attemptMayHaveWritten(errorCode, this.options.acks)) batch.mayHaveBeenWritten = true;
    batch.lastError = errorName(errorCode);
    if (this.canRetry(batch, errorCode, logStartOffset)) {
      this.reenqueue(batch);
    } else {
      const message = errorMessage ?? `${errorName(errorCode)} after ${batch.attempts + 1} attempt(s)`;
      this.failBatch(batch, errorCode, errorName(errorCode), isRetriable(errorCode), message, batch.attempts < this.options.retries);
    }
    if (STALE_METADATA_ERRORS.has(errorCode)) metadata.requestUpdate();
  }

  private canRetry(batch: ProducerBatch, errorCode: number, logStartOffset: number): boolean {
    if (this.runtime.now() - batch.createdMs >= this.options.deliveryTimeoutMs) return false;
    if (batch.attempts >= this.options.retries) return false;
    const idempotence = this.parts.idempotence;
    if (idempotence !== undefined) return idempotence.canRetry(errorCode, batch, logStartOffset);
    return isRetriable(errorCode) || errorCode === ErrorCode.NETWORK_EXCEPTION;
  }

  private reenqueue(batch: ProducerBatch): void {
    const now = this.runtime.now();
    batch.attempts++;
    batch.lastAttemptMs = now;
    batch.retryAtMs = now + this.options.retryBackoff.backoffMs(batch.attempts - 1);
    this.parts.accumulator.reenqueue(batch);
  }

  private succeed(batch: ProducerBatch, baseOffset: number, logAppendTimeMs: number): void {
    batch.complete(baseOffset, logAppendTimeMs);
    this.parts.onBatchDone(batch);
  }

  /** Fails a batch for good (adjustSequences: its sequence may be reused, see IdempotenceState). */
  failBatch(batch: ProducerBatch, errorCode: number | undefined, error: ProduceErrorName, retriable: boolean, message: string, adjustSequences: boolean): void {
    this.parts.idempotence?.handleFailedBatch(batch, errorCode, adjustSequences);
    batch.fail(error, retriable, message);
    this.parts.onBatchDone(batch);
  }

  /** delivery.timeout.ms passed: the batch fails wherever it is (queued, waiting for a retry, in flight). */
  expire(batch: ProducerBatch): void {
    if (batch.done) return;
    const idempotence = this.parts.idempotence;
    this.parts.accumulator.remove(batch);
    const ageMs = this.runtime.now() - batch.createdMs;
    const cause = batch.lastError === undefined ? '' : ` (last error ${batch.lastError})`;
    const message = `Expiring ${batch.recordCount} record(s) for ${batch.key}: ${ageMs} ms has passed since batch creation${cause}`;
    const sent = batch.hasSequence();
    this.failBatch(batch, undefined, 'DELIVERY_TIMEOUT', true, message, false);
    // A batch that went out may have been written: later sequences must wait until that is known.
    if (idempotence !== undefined && sent) idempotence.markSequenceUnresolved(batch);
  }

  // ---------------------------------------------------------------------------------------------------------
  // InitProducerId

  private maybeInitProducerId(): number {
    const idempotence = this.parts.idempotence!;
    if (idempotence.hasProducerId() || this.initInFlight) return Infinity;
    const now = this.runtime.now();
    if (now < this.initRetryAtMs) return this.initRetryAtMs;
    const { network, metadata } = this.parts;
    const node = metadata.leastLoadedNode();
    if (node === undefined) return metadata.earliestUnblockMs();
    const request: InitProducerIdRequest = {
      type: 'InitProducerIdRequest',
      sizeBytes: HEADER_BYTES + 16,
      correlationId: network.correlationId(),
      clientId: this.options.clientId,
      transactionalId: null,
      transactionTimeoutMs: INT32_MAX,
      producerId: -1,
      producerEpoch: -1,
    };
    this.initInFlight = true;
    network.send(node, request, {
      onResponse: (response) => this.onInitProducerId(response as InitProducerIdResponse),
      onFailure: () => this.initFailed(),
    });
    return Infinity;
  }

  private onInitProducerId(response: InitProducerIdResponse): void {
    if (response.errorCode !== ErrorCode.NONE) {
      this.initFailed();
      return;
    }
    this.initInFlight = false;
    this.initAttempts = 0;
    this.parts.idempotence!.setProducerIdAndEpoch(response.producerId, response.producerEpoch);
  }

  private initFailed(): void {
    this.initInFlight = false;
    this.initRetryAtMs = this.runtime.now() + this.options.retryBackoff.backoffMs(this.initAttempts++);
  }
}

function findPartition(topics: ProduceResponse['responses'], topic: string, partition: number): ProducePartitionResponse | undefined {
  for (const entry of topics) {
    if (entry.topic !== topic) continue;
    for (const answer of entry.partitions) if (answer.partition === partition) return answer;
  }
  return undefined;
}

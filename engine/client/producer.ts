// A Kafka producer as a sans-I/O state machine: send(), flush(), close() on top of the accumulator, sender,
// metadata and idempotence pieces, all driven by the node's Runtime.
//
//   const producer = new Producer(runtime, parseConfig('producer', { 'bootstrap.servers': ['broker-1'] }));
//   producer.send({ topic: 'orders', key: 'k', value: 'v' }, (result) => ...);
//
// send() never blocks. Where Kafka's send() would block (the topic's metadata is not known yet, or
// buffer.memory is full) the record waits in a FIFO queue of blocked sends, for at most max.block.ms from its
// send() (METADATA_TIMEOUT / BUFFER_EXHAUSTED); a later send() queues behind it, as calls from one thread
// would. Errors Kafka's send() raises at once (a record too large) reach the callback synchronously.
// See produce-result.ts for what each outcome means.

import type { Message, NodeHandlers, NodeId, Runtime, TimerId } from '../runtime.ts';
import type { Response } from '../protocol/envelope.ts';
import { topicPartitionKey } from '../protocol/envelope.ts';
import type { ProducerConfig } from '../config/types.ts';
import { MAX_IN_FLIGHT_FOR_IDEMPOTENCE, acksOnWire } from '../config/producer-keys.ts';
import { BATCH_HEADER_BYTES } from '../records/batch-header.ts';
import { ExponentialBackoff } from './backoff.ts';
import { ClientConfigError } from './client-errors.ts';
import { clientIdOf } from './client-config.ts';
import { connectClient } from './client-connections.ts';
import type { ClientMetadata } from './client-metadata.ts';
import { IdempotenceState } from './idempotence.ts';
import { partitionForKey } from './murmur2.ts';
import type { NetworkClient } from './network-client.ts';
import type { ProduceCallback, ProduceErrorName, ProducerRecord } from './produce-result.ts';
import { recordSizeBytes } from './producer-batch.ts';
import type { PreparedRecord, ProducerBatch } from './producer-batch.ts';
import { RecordAccumulator } from './record-accumulator.ts';
import { Sender } from './sender.ts';

const encoder = new TextEncoder();

/** A send waiting where Kafka's send() would block. */
interface BlockedSend {
  readonly record: ProducerRecord;
  readonly prepared: PreparedRecord;
  readonly sizeBytes: number;
  readonly deadlineMs: number;
  /** What it waits for now. */
  waitingFor: 'metadata' | 'memory';
}

interface FlushWaiter {
  readonly generation: number;
  readonly callback: () => void;
}

export type ProducerState = 'running' | 'closing' | 'closed';

export class Producer implements NodeHandlers {
  private readonly network: NetworkClient;
  private readonly metadata: ClientMetadata;
  private readonly accumulator: RecordAccumulator;
  private readonly idempotence: IdempotenceState | undefined;
  private readonly sender: Sender;
  private readonly blocked: BlockedSend[] = [];
  private blockedOnMemory = false;
  private readonly expiryTimers = new Map<ProducerBatch, TimerId>();
  /** Incomplete records by flush generation; insertion order is generation order. */
  private readonly incompleteByGeneration = new Map<number, number>();
  private generation = 0;
  private readonly flushWaiters: FlushWaiter[] = [];
  private wakeTimer: TimerId | undefined;
  private wakeAtMs = Infinity;
  private state: ProducerState = 'running';
  private closeCallbacks: Array<() => void> = [];
  private closeTimer: TimerId | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly config: ProducerConfig,
  ) {
    checkProducerConfig(config);
    const clientId = clientIdOf(config['client.id'], runtime.nodeId);
    const random = (): number => runtime.random();
    // A producer's metadata requests may create a missing topic (the broker decides, auto.create.topics.enable).
    ({ network: this.network, metadata: this.metadata } = connectClient(runtime, {
      clientId,
      bootstrapServers: config['bootstrap.servers'],
      requestTimeoutMs: config['request.timeout.ms'],
      maxInFlightPerNode: config['max.in.flight.requests.per.connection'],
      metadataMaxAgeMs: config['metadata.max.age.ms'],
      retryBackoffMs: config['retry.backoff.ms'],
      retryBackoffMaxMs: config['retry.backoff.max.ms'],
      allowAutoTopicCreation: true,
      onMetadataUpdate: () => this.unblockSends(),
      wake: () => this.wake(this.runtime.now()),
    }));
    this.accumulator = new RecordAccumulator({
      batchSizeBytes: config['batch.size'],
      lingerMs: config['linger.ms'],
      bufferMemoryBytes: config['buffer.memory'],
      adaptivePartitioning: config['partitioner.adaptive.partitioning.enable'],
      partitionAvailabilityTimeoutMs: config['partitioner.availability.timeout.ms'],
      random,
    });
    this.idempotence = config['enable.idempotence'] ? new IdempotenceState((event, fields) => runtime.trace(event, fields)) : undefined;
    this.sender = new Sender(runtime, {
      clientId,
      acks: acksOnWire(config.acks),
      requestTimeoutMs: config['request.timeout.ms'],
      maxRequestBytes: config['max.request.size'],
      retries: config.retries,
      deliveryTimeoutMs: config['delivery.timeout.ms'],
      guaranteeOrder: config['max.in.flight.requests.per.connection'] === 1,
      compression: config['compression.type'],
      retryBackoff: new ExponentialBackoff(config['retry.backoff.ms'], config['retry.backoff.max.ms'], random),
    }, {
      network: this.network,
      metadata: this.metadata,
      accumulator: this.accumulator,
      idempotence: this.idempotence,
      onBatchDone: (batch) => this.onBatchDone(batch),
    });
    this.wake(runtime.now());
  }

  // ---------------------------------------------------------------------------------------------------------
  // The API

  /** Sends one record; `callback` hears its outcome exactly once. */
  send(record: ProducerRecord, callback: ProduceCallback): void {
    if (this.state !== 'running') {
      callback(failure(record, -1, 'PRODUCER_CLOSED', false, 'send() after close()'));
      return;
    }
    const now = this.runtime.now();
    const timestamp = record.timestamp ?? Math.floor(now); // simulated time is fractional; timestamps are whole ms
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      callback(failure(record, -1, 'INVALID_TIMESTAMP', false, `timestamp ${timestamp} is not a whole number of ms >= 0`));
      return;
    }
    const key = toBytes(record.key);
    const value = toBytes(record.value);
    const sizeBytes = BATCH_HEADER_BYTES + recordSizeBytes(0, 0, key, value, record.headers);
    if (sizeBytes > this.config['max.request.size'] || sizeBytes > this.config['buffer.memory']) {
      const limit = Math.min(this.config['max.request.size'], this.config['buffer.memory']);
      callback(failure(record, -1, 'RECORD_TOO_LARGE', false, `the record is ${sizeBytes} bytes when serialized, more than max.request.size / buffer.memory allow (${limit})`));
      return;
    }
    const generation = this.generation;
    this.incompleteByGeneration.set(generation, (this.incompleteByGeneration.get(generation) ?? 0) + 1);
    const prepared: PreparedRecord = { key, value, headers: record.headers, timestamp, callback, generation };
    this.metadata.addTopic(record.topic);
    let waitingFor: BlockedSend['waitingFor'] = 'metadata';
    if (this.blocked.length === 0) {
      const outcome = this.tryAppend(record, prepared, sizeBytes);
      if (outcome === 'done') return;
      waitingFor = outcome;
    }
    const entry: BlockedSend = { record, prepared, sizeBytes, deadlineMs: now + this.config['max.block.ms'], waitingFor };
    this.blocked.push(entry);
    if (this.blocked.length === 1) this.noteBlockedHead();
    this.wake(this.metadata.topic(record.topic) === undefined ? now : entry.deadlineMs);
  }

  /** Makes every record sent so far sendable at once; `callback` runs when all of them have completed. */
  flush(callback: () => void): void {
    const generation = this.generation++;
    if (this.oldestIncompleteGeneration() > generation) {
      callback();
      return;
    }
    this.flushWaiters.push({ generation, callback });
    this.accumulator.beginUrgent();
    this.wake(this.runtime.now());
  }

  /**
   * Stops taking records and completes those sent (as Kafka's close()), then calls `callback`. After
   * `timeoutMs` whatever has not completed fails with PRODUCER_CLOSED (Kafka's forced close).
   */
  close(callback?: () => void, timeoutMs = Infinity): void {
    if (callback !== undefined) this.closeCallbacks.push(callback);
    if (this.state === 'closed') {
      this.runCloseCallbacks();
      return;
    }
    if (this.state === 'running') {
      this.state = 'closing';
      this.accumulator.beginUrgent();
      this.runtime.trace('producer-closing', {});
    }
    if (Number.isFinite(timeoutMs) && this.closeTimer === undefined) {
      this.closeTimer = this.runtime.setTimer(timeoutMs, () => this.forceClose());
    }
    this.maybeFinishClose();
    this.wake(this.runtime.now());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Introspection (tests, harness metrics)

  producerIdAndEpoch(): { producerId: number; producerEpoch: number } | undefined {
    const idempotence = this.idempotence;
    return idempotence === undefined ? undefined : { producerId: idempotence.producerId, producerEpoch: idempotence.producerEpoch };
  }

  sequenceState(topic: string, partition: number): ReturnType<IdempotenceState['sequenceState']> | undefined {
    return this.idempotence?.sequenceState(topicPartitionKey(topic, partition));
  }

  metadataUpdates(): number {
    return this.metadata.updateCount();
  }

  produceRequestsSent(): number {
    return this.sender.produceRequestsSent();
  }

  bufferedBytes(): number {
    return this.accumulator.bufferedBytes();
  }

  status(): ProducerState {
    return this.state;
  }

  // ---------------------------------------------------------------------------------------------------------
  // NodeHandlers

  onMessage(from: NodeId, message: Message): void {
    if (this.state === 'closed') return;
    if (this.network.handleMessage(from, message as Response)) this.runSender();
  }

  onConnectionReset(peer: NodeId): void {
    if (this.state === 'closed') return;
    this.network.handleConnectionReset(peer);
    this.runSender();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Appending

  /** Partitions and appends a send, or says what it must wait for. */
  private tryAppend(record: ProducerRecord, prepared: PreparedRecord, sizeBytes: number): 'done' | 'metadata' | 'memory' {
    const topic = this.metadata.topic(record.topic);
    if (topic === undefined) return 'metadata';
    const numPartitions = topic.partitions.length;
    let partition: number;
    const keyed = prepared.key !== null && !this.config['partitioner.ignore.keys'];
    if (record.partition !== undefined) {
      if (!(record.partition >= 0 && record.partition < numPartitions)) {
        prepared.callback(failure(record, record.partition, 'INVALID_PARTITION', false, `partition ${record.partition} is not in [0, ${numPartitions}) of ${record.topic}`));
        this.recordsCompleted(prepared.generation, 1);
        return 'done';
      }
      partition = record.partition;
    } else if (keyed) {
      partition = partitionForKey(prepared.key!, numPartitions);
    } else {
      partition = this.accumulator.partitioner(record.topic).partition(topic);
    }
    const queue = this.accumulator.queue(record.topic, partition);
    const now = this.runtime.now();
    const appended = this.accumulator.append(queue, prepared, sizeBytes, now);
    if (appended === undefined) return 'memory';
    if (record.partition === undefined && !keyed) {
      this.accumulator.partitioner(record.topic).onAppend(topic, partition, appended.appendedBytes, this.accumulator.allBatchesFull(queue));
    }
    const batch = appended.batch;
    if (appended.newBatch) {
      this.expiryTimers.set(batch, this.runtime.setTimer(this.config['delivery.timeout.ms'], () => this.expire(batch)));
    }
    if (batch.isFull() || queue.batches.length > 1) this.wake(now);
    else if (appended.newBatch) this.wake(now + this.config['linger.ms']);
    return 'done';
  }

  /** Appends blocked sends in order while they can go, and fails those past max.block.ms. */
  private unblockSends(): void {
    const now = this.runtime.now();
    while (this.blocked.length > 0) {
      const head = this.blocked[0];
      const outcome = this.tryAppend(head.record, head.prepared, head.sizeBytes);
      if (outcome !== 'done') {
        head.waitingFor = outcome;
        if (head.deadlineMs > now) break;
        const error: ProduceErrorName = head.waitingFor === 'metadata' ? 'METADATA_TIMEOUT' : 'BUFFER_EXHAUSTED';
        const detail = head.waitingFor === 'metadata'
          ? `topic ${head.record.topic} not present in metadata after ${this.config['max.block.ms']} ms`
          : `failed to allocate memory within the configured max blocking time ${this.config['max.block.ms']} ms`;
        this.completeBlocked(head, failure(head.record, -1, error, true, detail));
      }
      this.blocked.shift();
    }
    this.noteBlockedHead();
    if (this.blocked.length > 0) this.wake(this.blocked[0].deadlineMs);
  }

  /** While the first blocked send waits for memory, every batch is sendable (Kafka's "exhausted"). */
  private noteBlockedHead(): void {
    const onMemory = this.blocked.length > 0 && this.blocked[0].waitingFor === 'memory';
    if (onMemory === this.blockedOnMemory) return;
    this.blockedOnMemory = onMemory;
    if (onMemory) this.accumulator.beginUrgent();
    else this.accumulator.endUrgent();
  }

  private completeBlocked(entry: BlockedSend, result: ReturnType<typeof failure>): void {
    entry.prepared.callback(result);
    this.recordsCompleted(entry.prepared.generation, 1);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Completion

  private expire(batch: ProducerBatch): void {
    this.expiryTimers.delete(batch);
    this.sender.expire(batch);
    this.runSender();
  }

  private onBatchDone(batch: ProducerBatch): void {
    const timer = this.expiryTimers.get(batch);
    if (timer !== undefined) {
      this.runtime.cancelTimer(timer);
      this.expiryTimers.delete(batch);
    }
    this.accumulator.deallocate(batch);
    const generations = batch.generations;
    let start = 0;
    for (let i = 1; i <= generations.length; i++) {
      if (i === generations.length || generations[i] !== generations[start]) {
        this.recordsCompleted(generations[start], i - start);
        start = i;
      }
    }
    if (this.blocked.length > 0 && this.blocked[0].waitingFor === 'memory') this.unblockSends();
  }

  private recordsCompleted(generation: number, count: number): void {
    const left = this.incompleteByGeneration.get(generation)! - count;
    if (left > 0) this.incompleteByGeneration.set(generation, left);
    else this.incompleteByGeneration.delete(generation);
    const oldest = this.oldestIncompleteGeneration();
    while (this.flushWaiters.length > 0 && this.flushWaiters[0].generation < oldest) {
      this.flushWaiters.shift()!.callback();
      this.accumulator.endUrgent();
    }
    this.maybeFinishClose();
  }

  private oldestIncompleteGeneration(): number {
    for (const generation of this.incompleteByGeneration.keys()) return generation;
    return Infinity;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Closing

  private maybeFinishClose(): void {
    if (this.state !== 'closing' || this.incompleteByGeneration.size > 0) return;
    this.state = 'closed';
    if (this.closeTimer !== undefined) this.runtime.cancelTimer(this.closeTimer);
    if (this.wakeTimer !== undefined) this.runtime.cancelTimer(this.wakeTimer);
    this.wakeTimer = undefined;
    this.runtime.trace('producer-closed', {});
    this.runCloseCallbacks();
  }

  private runCloseCallbacks(): void {
    const callbacks = this.closeCallbacks;
    this.closeCallbacks = [];
    for (const callback of callbacks) callback();
  }

  /** Fails everything not completed: blocked sends (never sent), queued and in-flight batches. */
  private forceClose(): void {
    this.closeTimer = undefined;
    if (this.state !== 'closing') return;
    this.runtime.trace('producer-force-close', { incomplete: this.incompleteByGeneration.size });
    for (const entry of this.blocked.splice(0)) {
      this.completeBlocked(entry, failure(entry.record, -1, 'PRODUCER_CLOSED', false, 'the producer was closed forcefully'));
    }
    for (const batch of [...this.expiryTimers.keys()]) {
      if (batch.done) continue;
      this.accumulator.remove(batch);
      this.sender.failBatch(batch, undefined, 'PRODUCER_CLOSED', false, 'the producer was closed forcefully', false);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // The sender's schedule

  /** Runs the sender at `timeMs` (or earlier if already due earlier). */
  private wake(timeMs: number): void {
    if (this.state === 'closed' || timeMs >= this.wakeAtMs) return;
    if (this.wakeTimer !== undefined) this.runtime.cancelTimer(this.wakeTimer);
    this.wakeAtMs = timeMs;
    this.wakeTimer = this.runtime.setTimer(Math.max(0, timeMs - this.runtime.now()), () => {
      this.wakeTimer = undefined;
      this.wakeAtMs = Infinity;
      this.runSender();
    });
  }

  private runSender(): void {
    if (this.state === 'closed') return;
    if (this.blocked.length > 0) this.unblockSends();
    const next = this.sender.run();
    if (next < Infinity) this.wake(Math.max(next, this.runtime.now()));
  }
}

function toBytes(data: Uint8Array | string | null): Uint8Array | null {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

function failure(record: ProducerRecord, partition: number, error: ProduceErrorName, retriable: boolean, message: string) {
  return { ok: false as const, topic: record.topic, partition, error, retriable, indeterminate: false, message };
}

/** Rejects what the parsed config allows but this producer cannot run. */
function checkProducerConfig(config: ProducerConfig): void {
  if (config['enable.idempotence']) {
    if (config.acks !== 'all') throw new ClientConfigError('enable.idempotence', `needs acks=all, got acks=${config.acks}`);
    if (config['max.in.flight.requests.per.connection'] > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      throw new ClientConfigError('enable.idempotence', `needs max.in.flight.requests.per.connection <= ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE}`);
    }
    if (config.retries === 0) throw new ClientConfigError('enable.idempotence', 'needs retries > 0');
  }
  if (config['delivery.timeout.ms'] < config['linger.ms'] + config['request.timeout.ms']) {
    throw new ClientConfigError('delivery.timeout.ms', `should be equal to or larger than linger.ms + request.timeout.ms (${config['linger.ms'] + config['request.timeout.ms']})`);
  }
}

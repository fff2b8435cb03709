// The producer's per-partition queues of batches, and the decisions of when a batch may go and which go
// together (Kafka's RecordAccumulator).
//
// ready(): a partition's head batch is sendable when it is full (or a later batch exists), when linger.ms has
// passed since it was created, or when the producer flushes, closes or runs out of buffer memory; a retried
// batch waits out its backoff first (unless its partition has a new leader, KIP-951). A broker is ready when
// one of the partitions it leads is.
// drain(): for each ready broker, at most one batch per partition it leads, head batches only, up to
// max.request.size per request, starting at a rotating partition so that none starves. With idempotence the
// batch gets its producer id, epoch and sequence here, when it is first drained, and keeps them on retries.
// partitioner.availability.timeout.ms (with adaptive partitioning): the sender tells, for each broker with a
// sendable batch, whether it could take a request; a broker that had batches ready but could take none for
// longer than the timeout has its partitions left out of the load stats, so keyless records go elsewhere
// (Kafka's NodeLatencyStats).

import type { NodeId } from '../runtime.ts';
import { topicPartitionKey } from '../protocol/envelope.ts';
import type { ClientMetadata, PartitionInfo } from './client-metadata.ts';
import { ProducerBatch } from './producer-batch.ts';
import type { PreparedRecord } from './producer-batch.ts';
import { StickyPartitioner } from './sticky-partitioner.ts';
import type { IdempotenceState } from './idempotence.ts';

export interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  /** Oldest first. */
  readonly batches: ProducerBatch[];
  /** max.in.flight.requests.per.connection = 1: nothing more is drained while a batch is in flight. */
  muted: boolean;
}

export interface AccumulatorOptions {
  readonly batchSizeBytes: number;
  readonly lingerMs: number;
  readonly bufferMemoryBytes: number;
  readonly adaptivePartitioning: boolean;
  /** partitioner.availability.timeout.ms; 0 = never leave a partition out. */
  readonly partitionAvailabilityTimeoutMs: number;
  readonly random: () => number;
}

/** When a broker last had a sendable batch, and when it last could take one (Kafka's NodeLatencyStats). */
interface NodeLatency {
  readyTimeMs: number;
  drainTimeMs: number;
}

export interface AppendResult {
  readonly batch: ProducerBatch;
  readonly newBatch: boolean;
  readonly appendedBytes: number;
}

export interface ReadyResult {
  readonly readyNodes: Set<NodeId>;
  /** When a batch not yet sendable becomes sendable (linger or backoff end), Infinity if none. */
  readonly nextCheckMs: number;
  /** Some partition with batches has no known leader. */
  readonly unknownLeaders: boolean;
}

export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly queuesByTopic = new Map<string, PartitionQueue[]>();
  private readonly queuesByPartition = new Map<string, PartitionQueue[]>();
  private readonly partitioners = new Map<string, StickyPartitioner>();
  private readonly drainIndex = new Map<NodeId, number>();
  private readonly nodeLatency = new Map<NodeId, NodeLatency>();
  private nextBatchId = 0;
  /** Bytes of all batches allocated and not yet completed (Kafka's BufferPool usage). */
  private allocatedBytes = 0;
  /** Send everything now: a flush, close, or a send waiting for memory. */
  private urgentReasons = 0;

  constructor(private readonly options: AccumulatorOptions) {}

  /** The keyless-record partitioner of `topic`. */
  partitioner(topic: string): StickyPartitioner {
    let partitioner = this.partitioners.get(topic);
    if (partitioner === undefined) {
      partitioner = new StickyPartitioner(this.options.batchSizeBytes, this.options.random);
      this.partitioners.set(topic, partitioner);
    }
    return partitioner;
  }

  /** The partition's queue, created on first use (looked up without building a key string). */
  queue(topic: string, partition: number): PartitionQueue {
    let byPartition = this.queuesByPartition.get(topic);
    if (byPartition === undefined) {
      byPartition = [];
      this.queuesByPartition.set(topic, byPartition);
    }
    let queue = byPartition[partition];
    if (queue === undefined) {
      const key = topicPartitionKey(topic, partition);
      queue = { topic, partition, key, batches: [], muted: false };
      byPartition[partition] = queue;
      this.queues.set(key, queue);
      let list = this.queuesByTopic.get(topic);
      if (list === undefined) {
        list = [];
        this.queuesByTopic.set(topic, list);
      }
      list.push(queue);
    }
    return queue;
  }

  /** Whether a new batch of `capacityBytes` fits in buffer.memory now. */
  canAllocate(capacityBytes: number): boolean {
    return this.allocatedBytes + capacityBytes <= this.options.bufferMemoryBytes;
  }

  bufferedBytes(): number {
    return this.allocatedBytes;
  }

  /**
   * Appends to the partition's last batch, or to a new batch. Returns undefined when a new batch is needed
   * and buffer.memory has no room for it (the caller waits, as Kafka's send() blocks).
   */
  append(queue: PartitionQueue, record: PreparedRecord, recordBytes: number, nowMs: number): AppendResult | undefined {
    const last = queue.batches[queue.batches.length - 1];
    if (last !== undefined) {
      const before = last.sizeBytes;
      if (last.tryAppend(record)) return { batch: last, newBatch: false, appendedBytes: last.sizeBytes - before };
    }
    const capacity = Math.max(this.options.batchSizeBytes, recordBytes);
    if (!this.canAllocate(capacity)) return undefined;
    this.allocatedBytes += capacity;
    const batch = new ProducerBatch(this.nextBatchId++, queue.topic, queue.partition, queue.key, capacity, nowMs);
    batch.tryAppend(record);
    queue.batches.push(batch);
    return { batch, newBatch: true, appendedBytes: batch.sizeBytes };
  }

  /** True when every batch of the queue is full (the sticky partitioner may switch). */
  allBatchesFull(queue: PartitionQueue): boolean {
    const last = queue.batches[queue.batches.length - 1];
    return last === undefined || last.isFull();
  }

  /** Returns a completed or failed batch's memory. */
  deallocate(batch: ProducerBatch): void {
    this.allocatedBytes -= batch.capacityBytes;
  }

  /** While urgent (flush, close, a send waiting for memory), every batch is sendable at once. */
  beginUrgent(): void {
    this.urgentReasons++;
  }

  endUrgent(): void {
    this.urgentReasons--;
  }

  /** Which brokers have a sendable batch, and when to look again. Also refreshes the partitioners' load stats. */
  ready(metadata: ClientMetadata, nowMs: number): ReadyResult {
    const readyNodes = new Set<NodeId>();
    let nextCheckMs = Infinity;
    let unknownLeaders = false;
    const urgent = this.urgentReasons > 0;
    for (const [topic, queues] of this.queuesByTopic) {
      const info = metadata.topic(topic);
      const queueSizes: number[] = [];
      const partitionIds: number[] = [];
      for (const queue of queues) {
        const leader = info?.partitions[queue.partition];
        if (leader?.leaderNode === undefined) {
          if (queue.batches.length > 0) unknownLeaders = true;
          continue;
        }
        if (!this.unavailable(leader.leaderNode)) {
          queueSizes.push(queue.batches.length);
          partitionIds.push(queue.partition);
        }
        const first = queue.batches[0];
        if (first === undefined || queue.muted || readyNodes.has(leader.leaderNode)) continue;
        const backingOff = this.backingOff(first, leader, nowMs);
        const waitUntilMs = backingOff ? first.retryAtMs : first.lastAttemptMs + this.options.lingerMs;
        const full = queue.batches.length > 1 || first.isFull();
        if (!backingOff && (full || urgent || nowMs >= waitUntilMs)) readyNodes.add(leader.leaderNode);
        else nextCheckMs = Math.min(nextCheckMs, waitUntilMs);
      }
      if (info !== undefined && this.options.adaptivePartitioning) {
        // As Kafka: no weights until every partition has a queue, or one without would never be picked.
        const complete = queues.length >= info.partitions.length;
        this.partitioner(topic).updateLoadStats(complete ? queueSizes : [], complete ? partitionIds : [], info.partitions.length);
      }
    }
    return { readyNodes, nextCheckMs, unknownLeaders };
  }

  /**
   * The sender found `node` with a sendable batch; `canDrain` says whether it could take a request now. Only
   * counted with partitioner.availability.timeout.ms.
   */
  updateNodeLatency(node: NodeId, nowMs: number, canDrain: boolean): void {
    if (this.options.partitionAvailabilityTimeoutMs <= 0) return;
    let latency = this.nodeLatency.get(node);
    if (latency === undefined) {
      latency = { readyTimeMs: nowMs, drainTimeMs: nowMs };
      this.nodeLatency.set(node, latency);
    }
    if (canDrain) latency.drainTimeMs = nowMs;
    latency.readyTimeMs = nowMs;
  }

  /** A broker that has had batches ready but taken none for longer than partitioner.availability.timeout.ms. */
  private unavailable(node: NodeId): boolean {
    const timeoutMs = this.options.partitionAvailabilityTimeoutMs;
    if (timeoutMs <= 0) return false;
    const latency = this.nodeLatency.get(node);
    return latency !== undefined && latency.readyTimeMs - latency.drainTimeMs > timeoutMs;
  }

  /** Takes the batches to send to each of `nodes`: one per partition, within maxRequestBytes per request. */
  drain(metadata: ClientMetadata, nodes: ReadonlySet<NodeId>, maxRequestBytes: number, nowMs: number, idempotence: IdempotenceState | undefined): Map<NodeId, ProducerBatch[]> {
    const byNode = new Map<NodeId, PartitionQueue[]>();
    for (const queue of this.queues.values()) {
      if (queue.batches.length === 0) continue;
      const node = metadata.partition(queue.topic, queue.partition)?.leaderNode;
      if (node === undefined || !nodes.has(node)) continue;
      let list = byNode.get(node);
      if (list === undefined) {
        list = [];
        byNode.set(node, list);
      }
      list.push(queue);
    }
    const drained = new Map<NodeId, ProducerBatch[]>();
    for (const [node, queues] of byNode) {
      const batches = this.drainNode(metadata, node, queues, maxRequestBytes, nowMs, idempotence);
      if (batches.length > 0) drained.set(node, batches);
    }
    return drained;
  }

  private drainNode(metadata: ClientMetadata, node: NodeId, queues: PartitionQueue[], maxRequestBytes: number, nowMs: number, idempotence: IdempotenceState | undefined): ProducerBatch[] {
    const ready: ProducerBatch[] = [];
    let sizeBytes = 0;
    const start = (this.drainIndex.get(node) ?? 0) % queues.length;
    let i = 0;
    for (; i < queues.length; i++) {
      const queue = queues[(start + i) % queues.length];
      const first = queue.batches[0];
      if (queue.muted || first === undefined) continue;
      const leader = metadata.partition(queue.topic, queue.partition)!;
      if (this.backingOff(first, leader, nowMs)) continue;
      if (sizeBytes + first.sizeBytes > maxRequestBytes && ready.length > 0) break;
      if (idempotence !== undefined && !idempotence.prepareToDrain(first)) continue;
      queue.batches.shift();
      first.closed = true;
      first.leaderEpochAtSend = leader.leaderEpoch;
      idempotence?.assignSequence(first);
      sizeBytes += first.sizeBytes;
      ready.push(first);
    }
    this.drainIndex.set(node, start + Math.min(i, queues.length - 1));
    return ready;
  }

  private backingOff(batch: ProducerBatch, leader: PartitionInfo, nowMs: number): boolean {
    return batch.attempts > 0 && nowMs < batch.retryAtMs && leader.leaderEpoch <= batch.leaderEpochAtSend;
  }

  /** Puts a batch back for a retry: at the front, or in sequence order among retried batches (idempotence). */
  reenqueue(batch: ProducerBatch): void {
    const queue = this.queue(batch.topic, batch.partition);
    const batches = queue.batches;
    if (!batch.hasSequence()) {
      batches.unshift(batch);
      return;
    }
    let at = 0;
    while (at < batches.length && batches[at].hasSequence() && batches[at].baseSequence < batch.baseSequence) at++;
    batches.splice(at, 0, batch);
  }

  /** Takes a batch out of its queue (it expired before being sent). False if it was not queued. */
  remove(batch: ProducerBatch): boolean {
    const batches = this.queues.get(batch.key)?.batches;
    const index = batches === undefined ? -1 : batches.indexOf(batch);
    if (index < 0) return false;
    batches!.splice(index, 1);
    return true;
  }

  /** Every queued batch, for a forced close. */
  *queuedBatches(): Generator<ProducerBatch> {
    for (const queue of this.queues.values()) yield* queue.batches;
  }

  clearQueues(): void {
    for (const queue of this.queues.values()) queue.batches.length = 0;
  }

  setMuted(key: string, muted: boolean): void {
    const queue = this.queues.get(key);
    if (queue !== undefined) queue.muted = muted;
  }

  hasQueuedBatches(): boolean {
    for (const queue of this.queues.values()) if (queue.batches.length > 0) return true;
    return false;
  }
}

// One partition's batch of records on its way from send() to an acknowledgement.
//
// A batch collects records until it reaches batch.size (a record that does not fit starts the next batch; a
// lone record larger than batch.size gets a batch of its own), then is drained into a ProduceRequest. It keeps
// what retries need: attempts, when it may be retried, its producer id / epoch / base sequence (fixed across
// retries unless the epoch is bumped), and whether any attempt may have been written, which decides whether
// a final failure is indeterminate. Sizes are the exact uncompressed RecordBatch v2 sizes.

import { encodeBatch } from '../records/batch.ts';
import type { RecordHeader, RecordInput } from '../records/batch.ts';
import { BATCH_HEADER_BYTES, NO_SEQUENCE } from '../records/batch-header.ts';
import { utf8Length } from '../records/utf8.ts';
import { varintSize, varlongSize } from '../records/varint.ts';
import type { ProduceCallback, ProduceErrorName } from './produce-result.ts';

const INT32_MAX = 2_147_483_647;

/** Kafka's sequence arithmetic: sequences wrap from Int32.MAX_VALUE to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

/** Bytes of one record in a RecordBatch v2 (Kafka's DefaultRecord.sizeInBytes). */
export function recordSizeBytes(offsetDelta: number, timestampDelta: number, key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[] | undefined): number {
  let body = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
  body += key === null ? 1 : varintSize(key.length) + key.length;
  body += value === null ? 1 : varintSize(value.length) + value.length;
  const headerCount = headers?.length ?? 0;
  body += varintSize(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const header = headers![i];
    const keyBytes = utf8Length(header.key);
    body += varintSize(keyBytes) + keyBytes;
    body += header.value === null ? 1 : varintSize(header.value.length) + header.value.length;
  }
  return varintSize(body) + body;
}

/** A record as the accumulator holds it: bytes already encoded, timestamp fixed. */
export interface PreparedRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[] | undefined;
  readonly timestamp: number;
  readonly callback: ProduceCallback;
  /** The flush generation it was sent in (see Producer.flush). */
  readonly generation: number;
}

export class ProducerBatch {
  readonly records: RecordInput[] = [];
  readonly callbacks: ProduceCallback[] = [];
  /** Flush generation of each record. */
  readonly generations: number[] = [];
  sizeBytes = BATCH_HEADER_BYTES;
  private baseTimestamp = 0;
  /** No more records: the batch is full or has been drained. */
  closed = false;

  /** Times the batch was put back for a retry (Kafka's attempts). */
  attempts = 0;
  /** Creation, then each re-enqueue: linger and retry backoff count from here. */
  lastAttemptMs: number;
  /** Not drained before this (retry backoff). */
  retryAtMs = 0;
  /** The leader epoch the last attempt went to (a newer leader skips the retry backoff, KIP-951). */
  leaderEpochAtSend = -1;
  /** A request carrying the batch is in flight. */
  inFlight = false;
  /** Some attempt's fate is unknown or was an error raised after appending: it may be in the log. */
  mayHaveBeenWritten = false;
  done = false;
  lastError: ProduceErrorName | undefined;

  producerId = -1;
  producerEpoch = -1;
  baseSequence = NO_SEQUENCE;
  /** The sequence was rewritten by an epoch bump while the batch was in flight (Kafka's sequenceHasBeenReset). */
  sequenceHasBeenReset = false;
  private encoded: Uint8Array | undefined;

  constructor(
    /** Increases with creation order, across partitions. */
    readonly id: number,
    readonly topic: string,
    readonly partition: number,
    readonly key: string,
    /** batch.size, or more for a lone larger record. */
    readonly capacityBytes: number,
    readonly createdMs: number,
  ) {
    this.lastAttemptMs = createdMs;
  }

  get recordCount(): number {
    return this.records.length;
  }

  /** Appends a record if it fits (the first always does); false once the batch is full. */
  tryAppend(record: PreparedRecord): boolean {
    if (this.closed) return false;
    const count = this.records.length;
    if (count === 0) this.baseTimestamp = record.timestamp;
    const bytes = recordSizeBytes(count, record.timestamp - this.baseTimestamp, record.key, record.value, record.headers);
    if (count > 0 && this.sizeBytes + bytes > this.capacityBytes) {
      this.closed = true;
      return false;
    }
    this.sizeBytes += bytes;
    this.records.push(record); // a PreparedRecord is a RecordInput: no copy per record
    this.callbacks.push(record.callback);
    this.generations.push(record.generation);
    if (this.sizeBytes >= this.capacityBytes) this.closed = true;
    return true;
  }

  /** Full: no record can join any more (size reached, or a record did not fit). */
  isFull(): boolean {
    return this.closed;
  }

  hasSequence(): boolean {
    return this.baseSequence !== NO_SEQUENCE;
  }

  lastSequence(): number {
    return incrementSequence(this.baseSequence, this.records.length - 1);
  }

  setProducerState(producerId: number, producerEpoch: number, baseSequence: number): void {
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
    this.encoded = undefined;
  }

  /** An epoch bump rewrote the sequence (KIP-360); the next attempt carries the new state. */
  resetProducerState(producerId: number, producerEpoch: number, baseSequence: number): void {
    this.sequenceHasBeenReset = true;
    this.setProducerState(producerId, producerEpoch, baseSequence);
  }

  /** Tells every record's sender that it is in the log (offset -1: written, offset unknown). */
  complete(baseOffset: number, logAppendTimeMs: number): void {
    this.done = true;
    const { topic, partition, records, callbacks } = this;
    for (let i = 0; i < records.length; i++) {
      callbacks[i]({
        ok: true,
        topic,
        partition,
        offset: baseOffset < 0 ? -1 : baseOffset + i,
        timestampMs: logAppendTimeMs >= 0 ? logAppendTimeMs : records[i].timestamp!,
      });
    }
  }

  /** Tells every record's sender that it failed; indeterminate if any attempt may have been written. */
  fail(error: ProduceErrorName, retriable: boolean, message: string): void {
    this.done = true;
    const indeterminate = this.mayHaveBeenWritten || this.inFlight;
    const { topic, partition, callbacks } = this;
    for (let i = 0; i < callbacks.length; i++) {
      callbacks[i]({ ok: false, topic, partition, error, retriable, indeterminate, message });
    }
  }

  /** The RecordBatch v2 bytes for the next attempt, encoded once per producer state. */
  bytes(compression: 'none' | 'gzip'): Uint8Array {
    this.encoded ??= encodeBatch({
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      compression,
      records: this.records,
    });
    return this.encoded;
  }
}

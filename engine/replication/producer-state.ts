// Idempotent producers, broker side (Kafka's ProducerStateManager, without transactions).
//
// Per partition and producer id: the producer epoch and the metadata of its last five batches (sequence range
// and offsets). A leader checks every idempotent batch before appending it:
//   - an epoch older than the one known            -> INVALID_PRODUCER_EPOCH;
//   - a batch equal to one of the last five        -> a duplicate: nothing is appended, the answer carries the
//                                                     offset the original got;
//   - a newer epoch must start at sequence 0, the same epoch must continue at last sequence + 1 (wrapping at
//     Int32 max)                                   -> otherwise OUT_OF_ORDER_SEQUENCE_NUMBER;
//   - a producer the partition has never seen may start at any sequence (its state may have been lost to
//     retention), as in Kafka.
// Followers apply the same updates without checks, so a new leader already knows every producer. The state
// is rebuilt from the log's batch headers at load, and after a truncation that removed every batch known of
// some producer.

import { invariant } from '../invariants.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { NO_PRODUCER_ID, NO_SEQUENCE } from '../records/batch-header.ts';

/** Batches per producer kept for duplicate detection (the client's max.in.flight.requests.per.connection cap). */
export const RETAINED_BATCHES_PER_PRODUCER = 5;
const INT32_MAX = 2_147_483_647;

export interface ProducerBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

interface ProducerEntry {
  producerEpoch: number;
  /** Oldest first, at most RETAINED_BATCHES_PER_PRODUCER. */
  batches: ProducerBatch[];
  /** First offset of the oldest batch this producer ever wrote here (while tracked). */
  firstOffsetSeen: number;
}

export type ProducerCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly batch: ProducerBatch }
  | { readonly kind: 'rejected'; readonly error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH'; readonly message: string };

/** The producer-related fields of a batch header. */
export type ProducerFields = Pick<BatchHeader, 'producerId' | 'producerEpoch' | 'baseSequence' | 'lastOffsetDelta'>;

/** The sequence number of a batch's last record, wrapping like Kafka's (Int32 max is followed by 0). */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  const sum = baseSequence + lastOffsetDelta;
  return sum > INT32_MAX ? sum - INT32_MAX - 1 : sum;
}

function nextSequence(sequence: number): number {
  return sequence === INT32_MAX ? 0 : sequence + 1;
}

/** True for a batch that takes part in idempotence (a producer id and a sequence). */
export function isIdempotent(fields: ProducerFields): boolean {
  return fields.producerId !== NO_PRODUCER_ID && fields.baseSequence !== NO_SEQUENCE;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  /** `subject` names the partition in invariant messages. */
  constructor(private readonly subject = 'producer-state') {}

  /** Number of producers tracked. */
  get size(): number {
    return this.producers.size;
  }

  /** The epoch and last batch of a producer, for tests and traces. */
  lastBatchOf(producerId: number): { readonly producerEpoch: number; readonly batch: ProducerBatch | undefined } | undefined {
    const entry = this.producers.get(producerId);
    if (entry === undefined) return undefined;
    return { producerEpoch: entry.producerEpoch, batch: entry.batches[entry.batches.length - 1] };
  }

  /**
   * A leader's check of one idempotent batch before it is appended. `pending` holds the epoch and last
   * sequence of earlier batches of the same append (several batches of one producer in one request).
   */
  check(fields: ProducerFields, pending?: ReadonlyMap<number, { epoch: number; lastSequence: number }>): ProducerCheck {
    const entry = this.producers.get(fields.producerId);
    const staged = pending?.get(fields.producerId);
    const knownEpoch = staged?.epoch ?? entry?.producerEpoch;
    if (knownEpoch === undefined) return { kind: 'append' };
    const firstSequence = fields.baseSequence;
    const lastSequence = lastSequenceOf(firstSequence, fields.lastOffsetDelta);
    if (fields.producerEpoch < knownEpoch) {
      return reject('INVALID_PRODUCER_EPOCH', `producer ${fields.producerId} epoch ${fields.producerEpoch} is older than the current epoch ${knownEpoch}`);
    }
    if (staged === undefined && entry !== undefined && entry.producerEpoch === fields.producerEpoch) {
      const duplicate = entry.batches.find((batch) => batch.firstSequence === firstSequence && batch.lastSequence === lastSequence);
      if (duplicate !== undefined) return { kind: 'duplicate', batch: duplicate };
    }
    if (fields.producerEpoch > knownEpoch) {
      if (firstSequence !== 0) {
        return reject('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${fields.producerId} starts epoch ${fields.producerEpoch} at sequence ${firstSequence}, expected 0`);
      }
      return { kind: 'append' };
    }
    const lastKnown = staged?.lastSequence ?? lastRetainedSequence(entry);
    if (lastKnown !== undefined && firstSequence !== nextSequence(lastKnown)) {
      return reject('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${fields.producerId} epoch ${fields.producerEpoch} sent sequence ${firstSequence}, expected ${nextSequence(lastKnown)}`);
    }
    return { kind: 'append' };
  }

  /**
   * Records an appended idempotent batch (leader, follower, or replay of the log). `checked`: the leader
   * appended it after check() accepted it, so within its epoch it must continue the producer's last batch.
   * A follower takes what its leader's log holds, as Kafka's does without a check: a gap there (compaction,
   * or a baseOffset flipped on a disk read, which Kafka accepts) is the leader's story, not this replica's bug.
   */
  update(fields: ProducerFields, firstOffset: number, lastOffset: number, checked = false): void {
    const batch: ProducerBatch = {
      firstSequence: fields.baseSequence,
      lastSequence: lastSequenceOf(fields.baseSequence, fields.lastOffsetDelta),
      firstOffset,
      lastOffset,
    };
    const entry = this.producers.get(fields.producerId);
    if (entry === undefined) {
      this.producers.set(fields.producerId, { producerEpoch: fields.producerEpoch, batches: [batch], firstOffsetSeen: firstOffset });
      return;
    }
    if (fields.producerEpoch !== entry.producerEpoch) {
      entry.producerEpoch = fields.producerEpoch;
      entry.batches = [];
    }
    const previous = entry.batches[entry.batches.length - 1];
    if (checked && previous !== undefined) {
      invariant(batch.firstSequence === nextSequence(previous.lastSequence), 'producer-sequence-contiguous', this.subject,
        fields.producerId, batch.firstSequence, previous.lastSequence);
    }
    entry.batches.push(batch);
    if (entry.batches.length > RETAINED_BATCHES_PER_PRODUCER) entry.batches.shift();
  }

  /**
   * The log was cut to end at `endOffset`: batches at or past it are forgotten. Returns false when some
   * producer lost every batch known of it while it had older ones: the caller must rebuild from the log.
   */
  truncateTo(endOffset: number): boolean {
    for (const [producerId, entry] of this.producers) {
      const kept = entry.batches.filter((batch) => batch.lastOffset < endOffset);
      if (kept.length === entry.batches.length) continue;
      if (kept.length > 0) {
        entry.batches = kept;
      } else if (entry.firstOffsetSeen >= endOffset) {
        this.producers.delete(producerId);
      } else {
        return false;
      }
    }
    return true;
  }

  clear(): void {
    this.producers.clear();
  }
}

function lastRetainedSequence(entry: ProducerEntry | undefined): number | undefined {
  if (entry === undefined || entry.batches.length === 0) return undefined;
  return entry.batches[entry.batches.length - 1].lastSequence;
}

function reject(error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH', message: string): ProducerCheck {
  return { kind: 'rejected', error, message };
}

// The idempotent producer's bookkeeping (the idempotent half of Kafka's TransactionManager, Kafka 3.x rules).
//
// The producer holds one producer id and epoch (from InitProducerId) and, per partition, the next sequence
// number to hand out, the last sequence the broker acknowledged, and the batches that carry a sequence and
// are not finished ("in flight" here means that: sent or waiting for a retry). The broker accepts a batch
// only if its sequence follows the last one it appended for the producer, and answers a repeat of one of
// the last five batches with the original offset, so retries neither duplicate nor reorder.
//
// The rules that keep that true across failures:
// - A batch gets its sequence when first drained and keeps it on every retry; a retried batch is drained only
//   when it is the partition's first unfinished sequence, so retries go out in order.
// - A batch that fails for good (or expires after being sent) leaves a gap: later sequences would be
//   OUT_OF_ORDER_SEQUENCE_NUMBER forever. The producer then bumps its epoch locally (KIP-360; the broker takes a
//   higher epoch starting at sequence 0 from an idempotent producer) and renumbers the partition's unfinished
//   batches from 0. An expired batch whose fate is unknown first waits ("unresolved") until the partition's
//   other batches finish: if the acknowledged sequences reach past it, it was written and nothing is bumped.
// - OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are always retried; if the failing batch is the one
//   right after the last acknowledged (a real gap), the epoch is bumped first.
// - New batches do not go to a partition whose unfinished batches still carry an older epoch.

import type { TraceFields } from '../runtime.ts';
import { ErrorCode, isRetriable } from '../protocol/errors.ts';
import { NO_SEQUENCE } from '../records/batch-header.ts';
import { incrementSequence } from './producer-batch.ts';
import type { ProducerBatch } from './producer-batch.ts';

const NO_PRODUCER_ID = -1;
const SHORT_MAX = 32_767;

interface PartitionSequences {
  producerId: number;
  producerEpoch: number;
  nextSequence: number;
  lastAckedSequence: number;
  /** Unfinished batches that carry a sequence, ascending by sequence. */
  readonly inFlight: ProducerBatch[];
  /** Set while an expired batch's fate is unknown: the sequence after it. */
  unresolvedNextSequence: number | undefined;
}

export class IdempotenceState {
  producerId = NO_PRODUCER_ID;
  producerEpoch = -1;
  /** An InitProducerId is wanted (no id yet, or the epoch is exhausted). */
  private epochBumpRequired = false;
  private readonly partitionsToRewrite = new Set<string>();
  private readonly partitions = new Map<string, PartitionSequences>();

  constructor(private readonly trace: (event: string, fields: TraceFields) => void) {}

  hasProducerId(): boolean {
    return this.producerId !== NO_PRODUCER_ID;
  }

  /** InitProducerId answered. */
  setProducerIdAndEpoch(producerId: number, producerEpoch: number): void {
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.trace('producer-id', { producerId, producerEpoch });
  }

  /** Whether batches of this partition may be drained now, and the partition's sequences are current. */
  prepareToDrain(batch: ProducerBatch): boolean {
    if (!this.hasProducerId()) return false;
    const entry = this.entry(batch.key);
    if (!batch.hasSequence()) {
      if (entry.inFlight.length > 0 && this.isStale(entry)) return false;
      if (entry.unresolvedNextSequence !== undefined) return false;
      if (this.isStale(entry)) this.startSequencesAtBeginning(entry);
      return true;
    }
    const first = entry.inFlight[0];
    return first === undefined || first.baseSequence === batch.baseSequence;
  }

  /** Gives a batch drained for the first time its producer id, epoch and base sequence. */
  assignSequence(batch: ProducerBatch): void {
    if (batch.hasSequence()) return;
    const entry = this.entry(batch.key);
    batch.setProducerState(this.producerId, this.producerEpoch, entry.nextSequence);
    entry.nextSequence = incrementSequence(entry.nextSequence, batch.recordCount);
    entry.inFlight.push(batch);
  }

  /** The broker appended the batch. */
  handleCompletedBatch(batch: ProducerBatch): void {
    if (!batch.hasSequence()) return;
    const entry = this.entry(batch.key);
    if (batch.producerId === entry.producerId && batch.producerEpoch === entry.producerEpoch) {
      const last = batch.lastSequence();
      if (last > entry.lastAckedSequence) entry.lastAckedSequence = last;
    }
    this.removeInFlight(entry, batch);
  }

  /**
   * The batch failed for good. `adjustSequences` is false when its fate is unknown (it expired): then the
   * caller marks the sequence unresolved instead.
   */
  handleFailedBatch(batch: ProducerBatch, errorCode: number | undefined, adjustSequences: boolean): void {
    if (!batch.hasSequence()) return;
    const entry = this.entry(batch.key);
    this.removeInFlight(entry, batch);
    if (errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || errorCode === ErrorCode.UNKNOWN_PRODUCER_ID || adjustSequences) {
      this.requestEpochBump(batch.key);
    }
  }

  /** An expired batch had been sent: hold new batches until the partition's sequences are known again. */
  markSequenceUnresolved(batch: ProducerBatch): void {
    const entry = this.entry(batch.key);
    const next = incrementSequence(batch.lastSequence(), 1);
    entry.unresolvedNextSequence = entry.unresolvedNextSequence === undefined ? next : Math.max(entry.unresolvedNextSequence, next);
  }

  /** Kafka's TransactionManager.canRetry for an idempotent producer. */
  canRetry(errorCode: number, batch: ProducerBatch, logStartOffset: number): boolean {
    const entry = this.entry(batch.key);
    if (errorCode === ErrorCode.UNKNOWN_PRODUCER_ID) {
      // The broker lost the producer's state: restart the partition's sequences under a new epoch.
      if (logStartOffset === -1 || batch.sequenceHasBeenReset) return true;
      this.requestEpochBump(batch.key);
      return true;
    }
    if (errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      const unresolved = entry.unresolvedNextSequence !== undefined;
      if (!unresolved && (batch.sequenceHasBeenReset || !this.isNextSequence(entry, batch.baseSequence))) {
        return true; // an earlier batch is still on its way: retry and let it land first
      }
      if (!unresolved || entry.unresolvedNextSequence === batch.baseSequence) this.requestEpochBump(batch.key);
      return true;
    }
    return isRetriable(errorCode) || errorCode === ErrorCode.NETWORK_EXCEPTION;
  }

  /** Settles partitions whose unresolved batches are all finished: resolved, or an epoch bump. */
  maybeResolveSequences(): void {
    for (const [key, entry] of this.partitions) {
      if (entry.unresolvedNextSequence === undefined || entry.inFlight.length > 0) continue;
      if (!this.isNextSequence(entry, entry.nextSequence)) this.requestEpochBump(key);
      entry.unresolvedNextSequence = undefined;
    }
  }

  /** Applies a requested epoch bump. True if the epoch is exhausted and a new producer id is needed. */
  bumpEpochIfNeeded(): boolean {
    if (!this.epochBumpRequired || !this.hasProducerId()) return false;
    this.epochBumpRequired = false;
    if (this.producerEpoch >= SHORT_MAX) {
      this.trace('producer-id-reset', { producerId: this.producerId, producerEpoch: this.producerEpoch });
      this.producerId = NO_PRODUCER_ID;
      this.producerEpoch = -1;
      return true;
    }
    this.producerEpoch++;
    this.trace('producer-epoch-bump', { producerId: this.producerId, producerEpoch: this.producerEpoch, partitions: [...this.partitionsToRewrite].join(',') });
    for (const key of this.partitionsToRewrite) {
      const entry = this.entry(key);
      this.startSequencesAtBeginning(entry);
      entry.unresolvedNextSequence = undefined;
    }
    this.partitionsToRewrite.clear();
    return false;
  }

  /** Partition state for tests and traces. */
  sequenceState(key: string): { nextSequence: number; lastAckedSequence: number; inFlight: number; producerEpoch: number } {
    const entry = this.entry(key);
    return { nextSequence: entry.nextSequence, lastAckedSequence: entry.lastAckedSequence, inFlight: entry.inFlight.length, producerEpoch: entry.producerEpoch };
  }

  private requestEpochBump(key: string): void {
    this.epochBumpRequired = true;
    this.partitionsToRewrite.add(key);
  }

  /** Renumbers the partition's unfinished batches from 0 under the current id and epoch. */
  private startSequencesAtBeginning(entry: PartitionSequences): void {
    let sequence = 0;
    for (const batch of entry.inFlight) {
      batch.resetProducerState(this.producerId, this.producerEpoch, sequence);
      sequence = incrementSequence(sequence, batch.recordCount);
    }
    entry.producerId = this.producerId;
    entry.producerEpoch = this.producerEpoch;
    entry.nextSequence = sequence;
    entry.lastAckedSequence = NO_SEQUENCE;
  }

  private isStale(entry: PartitionSequences): boolean {
    return entry.producerId !== this.producerId || entry.producerEpoch !== this.producerEpoch;
  }

  private isNextSequence(entry: PartitionSequences, sequence: number): boolean {
    return sequence === incrementSequence(entry.lastAckedSequence, 1);
  }

  private removeInFlight(entry: PartitionSequences, batch: ProducerBatch): void {
    const index = entry.inFlight.indexOf(batch);
    if (index >= 0) entry.inFlight.splice(index, 1);
  }

  private entry(key: string): PartitionSequences {
    let entry = this.partitions.get(key);
    if (entry === undefined) {
      entry = {
        producerId: this.producerId,
        producerEpoch: this.producerEpoch,
        nextSequence: 0,
        lastAckedSequence: NO_SEQUENCE,
        inFlight: [],
        unresolvedNextSequence: undefined,
      };
      this.partitions.set(key, entry);
    }
    return entry;
  }
}

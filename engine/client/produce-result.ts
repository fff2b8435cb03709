// What a producer's caller hands in, and what each send's callback hears back.
//
// A send ends in exactly one ProduceResult:
// - ok: the record is in the partition's log at `offset` (as acks promised). offset -1 when the producer
//   cannot know it: acks=0 (the request was handed to the network, nothing more is known), or a retry that the
//   broker recognised as a duplicate beyond its cache (DUPLICATE_SEQUENCE_NUMBER: written once, earlier).
// - failed, indeterminate false: no attempt can have written the record. Either nothing was ever sent (no
//   metadata, full buffer, record too large, a leader that never appeared), or every attempt sent was answered
//   with an error the broker raises before appending.
// - failed, indeterminate true: some attempt may have been written: a request timed out or its connection
//   failed while it was in flight, or the broker answered with an error it may raise after appending
//   (REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER with acks=all, ...), or the
//   delivery timeout struck while a request was in flight. The record may or may not be in the log.

import type { Acks } from '../protocol/produce.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ErrorName } from '../protocol/errors.ts';
import type { RecordHeader } from '../records/batch.ts';

export interface ProducerRecord {
  readonly topic: string;
  /** Strings are sent as UTF-8. A null key spreads records over partitions (sticky, KIP-794). */
  readonly key: Uint8Array | string | null;
  readonly value: Uint8Array | string | null;
  readonly headers?: readonly RecordHeader[];
  /** CreateTime in ms; default the producer's clock at send(). */
  readonly timestamp?: number;
  /** An explicit partition, bypassing the partitioner. */
  readonly partition?: number;
}

/** Why a send failed: a Kafka error name from the broker, or one of the producer's own. */
export type ProduceErrorName =
  | ErrorName
  | `UNKNOWN_CODE_${number}`
  /** delivery.timeout.ms passed before the record was acknowledged (Kafka's TimeoutException "Expiring ..."). */
  | 'DELIVERY_TIMEOUT'
  /** The topic's metadata did not arrive within max.block.ms. */
  | 'METADATA_TIMEOUT'
  /** buffer.memory stayed full for max.block.ms. */
  | 'BUFFER_EXHAUSTED'
  /** The record alone exceeds max.request.size or buffer.memory (Kafka's RecordTooLargeException). */
  | 'RECORD_TOO_LARGE'
  /** The partition given does not exist in the topic. */
  | 'INVALID_PARTITION'
  /** The producer was closed before the record completed, or send() came after close(). */
  | 'PRODUCER_CLOSED';

export interface ProduceSuccess {
  readonly ok: true;
  readonly topic: string;
  readonly partition: number;
  /** -1 when unknown: acks=0, or a duplicate the broker could not place (see the file comment). */
  readonly offset: number;
  /** The broker's LogAppendTime if the topic uses it, else the record's CreateTime. */
  readonly timestampMs: number;
}

export interface ProduceFailure {
  readonly ok: false;
  readonly topic: string;
  /** -1 when the record failed before a partition was chosen. */
  readonly partition: number;
  readonly error: ProduceErrorName;
  /** Kafka would call the cause retriable (a later send may well succeed). */
  readonly retriable: boolean;
  /** The record may have been written (see the file comment); false means it was not. */
  readonly indeterminate: boolean;
  readonly message: string;
}

export type ProduceResult = ProduceSuccess | ProduceFailure;
export type ProduceCallback = (result: ProduceResult) => void;

/** Errors a broker raises while validating a produce, before anything is appended. */
const REJECTED_BEFORE_APPEND: ReadonlySet<number> = new Set<number>([
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.INVALID_TOPIC_EXCEPTION,
  ErrorCode.RECORD_LIST_TOO_LARGE,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.INVALID_REQUIRED_ACKS,
  ErrorCode.INVALID_TIMESTAMP,
  ErrorCode.UNSUPPORTED_VERSION,
  ErrorCode.INVALID_REQUEST,
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.UNKNOWN_PRODUCER_ID,
  ErrorCode.INVALID_RECORD,
  ErrorCode.PRODUCER_FENCED,
]);

/**
 * True if an attempt answered with `errorCode` may have left the batch in the log. With acks=all a leader
 * appends first and waits for the ISR; losing leadership meanwhile answers NOT_LEADER_OR_FOLLOWER for a batch
 * that is in its log (and maybe in the new leader's), so only with acks 0/1 is that error a clean rejection.
 */
export function attemptMayHaveWritten(errorCode: number, acks: Acks): boolean {
  if (REJECTED_BEFORE_APPEND.has(errorCode)) return false;
  if (errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCode.FENCED_LEADER_EPOCH) return acks === -1;
  return true;
}

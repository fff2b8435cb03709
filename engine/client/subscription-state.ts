// What a consumer knows about each assigned partition: where it reads next, which leader that position was
// last confirmed with, and what it is waiting for (Kafka's SubscriptionState.TopicPartitionState).
//
//   initializing ──(auto.offset.reset)──> await-reset ──ListOffsets──> await-validation / fetching
//   fetching ──(leader or epoch changed, position has an epoch)──> await-validation ──OffsetsForLeaderEpoch──>
//     fetching (valid, or truncation detected and reset to the divergence point) / await-reset / failed
//   fetching ──OFFSET_OUT_OF_RANGE──> await-reset (or failed with auto.offset.reset=none)
// `failed` waits for a seek().

export type FetchState = 'initializing' | 'await-reset' | 'await-validation' | 'fetching' | 'failed';

export type ResetStrategy = 'earliest' | 'latest';

/** A position: the next offset to read, the epoch of the record before it, and the leader it was valid under. */
export interface FetchPosition {
  readonly offset: number;
  /** Leader epoch of the last record consumed before `offset`, -1 if unknown (after a plain seek). */
  readonly offsetEpoch: number;
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export class PartitionState {
  state: FetchState = 'initializing';
  position: FetchPosition | undefined;
  resetStrategy: ResetStrategy | undefined;
  /** A ListOffsets or OffsetsForLeaderEpoch for this partition is in flight. */
  requestInFlight = false;
  /** Not fetched, reset or validated before this (backoff after an error). */
  retryAtMs = 0;
  /** Consecutive errors, for the backoff. */
  failures = 0;
  /** A leadership error asked for fresh metadata; fetching waits for it. */
  awaitingMetadata = false;
  highWatermark = -1;
  logStartOffset = -1;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly key: string,
  ) {}

  /** Position known and readable now. */
  isFetchable(nowMs: number): boolean {
    return this.state === 'fetching' && this.position !== undefined && !this.awaitingMetadata && nowMs >= this.retryAtMs;
  }

  seek(position: FetchPosition): void {
    this.position = position;
    this.state = 'fetching';
    this.resetStrategy = undefined;
    this.failures = 0;
    this.retryAtMs = 0;
  }

  /** A position with an epoch, as after a reset: validated against the leader first when it has one. */
  seekUnvalidated(position: FetchPosition): void {
    this.seek(position);
    if (position.offsetEpoch >= 0 && position.leaderEpoch >= 0) this.state = 'await-validation';
  }

  requestReset(strategy: ResetStrategy): void {
    this.state = 'await-reset';
    this.resetStrategy = strategy;
    this.retryAtMs = 0;
  }

  /** The current leader differs from the one the position was confirmed with: move to it, validating. */
  leaderChanged(leaderId: number, leaderEpoch: number): void {
    const position = this.position!;
    this.seekUnvalidated({ offset: position.offset, offsetEpoch: position.offsetEpoch, leaderId, leaderEpoch });
  }

  backOff(nowMs: number, backoffMs: number): void {
    this.failures++;
    this.retryAtMs = nowMs + backoffMs;
  }

  fail(): void {
    this.state = 'failed';
  }
}

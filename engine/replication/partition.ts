// One replica of one partition on this broker (Kafka's Partition): its log, its role, the high watermark,
// and for a leader the state of each follower and of the ISR.
//
// Roles come from the metadata log only (makeLeader / makeFollower with the partition's registration). The
// leader appends produced batches with its epoch, answers followers' fetches, derives the high watermark from
// its followers' log end offsets and asks the controller to shrink or expand the ISR. A follower appends what
// its fetcher brings and takes the leader's high watermark (bounded by its own log end). Everything else —
// request parsing, waiting for the high watermark, long polls — lives around this class.

import type { Log, ReadOptions } from '../log/log.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../log/leader-epoch-cache.ts';
import { LogAppendError, LogNotAvailableError, OffsetOutOfRangeError } from '../log/log-errors.ts';
import type { PartitionRegistration } from '../metadata/image.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';
import type { EpochEndOffset, FetchPartition } from '../protocol/fetch.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { CorruptRecordError } from '../records/errors.ts';
import { invariant } from '../invariants.ts';
import { DiskError } from '../runtime.ts';
import type { TraceFields } from '../runtime.ts';
import { appendFailure, appendRefused, readHeaders, stampLogAppendTime } from './append-checks.ts';
import type { LeaderAppendResult } from './append-checks.ts';
import type { AlterPartitionChannel, IsrChangeKind } from './isr.ts';
import { IsrState } from './isr.ts';
import { FollowerState } from './leader-state.ts';
import { isIdempotent, lastSequenceOf, ProducerStateManager } from './producer-state.ts';
import { rebuildProducerState } from './producer-state-loader.ts';
import type { PartitionSettings, ReplicationConfig } from './replication-config.ts';
import { checkTimestamps } from './timestamp-validation.ts';

export type ReplicaRole = 'leader' | 'follower' | 'none';

/** What a partition is told of its broker. */
export interface ReplicaContext {
  readonly config: ReplicationConfig;
  readonly alterPartition: AlterPartitionChannel;
  now(): number;
  trace(event: string, fields: TraceFields): void;
  /** This broker's epoch from its registration, -1 before it registered. */
  brokerEpoch(): number;
  /** Registered, unfenced, not shutting down, and (when known) at `brokerEpoch` (KIP-841, KIP-903). */
  isReplicaIsrEligible(brokerId: number, brokerEpoch: number): boolean;
  /** The broker epoch of `brokerId`'s registration in this broker's metadata image, -1 if unknown. */
  registeredBrokerEpoch(brokerId: number): number;
  readonly events: PartitionEvents;
}

/** What a partition tells the code around it. */
export interface PartitionEvents {
  /** The leader's log grew: followers' long polls may complete. */
  logAppended(partition: Partition): void;
  /** The high watermark moved: acks=all produces and consumers' long polls may complete. */
  highWatermarkChanged(partition: Partition): void;
  /** Role, leader epoch or ISR changed: waiting produces re-check. */
  stateChanged(partition: Partition): void;
  /** A flush completed (the flushed offset moved). */
  flushed(partition: Partition): void;
}


export interface PartitionReadResult {
  readonly errorCode: number;
  readonly records: Uint8Array;
  readonly divergingEpoch: EpochEndOffset | null;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

const EMPTY = new Uint8Array(0);
/** A follower reads up to its leader's log end (no maxOffset); shared, as every follower fetch reads. */
const FOLLOWER_READ_MIN_ONE: ReadOptions = { minOneBatch: true };
const FOLLOWER_READ: ReadOptions = { minOneBatch: false };
const NO_EPOCH = -1;

export class Partition {
  readonly key: string;
  readonly producers: ProducerStateManager;
  private roleValue: ReplicaRole = 'none';
  private leaderIdValue = -1;
  private leaderEpochValue = NO_EPOCH;
  private replicasValue: readonly number[] = [];
  private isrState = new IsrState([], -1);
  private hw: number;
  /** Where this leader's epoch began in its log (the log end when it became leader). */
  private leaderEpochStartOffsetValue = -1;
  private readonly followers = new Map<number, FollowerState>();
  private unflushedRecords = 0;
  private flushedOffsetValue: number;
  private stopped = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly log: Log,
    private settingsValue: PartitionSettings,
    private readonly context: ReplicaContext,
    /** From replication-offset-checkpoint; bounded by the log. */
    checkpointedHighWatermark: number,
  ) {
    this.key = `${topic}-${partition}`;
    this.producers = new ProducerStateManager(this.key);
    this.hw = Math.max(log.logStartOffset, Math.min(checkpointedHighWatermark, log.logEndOffset));
    this.flushedOffsetValue = log.recoveryPoint;
    rebuildProducerState(log, this.producers);
  }

  // -------------------------------------------------------------------------------------------------------
  // Accessors

  get role(): ReplicaRole {
    return this.roleValue;
  }
  get isLeader(): boolean {
    return this.roleValue === 'leader';
  }
  get leaderId(): number {
    return this.leaderIdValue;
  }
  get leaderEpoch(): number {
    return this.leaderEpochValue;
  }
  get partitionEpoch(): number {
    return this.isrState.partitionEpoch;
  }
  get replicas(): readonly number[] {
    return this.replicasValue;
  }
  /** The ISR as committed by the controller. */
  get isr(): readonly number[] {
    return this.isrState.isr;
  }
  get maximalIsr(): readonly number[] {
    return this.isrState.maximalIsr;
  }
  get isrChangeInFlight(): IsrChangeKind | undefined {
    return this.isrState.inFlight;
  }
  get highWatermark(): number {
    return this.hw;
  }
  get logEndOffset(): number {
    return this.log.logEndOffset;
  }
  get logStartOffset(): number {
    return this.log.logStartOffset;
  }
  get leaderEpochStartOffset(): number {
    return this.leaderEpochStartOffsetValue;
  }
  /** Every offset below this was covered by a completed fsync of this incarnation's flushes. */
  get flushedOffset(): number {
    return Math.max(this.flushedOffsetValue, this.log.recoveryPoint);
  }
  get settings(): PartitionSettings {
    return this.settingsValue;
  }
  /**
   * min(min.insync.replicas, replication factor), as Kafka's Partition.effectiveMinIsr: a topic may set
   * min.insync.replicas above its replication factor, and Kafka then asks for every replica rather than for
   * more replicas than exist (which would freeze the partition).
   */
  get effectiveMinIsr(): number {
    return Math.min(this.settingsValue.minInsyncReplicas, this.replicasValue.length);
  }
  get isStopped(): boolean {
    return this.stopped;
  }
  /** A follower's log end offset as the leader knows it (-1 unknown), for tests and metrics. */
  followerLogEndOffset(brokerId: number): number | undefined {
    return this.followers.get(brokerId)?.logEndOffset;
  }

  updateSettings(settings: PartitionSettings): void {
    const lowered = settings.minInsyncReplicas !== this.settingsValue.minInsyncReplicas;
    this.settingsValue = settings;
    if (lowered && this.isLeader) {
      this.maybeIncrementLeaderHighWatermark();
      this.context.events.stateChanged(this);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Role changes (from the metadata log)

  /**
   * Becomes (or stays) leader for `registration`. A new leader epoch records where it begins in the log,
   * forgets what it knew of followers, and starts from its own high watermark, which only followers' fetches
   * can move up. Returns false for a registration older than what the replica already applied.
   */
  makeLeader(registration: PartitionRegistration): boolean {
    if (registration.leaderEpoch < this.leaderEpochValue) return false;
    const nowMs = this.context.now();
    const newEpoch = this.roleValue !== 'leader' || registration.leaderEpoch > this.leaderEpochValue;
    this.replicasValue = registration.replicas;
    if (newEpoch) {
      this.roleValue = 'leader';
      this.leaderIdValue = this.context.config.brokerId;
      this.leaderEpochValue = registration.leaderEpoch;
      this.isrState = new IsrState(registration.isr, registration.partitionEpoch);
      this.leaderEpochStartOffsetValue = this.log.logEndOffset;
      this.log.assignEpochStartOffset(registration.leaderEpoch, this.log.logEndOffset);
      this.followers.clear();
      this.trace('replica.become-leader', { isr: registration.isr.join(','), partitionEpoch: registration.partitionEpoch });
    } else {
      this.isrState.applyRegistration({ isr: registration.isr, partitionEpoch: registration.partitionEpoch });
    }
    this.checkIsr();
    this.syncFollowers(nowMs, newEpoch);
    this.maybeIncrementLeaderHighWatermark();
    this.context.events.stateChanged(this);
    return true;
  }

  /**
   * Becomes (or stays) a follower of `registration.leader` (-1: no leader for now). Returns true when the
   * fetcher must (re)start: a new leader or a new epoch. In the pre-KIP-101 mode a new leadership makes the
   * replica truncate its log to its own high watermark first.
   */
  makeFollower(registration: PartitionRegistration): boolean {
    if (registration.leaderEpoch < this.leaderEpochValue) return false;
    const changed = this.roleValue !== 'follower' || registration.leaderEpoch > this.leaderEpochValue || registration.leader !== this.leaderIdValue;
    this.roleValue = 'follower';
    this.leaderIdValue = registration.leader;
    this.leaderEpochValue = registration.leaderEpoch;
    this.replicasValue = registration.replicas;
    if (changed) {
      this.isrState = new IsrState(registration.isr, registration.partitionEpoch);
      this.followers.clear();
      this.leaderEpochStartOffsetValue = -1;
      this.trace('replica.become-follower', { leader: registration.leader });
      if (this.context.config.truncation === 'high-watermark') this.truncateTo(this.hw, 'high-watermark');
    } else {
      this.isrState.applyRegistration({ isr: registration.isr, partitionEpoch: registration.partitionEpoch });
    }
    this.context.events.stateChanged(this);
    return changed;
  }

  /** Stops this replica (no longer assigned here, or the broker stops): waiting requests fail. */
  stop(): void {
    this.stopped = true;
    this.roleValue = 'none';
    this.leaderIdValue = -1;
    this.followers.clear();
    this.context.events.stateChanged(this);
  }

  private syncFollowers(nowMs: number, reset: boolean): void {
    const self = this.context.config.brokerId;
    for (const id of [...this.followers.keys()]) if (!this.replicasValue.includes(id)) this.followers.delete(id);
    for (const id of this.replicasValue) {
      if (id === self) continue;
      let follower = this.followers.get(id);
      if (follower === undefined) {
        follower = new FollowerState(id);
        this.followers.set(id, follower);
        follower.reset(nowMs, this.isrState.isr.includes(id));
      } else if (reset) {
        follower.reset(nowMs, this.isrState.isr.includes(id));
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Leader: appends

  /**
   * Appends produced batches as leader (Kafka's appendRecordsToLeader). Checks leadership, the ISR size for
   * acks=all, each idempotent batch against the producer state, then appends with this leader's epoch.
   */
  appendAsLeader(records: Uint8Array, acks: number): LeaderAppendResult {
    if (this.roleValue !== 'leader') return appendRefused(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.context.config.brokerId} is not the leader of ${this.key}`);
    if (acks === -1 && this.isrState.isr.length < this.effectiveMinIsr) {
      return appendRefused(ErrorCode.NOT_ENOUGH_REPLICAS,
        `the ISR [${this.isrState.isr.join(',')}] of ${this.key} is smaller than its effective min ISR ${this.effectiveMinIsr} `
        + `(min.insync.replicas ${this.settingsValue.minInsyncReplicas}, ${this.replicasValue.length} replicas)`);
    }
    const nowMs = this.context.now();
    let headers: BatchHeader[];
    try {
      headers = readHeaders(records);
    } catch (error) {
      if (error instanceof CorruptRecordError) return appendRefused(ErrorCode.CORRUPT_MESSAGE, error.message);
      throw error;
    }
    const timestampRefusal = checkTimestamps(records, headers, this.settingsValue, nowMs);
    if (timestampRefusal !== undefined) return timestampRefusal;
    const pending = new Map<number, { epoch: number; lastSequence: number }>();
    for (const header of headers) {
      if (!isIdempotent(header)) continue;
      const check = this.producers.check(header, pending);
      if (check.kind === 'duplicate') {
        return { errorCode: ErrorCode.NONE, errorMessage: null, firstOffset: check.batch.firstOffset, lastOffset: check.batch.lastOffset, logAppendTimeMs: -1, duplicate: true, flushTarget: undefined };
      }
      if (check.kind === 'rejected') return appendRefused(ErrorCode[check.error], check.message);
      pending.set(header.producerId, { epoch: header.producerEpoch, lastSequence: lastSequenceOf(header.baseSequence, header.lastOffsetDelta) });
    }
    const logAppendTimeMs = this.settingsValue.timestampType === 'LogAppendTime' ? Math.floor(nowMs) : -1; // whole ms, as Kafka's clock
    let info;
    try {
      if (logAppendTimeMs >= 0) stampLogAppendTime(records, headers, nowMs);
      info = this.log.append(records, { assignOffsets: true, leaderEpoch: this.leaderEpochValue, nowMs });
    } catch (error) {
      return appendFailure(error);
    }
    let offset = info.firstOffset;
    for (const header of headers) {
      const last = offset + header.lastOffsetDelta;
      if (isIdempotent(header)) this.producers.update(header, offset, last, true);
      offset = last + 1;
    }
    const flushTarget = this.afterAppend(info.recordCount);
    this.context.events.logAppended(this);
    this.maybeIncrementLeaderHighWatermark();
    return { errorCode: ErrorCode.NONE, errorMessage: null, firstOffset: info.firstOffset, lastOffset: info.lastOffset, logAppendTimeMs, duplicate: false, flushTarget };
  }

  /** Counts appended records toward flush.messages; starts an fsync when due and returns the offset it covers. */
  private afterAppend(recordCount: number): number | undefined {
    this.unflushedRecords += recordCount;
    if (this.unflushedRecords < this.settingsValue.flushMessages) return undefined;
    this.unflushedRecords = 0;
    const target = this.log.logEndOffset;
    this.log.flush((error) => {
      if (error !== undefined || this.stopped) return;
      if (target > this.flushedOffsetValue) this.flushedOffsetValue = target;
      this.context.events.flushed(this);
    });
    return target;
  }

  // -------------------------------------------------------------------------------------------------------
  // Leader: fetches, high watermark, ISR

  /** FENCED_LEADER_EPOCH for an older epoch, UNKNOWN_LEADER_EPOCH for a newer one; -1 skips the check. */
  checkLeaderEpoch(currentLeaderEpoch: number): number {
    if (currentLeaderEpoch === NO_EPOCH || currentLeaderEpoch === this.leaderEpochValue) return ErrorCode.NONE;
    return currentLeaderEpoch < this.leaderEpochValue ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
  }

  /**
   * Reads for a fetch as leader, after the divergence check of KIP-320 (when the fetcher names its last
   * fetched epoch). A follower (replicaId >= 0) gets everything up to the log end, and its fetch offset
   * updates what the leader knows of it; a consumer gets only what lies below the high watermark.
   */
  readAsLeader(fetch: FetchPartition, replicaId: number, replicaEpoch: number, maxBytes: number, updateFollower: boolean, minOneBatch = true): PartitionReadResult {
    if (this.roleValue !== 'leader') return this.readError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const epochError = this.checkLeaderEpoch(fetch.currentLeaderEpoch);
    if (epochError !== ErrorCode.NONE) return this.readError(epochError);
    const isFollower = replicaId >= 0;
    const follower = isFollower ? this.followers.get(replicaId) : undefined;
    // A fetch from a broker outside the replica set (KAFKA-13837): with a leader epoch, the pair (replica,
    // epoch) is not known here yet (a reassignment the metadata has not brought), so the follower retries.
    if (isFollower && follower === undefined) {
      return this.readError(fetch.currentLeaderEpoch === NO_EPOCH ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_LEADER_EPOCH);
    }
    // KIP-320: any fetcher that names the epoch of its last record (followers; consumers may too) learns
    // of a divergence instead of getting records that do not continue its log. Kafka's order: an epoch the
    // leader cannot place, or an offset below its log start, is out of range whatever the epochs say.
    if (fetch.lastFetchedEpoch >= 0) {
      const end = this.log.endOffsetForEpoch(fetch.lastFetchedEpoch);
      if (end.epoch === UNDEFINED_EPOCH || end.endOffset === UNDEFINED_EPOCH_OFFSET) return this.readError(ErrorCode.OFFSET_OUT_OF_RANGE);
      if (fetch.fetchOffset < this.log.logStartOffset) return this.readError(ErrorCode.OFFSET_OUT_OF_RANGE);
      if (end.epoch < fetch.lastFetchedEpoch || end.endOffset < fetch.fetchOffset) {
        return { ...this.readError(ErrorCode.NONE), divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset } };
      }
    }
    if (fetch.fetchOffset < this.log.logStartOffset || fetch.fetchOffset > this.log.logEndOffset) return this.readError(ErrorCode.OFFSET_OUT_OF_RANGE);
    // KIP-903: a fetch that carries an older broker epoch than the registration comes from a previous
    // incarnation of the follower; it must not move what the leader knows of it (Kafka's Replica fences it).
    if (follower !== undefined && updateFollower && replicaEpoch >= 0) {
      const registered = this.context.registeredBrokerEpoch(replicaId);
      if (registered > replicaEpoch) return this.readError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }
    // Read first, then learn from the follower's offset (Kafka's order): the answer carries the high
    // watermark from before this fetch, so a follower learns a new high watermark one fetch later.
    const highWatermark = this.hw;
    const logStartOffset = this.log.logStartOffset;
    let records: Uint8Array;
    try {
      const options = isFollower ? (minOneBatch ? FOLLOWER_READ_MIN_ONE : FOLLOWER_READ) : { minOneBatch, maxOffset: highWatermark };
      records = this.log.read(fetch.fetchOffset, maxBytes, options).bytes;
    } catch (caught) {
      if (caught instanceof OffsetOutOfRangeError) return this.readError(ErrorCode.OFFSET_OUT_OF_RANGE);
      if (caught instanceof LogNotAvailableError || caught instanceof DiskError) return this.readError(ErrorCode.KAFKA_STORAGE_ERROR);
      throw caught;
    }
    if (follower !== undefined && updateFollower) this.updateFollowerFetchState(follower, fetch.fetchOffset, replicaEpoch);
    return { errorCode: ErrorCode.NONE, records, divergingEpoch: null, highWatermark, logStartOffset };
  }

  private readError(errorCode: number): PartitionReadResult {
    return { errorCode, records: EMPTY, divergingEpoch: null, highWatermark: this.hw, logStartOffset: this.log.logStartOffset };
  }

  private updateFollowerFetchState(follower: FollowerState, fetchOffset: number, replicaEpoch: number): void {
    // A follower that is in sync, in the incarnation the metadata knows, fetches at its log end: below the
    // high watermark would mean it truncated records the ISR had committed. (The pre-KIP-101 mode does that on
    // purpose; a restarted follower is a new incarnation, and leaves the ISR with its old broker epoch.)
    if (this.context.config.truncation === 'leader-epoch' && replicaEpoch >= 0 && this.isrState.isr.includes(follower.brokerId)
      && replicaEpoch === this.context.registeredBrokerEpoch(follower.brokerId)) {
      invariant(fetchOffset >= this.hw, 'no-truncation-below-high-watermark', this.key, fetchOffset, this.hw, follower.brokerId);
    }
    follower.updateFetchState(fetchOffset, this.log.logEndOffset, this.context.now(), replicaEpoch);
    this.maybeExpandIsr(follower);
    this.maybeIncrementLeaderHighWatermark();
  }

  /**
   * The high watermark is the smallest log end offset among the maximal ISR and the caught-up eligible
   * replicas about to join it; it only rises, and not at all while the ISR is smaller than the effective
   * min ISR (KIP-966). Returns true if it moved.
   */
  maybeIncrementLeaderHighWatermark(): boolean {
    if (this.roleValue !== 'leader') return false;
    if (this.isrState.isr.length < this.effectiveMinIsr) return false;
    const leaderEnd = this.log.logEndOffset;
    const nowMs = this.context.now();
    const maximal = this.isrState.maximalIsr;
    const lagMs = this.context.config.replicaLagTimeMaxMs;
    let candidate = leaderEnd;
    for (const follower of this.followers.values()) {
      if (follower.logEndOffset >= candidate) continue;
      const counts = maximal.includes(follower.brokerId)
        || (follower.isCaughtUp(leaderEnd, nowMs, lagMs) && this.context.isReplicaIsrEligible(follower.brokerId, follower.brokerEpoch));
      if (counts) candidate = follower.logEndOffset;
    }
    if (candidate <= this.hw) return false;
    this.setHighWatermark(candidate);
    this.context.events.highWatermarkChanged(this);
    return true;
  }

  private maybeExpandIsr(follower: FollowerState): void {
    if (this.isrState.inFlight !== undefined || this.isrState.isr.includes(follower.brokerId)) return;
    if (follower.logEndOffset < this.hw || follower.logEndOffset < this.leaderEpochStartOffsetValue) return;
    if (!this.context.isReplicaIsrEligible(follower.brokerId, follower.brokerEpoch)) return;
    this.proposeIsr('expand', [...this.isrState.isr, follower.brokerId]);
  }

  /** Drops from the ISR every follower not caught up within replica.lag.time.max.ms (periodic check). */
  maybeShrinkIsr(): void {
    if (this.roleValue !== 'leader' || this.isrState.inFlight !== undefined) return;
    const self = this.context.config.brokerId;
    const leaderEnd = this.log.logEndOffset;
    const nowMs = this.context.now();
    const lagMs = this.context.config.replicaLagTimeMaxMs;
    const outOfSync = this.isrState.isr.filter((id) => id !== self && !(this.followers.get(id)?.isCaughtUp(leaderEnd, nowMs, lagMs) ?? false));
    if (outOfSync.length === 0) return;
    this.trace('replica.isr-lagging', { outOfSync: outOfSync.join(','), logEndOffset: leaderEnd });
    this.proposeIsr('shrink', this.isrState.isr.filter((id) => !outOfSync.includes(id)));
  }

  private proposeIsr(kind: IsrChangeKind, proposedIsr: readonly number[]): void {
    const self = this.context.config.brokerId;
    const epoch = this.leaderEpochValue;
    const sent = this.isrState.propose(kind, proposedIsr, {
      topic: this.topic,
      partition: this.partition,
      leaderEpoch: epoch,
      brokerEpochOf: (id) => (id === self ? this.context.brokerEpoch() : this.followers.get(id)?.brokerEpoch ?? -1),
    }, this.context.alterPartition, (outcome) => {
      this.trace('replica.alter-partition-answer', { kind, applied: outcome.applied, error: errorName(outcome.errorCode), isr: this.isrState.isr.join(','), partitionEpoch: this.isrState.partitionEpoch });
      if (this.roleValue !== 'leader' || this.leaderEpochValue !== epoch) return;
      if (outcome.applied) this.onIsrChanged();
    });
    if (sent) this.trace('replica.alter-partition', { kind, proposedIsr: proposedIsr.join(','), partitionEpoch: this.isrState.partitionEpoch });
  }

  private onIsrChanged(): void {
    this.checkIsr();
    this.maybeIncrementLeaderHighWatermark();
    this.context.events.stateChanged(this);
  }

  /** A newer registration for the same leadership (ISR change by the metadata log). */
  applyRegistration(registration: PartitionRegistration): void {
    this.replicasValue = registration.replicas;
    const changed = this.isrState.applyRegistration({ isr: registration.isr, partitionEpoch: registration.partitionEpoch });
    if (!changed) return;
    if (this.isLeader) {
      this.syncFollowers(this.context.now(), false);
      this.onIsrChanged();
    } else {
      this.context.events.stateChanged(this);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Follower

  /**
   * Appends batches fetched from the leader, with the offsets and epochs they carry (the log checks them:
   * see append-validation.ts). A first batch starting below the log end is refused (Kafka's
   * UnexpectedAppendOffsetException) unless the log is empty and the batch straddles its start: then the log
   * restarts at the batch (Kafka's appendRecordsToFollowerOrFutureReplica).
   *
   * The pre-KIP-101 mode emulates Kafka before leader epochs, whose followers fetched single messages from
   * their log end: a log truncated to its high watermark went on from there whatever the leader's history. A
   * v2 batch cannot be split, so a follower in that mode whose log ends inside one of the leader's batches cuts
   * back to the batch's start and takes it whole; the logs still disagree below, which is what the mode shows.
   */
  appendAsFollower(records: Uint8Array): number | undefined {
    const nowMs = this.context.now();
    const headers = readHeaders(records);
    if (headers.length === 0) return undefined;
    const first = headers[0];
    const end = this.log.logEndOffset;
    if (first.baseOffset < end && end === this.log.logStartOffset && first.lastOffset >= end) this.truncateFullyAndStartAt(first.baseOffset);
    else if (first.baseOffset < end && this.context.config.truncation === 'high-watermark') this.truncateTo(first.baseOffset, 'batch-overlap');
    const info = this.log.append(records, { assignOffsets: false, nowMs, leaderEpochAtMost: this.leaderEpochValue });
    for (const header of headers) if (isIdempotent(header)) this.producers.update(header, header.baseOffset, header.lastOffset);
    return this.afterAppend(info.recordCount);
  }

  /** A follower's high watermark: the leader's, bounded by its own log end (it may go down after a leader change). */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const next = Math.max(this.log.logStartOffset, Math.min(leaderHighWatermark, this.log.logEndOffset));
    if (next === this.hw) return;
    this.setHighWatermark(next);
    this.context.events.highWatermarkChanged(this);
  }

  /**
   * Cuts the log to end at or below `offset`; the producer state and high watermark follow. A target at or
   * past the log end removes no record but still cuts the leader epoch cache at the log end (Kafka's
   * UnifiedLog.truncateTo): an epoch this replica started as leader without appending to it must not stay
   * its last fetched epoch, or it would ask the new leader about it forever.
   */
  truncateTo(offset: number, reason: string): void {
    const before = this.log.logEndOffset;
    const epochBefore = this.log.leaderEpochCache.latestEpoch();
    if (!this.log.truncateTo(offset, this.context.now())) {
      const epochAfter = this.log.leaderEpochCache.latestEpoch();
      if (epochAfter !== epochBefore) this.trace('replica.truncate-epochs', { reason, from: epochBefore ?? -1, to: epochAfter ?? -1 });
      return;
    }
    const end = this.log.logEndOffset;
    if (!this.producers.truncateTo(end)) rebuildProducerState(this.log, this.producers);
    if (this.hw > end) this.setHighWatermark(end);
    if (this.flushedOffsetValue > end) this.flushedOffsetValue = end;
    this.trace('replica.truncate', { reason, from: before, to: end, highWatermark: this.hw });
  }

  /** Empties the log and restarts it at `offset` (the follower fell behind the leader's log start). */
  truncateFullyAndStartAt(offset: number): void {
    const before = this.log.logEndOffset;
    this.log.truncateFullyAndStartAt(offset, this.context.now());
    this.producers.clear();
    this.setHighWatermark(offset);
    this.flushedOffsetValue = offset;
    this.trace('replica.truncate', { reason: 'out-of-range', from: before, to: offset, highWatermark: offset });
  }

  // -------------------------------------------------------------------------------------------------------
  // Invariants

  /** Every change of the high watermark goes here: it stays within the log, and a leader's never falls. */
  private setHighWatermark(next: number): void {
    invariant(next >= this.log.logStartOffset && next <= this.log.logEndOffset, 'high-watermark-within-log', this.key,
      next, this.log.logEndOffset, this.log.logStartOffset);
    if (this.roleValue === 'leader') invariant(next >= this.hw, 'leader-high-watermark-monotonic', this.key, this.hw, next, this.leaderEpochValue);
    this.hw = next;
  }

  /** The ISR is a subset of the replicas; a leader's holds the leader. */
  private checkIsr(): void {
    const isr = this.isrState.isr;
    const self = this.context.config.brokerId;
    let within = true;
    for (let i = 0; i < isr.length; i++) if (!this.replicasValue.includes(isr[i])) within = false;
    invariant(within && (this.roleValue !== 'leader' || isr.includes(self)), 'isr-within-replicas', this.key, self, isr.length, this.replicasValue.length);
  }

  // -------------------------------------------------------------------------------------------------------

  private trace(event: string, fields: Record<string, string | number | boolean | null>): void {
    this.context.trace(event, { partition: this.key, epoch: this.leaderEpochValue, leo: this.log.logEndOffset, hw: this.hw, ...fields });
  }
}


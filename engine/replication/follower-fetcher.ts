// A follower's fetcher for one leader broker (Kafka's ReplicaFetcherThread), as an event-driven loop.
//
// One FetchRequest at a time covers every partition this broker follows on that leader: fetch offset = the
// log end, lastFetchedEpoch = the log's latest epoch (KIP-320; -1 in the pre-KIP-101 mode, where the leader
// never reports a divergence), currentLeaderEpoch = the epoch the follower knows. The leader holds the request
// up to replica.fetch.wait.max.ms for replica.fetch.min.bytes. For each partition in the answer:
//   - records: appended with their offsets and epochs; the high watermark follows the leader's;
//   - divergingEpoch: the follower truncates to where its log and the leader's agree, as far as it can tell
//     from the epoch the leader named, and fetches again (repeating until they agree);
//   - OFFSET_OUT_OF_RANGE: below the leader's log start, the log restarts there; above the leader's log end,
//     the follower asks the leader's log end (ListOffsets as a replica) and truncates to it;
//   - other errors: the partition waits replica.fetch.backoff.ms (a fencing error waits for the metadata
//     log to bring the new leader or epoch, which re-adds the partition);
//   - records the log refuses: a corrupt batch (CRC, structure, an impossible leader epoch) is fetched again
//     after the backoff, as Kafka's fetcher does (a read may have been corrupted in flight); offsets that do
//     not continue the log (UnexpectedAppendOffset, OffsetsOutOfOrder) mark the partition failed, as Kafka's
//     markPartitionFailed: it is fetched no more until the metadata brings a new leader or epoch.
// A transport failure (reset, no answer within replica.socket.timeout.ms) backs the whole fetcher off.
// With flush.messages reached by an append, the partition is not fetched again until that fsync completed,
// like Kafka's fetcher thread, which fsyncs before its next fetch: the whole next fetch waits for it (a fetch
// sent without the partition would sit at the leader for replica.fetch.wait.max.ms, and the partition with
// it). A flush that has not completed within replica.fetch.backoff.ms (a failing disk) holds back only its
// own partition from then on.

import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';
import type { EpochEndOffset, FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse, FetchTopic } from '../protocol/fetch.ts';
import { LATEST_TIMESTAMP } from '../protocol/list-offsets.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/list-offsets.ts';
import { LogAppendError, LogNotAvailableError } from '../log/log-errors.ts';
import { CorruptRecordError } from '../records/errors.ts';
import { DiskError } from '../runtime.ts';
import type { Message, NodeId, TimerId, TraceFields } from '../runtime.ts';
import type { Partition } from './partition.ts';
import type { ReplicationConfig } from './replication-config.ts';

export interface FetcherContext {
  readonly config: ReplicationConfig;
  readonly clientId: string;
  now(): number;
  send(to: NodeId, message: Message): void;
  setTimer(delayMs: number, callback: () => void): TimerId;
  cancelTimer(id: TimerId): void;
  nextCorrelationId(): number;
  brokerEpoch(): number;
  trace(event: string, fields: TraceFields): void;
}

interface FetchedPartition {
  readonly partition: Partition;
  /** Not fetched before this time (after an error). */
  delayedUntilMs: number;
  /** Not fetched until the partition's flushed offset reaches this (flush.messages). */
  awaitingFlush: number | undefined;
  /** Until then the whole fetch waits for that flush; after, only this partition does. */
  flushHoldsFetchUntilMs: number;
  /** Correlation id of a ListOffsets in flight for it. */
  lookup: number | undefined;
}

interface InFlightFetch {
  readonly correlationId: number;
  readonly timer: TimerId;
  /** What each partition was fetched with, to ignore answers the partition has moved past. */
  readonly sent: Map<string, { readonly fetchOffset: number; readonly leaderEpoch: number }>;
}

export class FollowerFetcher {
  private readonly fetched = new Map<string, FetchedPartition>();
  private inFlight: InFlightFetch | undefined;
  private wakeTimer: TimerId | undefined;
  private backoffUntilMs = 0;
  private closed = false;
  /** Fetch requests sent, for tests and metrics. */
  fetchCount = 0;

  constructor(
    readonly leaderId: number,
    readonly leaderHost: NodeId,
    private readonly context: FetcherContext,
  ) {}

  get isEmpty(): boolean {
    return this.fetched.size === 0;
  }

  partitionKeys(): string[] {
    return [...this.fetched.keys()];
  }

  /** Starts (or restarts, after a leader or epoch change) fetching `partition` from this leader. */
  addPartition(partition: Partition): void {
    this.fetched.set(partition.key, { partition, delayedUntilMs: 0, awaitingFlush: undefined, flushHoldsFetchUntilMs: 0, lookup: undefined });
    this.maybeFetch();
  }

  removePartition(key: string): void {
    this.fetched.delete(key);
  }

  /** Stops for good: timers cancelled, answers ignored. */
  close(): void {
    this.closed = true;
    this.fetched.clear();
    if (this.inFlight !== undefined) this.context.cancelTimer(this.inFlight.timer);
    this.inFlight = undefined;
    if (this.wakeTimer !== undefined) this.context.cancelTimer(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  /** Something a partition waited for happened (a flush completed): fetch if possible. */
  poke(): void {
    this.maybeFetch();
  }

  // -------------------------------------------------------------------------------------------------------
  // Sending

  private maybeFetch(): void {
    if (this.closed || this.inFlight !== undefined) return;
    const nowMs = this.context.now();
    if (nowMs < this.backoffUntilMs) return this.wakeAt(this.backoffUntilMs);
    const topics = new Map<string, FetchPartition[]>();
    const sent = new Map<string, { fetchOffset: number; leaderEpoch: number }>();
    let earliestDelay = Infinity;
    const holdUntilMs = this.flushHoldUntil(nowMs);
    if (holdUntilMs !== undefined) return this.wakeAt(holdUntilMs);
    for (const [key, state] of this.fetched) {
      if (state.lookup !== undefined) continue;
      if (state.awaitingFlush !== undefined) {
        if (state.partition.flushedOffset < state.awaitingFlush) continue;
        state.awaitingFlush = undefined;
      }
      if (state.delayedUntilMs > nowMs) {
        earliestDelay = Math.min(earliestDelay, state.delayedUntilMs);
        continue;
      }
      const fetch = this.fetchPartitionOf(state.partition);
      sent.set(key, { fetchOffset: fetch.fetchOffset, leaderEpoch: state.partition.leaderEpoch });
      let list = topics.get(state.partition.topic);
      if (list === undefined) {
        list = [];
        topics.set(state.partition.topic, list);
      }
      list.push(fetch);
    }
    if (sent.size === 0) {
      if (earliestDelay < Infinity) this.wakeAt(earliestDelay);
      return;
    }
    const config = this.context.config;
    const correlationId = this.context.nextCorrelationId();
    const fetchTopics: FetchTopic[] = [...topics].map(([topic, partitions]) => ({ topic, partitions }));
    const request: FetchRequest = {
      type: 'FetchRequest',
      sizeBytes: HEADER_BYTES + sent.size * PARTITION_ENTRY_BYTES,
      correlationId,
      clientId: this.context.clientId,
      replicaId: config.brokerId,
      replicaEpoch: this.context.brokerEpoch(),
      maxWaitMs: config.replicaFetchWaitMaxMs,
      minBytes: config.replicaFetchMinBytes,
      maxBytes: config.replicaFetchResponseMaxBytes,
      topics: fetchTopics,
    };
    const timer = this.context.setTimer(config.replicaSocketTimeoutMs, () => this.onTransportFailure(correlationId, 'timeout'));
    this.inFlight = { correlationId, timer, sent };
    this.fetchCount++;
    this.context.send(this.leaderHost, request);
  }

  /** While a recent fsync of a fetched partition is pending, when to stop waiting for it; else undefined. */
  private flushHoldUntil(nowMs: number): number | undefined {
    let until: number | undefined;
    for (const state of this.fetched.values()) {
      if (state.awaitingFlush === undefined || state.partition.flushedOffset >= state.awaitingFlush) continue;
      if (state.flushHoldsFetchUntilMs > nowMs) until = Math.min(until ?? Infinity, state.flushHoldsFetchUntilMs);
    }
    return until;
  }

  private fetchPartitionOf(partition: Partition): FetchPartition {
    const epochBased = this.context.config.truncation === 'leader-epoch';
    return {
      partition: partition.partition,
      currentLeaderEpoch: partition.leaderEpoch,
      fetchOffset: partition.logEndOffset,
      lastFetchedEpoch: epochBased ? partition.log.leaderEpochCache.latestEpoch() ?? -1 : -1,
      logStartOffset: partition.logStartOffset,
      partitionMaxBytes: this.context.config.replicaFetchMaxBytes,
    };
  }

  private wakeAt(timeMs: number): void {
    if (this.wakeTimer !== undefined) return;
    this.wakeTimer = this.context.setTimer(Math.max(0, timeMs - this.context.now()), () => {
      this.wakeTimer = undefined;
      this.maybeFetch();
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Answers

  /** The leader's answer; ignored unless it answers the fetch in flight. */
  handleFetchResponse(response: FetchResponse): void {
    const inFlight = this.inFlight;
    if (this.closed || inFlight === undefined || inFlight.correlationId !== response.correlationId) return;
    this.context.cancelTimer(inFlight.timer);
    this.inFlight = undefined;
    if (response.errorCode !== ErrorCode.NONE) {
      this.context.trace('fetcher.error', { leader: this.leaderId, error: errorName(response.errorCode) });
      this.backoffUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
    } else {
      for (const topic of response.responses) {
        for (const answer of topic.partitions) {
          const key = `${topic.topic}-${answer.partition}`;
          const state = this.fetched.get(key);
          const sent = inFlight.sent.get(key);
          if (state === undefined || sent === undefined) continue;
          if (state.partition.leaderEpoch !== sent.leaderEpoch || state.partition.logEndOffset !== sent.fetchOffset) continue;
          this.handlePartition(state, answer);
        }
      }
    }
    this.maybeFetch();
  }

  private handlePartition(state: FetchedPartition, answer: FetchPartitionResponse): void {
    const partition = state.partition;
    switch (answer.errorCode) {
      case ErrorCode.NONE:
        if (answer.divergingEpoch !== null) return this.truncateOnDivergence(state, answer.divergingEpoch);
        return this.appendFetched(state, answer);
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        if (partition.logEndOffset < answer.logStartOffset) {
          partition.truncateFullyAndStartAt(answer.logStartOffset);
          return;
        }
        return this.lookUpLeaderEnd(state);
      default:
        this.context.trace('fetcher.partition-error', { leader: this.leaderId, partition: partition.key, error: errorName(answer.errorCode) });
        state.delayedUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
    }
  }

  private appendFetched(state: FetchedPartition, answer: FetchPartitionResponse): void {
    const partition = state.partition;
    try {
      if (answer.records.length > 0) {
        const flushTarget = partition.appendAsFollower(answer.records);
        if (flushTarget !== undefined) {
          state.awaitingFlush = flushTarget;
          state.flushHoldsFetchUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
        }
      }
    } catch (error) {
      if (!(error instanceof LogAppendError || error instanceof CorruptRecordError || error instanceof LogNotAvailableError || error instanceof DiskError)) throw error;
      if (error instanceof LogAppendError && (error.code === 'UNEXPECTED_APPEND_OFFSET' || error.code === 'OFFSET_OUT_OF_ORDER')) {
        this.context.trace('fetcher.partition-failed', { leader: this.leaderId, partition: partition.key, error: error.message });
        this.fetched.delete(partition.key);
        return;
      }
      this.context.trace('fetcher.append-failed', { leader: this.leaderId, partition: partition.key, error: error.message });
      state.delayedUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
      return;
    }
    partition.updateFollowerHighWatermark(answer.highWatermark);
  }

  /**
   * KIP-320: the leader says our log diverges after `diverging` (its largest epoch <= our last fetched one,
   * and where that epoch ends in its log). We cut our log to where the two can agree: if we have that epoch
   * too, the smaller of the two ends; if not, the end of our largest epoch below it — and ask again.
   */
  private truncateOnDivergence(state: FetchedPartition, diverging: EpochEndOffset): void {
    const partition = state.partition;
    const before = partition.logEndOffset;
    let target: number;
    if (diverging.endOffset < 0) {
      target = partition.highWatermark;
    } else {
      const own = partition.log.endOffsetForEpoch(diverging.epoch);
      if (own.endOffset < 0) target = diverging.endOffset;
      else if (own.epoch !== diverging.epoch) target = own.endOffset;
      else target = Math.min(diverging.endOffset, own.endOffset);
    }
    partition.truncateTo(Math.min(target, before), `diverging-epoch ${diverging.epoch}@${diverging.endOffset}`);
    if (partition.logEndOffset >= before) {
      // No progress would loop: wait a backoff (this indicates logs the protocol cannot reconcile).
      this.context.trace('fetcher.divergence-stuck', { partition: partition.key, epoch: diverging.epoch, endOffset: diverging.endOffset });
      state.delayedUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
    }
  }

  /** The fetch offset is past the leader's log end: ask the leader where its log ends. */
  private lookUpLeaderEnd(state: FetchedPartition): void {
    const partition = state.partition;
    const correlationId = this.context.nextCorrelationId();
    state.lookup = correlationId;
    const request: ListOffsetsRequest = {
      type: 'ListOffsetsRequest',
      sizeBytes: HEADER_BYTES + PARTITION_ENTRY_BYTES,
      correlationId,
      clientId: this.context.clientId,
      replicaId: this.context.config.brokerId,
      topics: [{ name: partition.topic, partitions: [{ partitionIndex: partition.partition, currentLeaderEpoch: partition.leaderEpoch, timestamp: LATEST_TIMESTAMP }] }],
    };
    this.context.send(this.leaderHost, request);
  }

  /** The leader's log end, for a partition whose fetch offset was out of range. */
  handleListOffsetsResponse(response: ListOffsetsResponse): void {
    if (this.closed) return;
    for (const topic of response.topics) {
      for (const answer of topic.partitions) {
        const state = this.fetched.get(`${topic.name}-${answer.partitionIndex}`);
        if (state === undefined || state.lookup !== response.correlationId) continue;
        state.lookup = undefined;
        if (answer.errorCode !== ErrorCode.NONE) {
          state.delayedUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
        } else if (answer.offset < state.partition.logEndOffset) {
          state.partition.truncateTo(answer.offset, 'leader-log-end');
        }
      }
    }
    this.maybeFetch();
  }

  /** The connection to the leader was reset: what was in flight is gone. */
  handleConnectionReset(): void {
    if (this.inFlight !== undefined) this.onTransportFailure(this.inFlight.correlationId, 'connection-reset');
    for (const state of this.fetched.values()) state.lookup = undefined;
  }

  private onTransportFailure(correlationId: number, reason: string): void {
    const inFlight = this.inFlight;
    if (this.closed || inFlight === undefined || inFlight.correlationId !== correlationId) return;
    if (reason !== 'timeout') this.context.cancelTimer(inFlight.timer);
    this.inFlight = undefined;
    this.context.trace('fetcher.transport-failure', { leader: this.leaderId, reason });
    this.backoffUntilMs = this.context.now() + this.context.config.replicaFetchBackoffMs;
    this.maybeFetch();
  }
}

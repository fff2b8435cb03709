// The consumer's fetches: one FetchRequest in flight per leader, for every fetchable partition it leads, and
// the delivery of what comes back (Kafka's Fetcher / FetchCollector, without fetch sessions).
//
// A fetch carries the position (fetchOffset), the leader epoch the position was confirmed with
// (currentLeaderEpoch: a deposed leader answers FENCED_LEADER_EPOCH, a lagging one UNKNOWN_LEADER_EPOCH) and
// the epoch of the last record consumed (lastFetchedEpoch, so a leader may answer with a divergingEpoch). An
// answer counts only if the partition is still at the position it was fetched from; records below the position
// (a batch starting earlier) are skipped, control batches move the position without being delivered, and a
// partial batch at the end (cut by max.partition.fetch.bytes) is fetched again whole next time.
//
// Records go to the owner in polls of at most max.poll.records (Kafka's FetchCollector), the position moving
// past each poll's last record as Kafka's does. With check.crcs (the default) every batch's CRC-32C is
// verified; a mismatch fails the poll of that partition with CORRUPT_MESSAGE after the records before the
// batch are delivered, as Kafka's CompletedFetch does, and the partition is fetched again from the corrupt
// batch after the retry backoff (Kafka leaves that to the application, which must seek; a refetch is what
// seek(position) would do). With check.crcs=false the bytes are read as they came.

import type { NodeId } from '../runtime.ts';
import { topicPartitionKey } from '../protocol/envelope.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';
import { CONSUMER_REPLICA_ID } from '../protocol/fetch.ts';
import type { FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse } from '../protocol/fetch.ts';
import { readBatches } from '../records/batch.ts';
import { CorruptRecordError } from '../records/errors.ts';
import type { ConsumerContext } from './consumer-context.ts';
import { LEADERSHIP_ERRORS, pushTo, requestBytes } from './consumer-positions.ts';
import type { ConsumerPositions } from './consumer-positions.ts';
import type { ConsumedRecord } from './consumer-types.ts';
import type { FetchPosition, PartitionState } from './subscription-state.ts';

export interface FetchSettings {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly partitionMaxBytes: number;
  /** max.poll.records: most records one onRecords call hands on. */
  readonly maxPollRecords: number;
  /** check.crcs */
  readonly checkCrcs: boolean;
}

export class ConsumerFetcher {
  private readonly inFlight = new Set<NodeId>();
  private fetchesSent = 0;

  constructor(
    private readonly context: ConsumerContext,
    private readonly positions: ConsumerPositions,
    private readonly settings: FetchSettings,
  ) {}

  hasFetchInFlight(node: NodeId): boolean {
    return this.inFlight.has(node);
  }

  fetchCount(): number {
    return this.fetchesSent;
  }

  send(node: NodeId, states: readonly PartitionState[]): void {
    const { network, clientId } = this.context;
    const asked = new Map<string, { state: PartitionState; position: FetchPosition }>();
    const byTopic = new Map<string, FetchPartition[]>();
    for (const state of states) {
      const position = state.position!;
      pushTo(byTopic, state.topic, {
        partition: state.partition,
        currentLeaderEpoch: position.leaderEpoch,
        fetchOffset: position.offset,
        lastFetchedEpoch: position.offsetEpoch,
        logStartOffset: -1,
        partitionMaxBytes: this.settings.partitionMaxBytes,
      });
      asked.set(state.key, { state, position });
    }
    const request: FetchRequest = {
      type: 'FetchRequest',
      sizeBytes: requestBytes(byTopic),
      correlationId: network.correlationId(),
      clientId,
      replicaId: CONSUMER_REPLICA_ID,
      replicaEpoch: -1,
      maxWaitMs: this.settings.maxWaitMs,
      minBytes: this.settings.minBytes,
      maxBytes: this.settings.maxBytes,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    };
    this.inFlight.add(node);
    this.fetchesSent++;
    network.send(node, request, {
      onResponse: (response) => {
        this.inFlight.delete(node);
        this.onResponse(response as FetchResponse, asked);
      },
      onFailure: () => this.inFlight.delete(node),
    });
  }

  private onResponse(response: FetchResponse, asked: Map<string, { state: PartitionState; position: FetchPosition }>): void {
    for (const topic of response.responses) {
      for (const answer of topic.partitions) {
        const key = topicPartitionKey(topic.topic, answer.partition);
        const entry = asked.get(key);
        if (entry === undefined) continue;
        asked.delete(key);
        const { state, position } = entry;
        // Stale: unassigned, moved by a seek/reset/validation, or waiting for something else.
        if (this.context.state(state.key) !== state || state.state !== 'fetching' || state.position !== position) continue;
        this.onPartition(state, position, answer);
      }
    }
    // Partitions the answer left out (a request-level error): not again at once.
    for (const { state } of asked.values()) {
      if (this.context.state(state.key) === state) this.context.backOff(state);
    }
    if (response.errorCode !== ErrorCode.NONE && asked.size > 0) this.context.metadata.requestUpdate();
  }

  private onPartition(state: PartitionState, position: FetchPosition, answer: FetchPartitionResponse): void {
    const code = answer.errorCode;
    if (code === ErrorCode.NONE) {
      state.highWatermark = answer.highWatermark;
      state.logStartOffset = answer.logStartOffset;
      if (answer.divergingEpoch !== null) {
        this.positions.completeValidation(state, position, answer.divergingEpoch.epoch, answer.divergingEpoch.endOffset);
        return;
      }
      state.failures = 0;
      this.deliver(state, position, answer);
      return;
    }
    if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      this.context.runtime.trace('consumer-offset-out-of-range', { topic: state.topic, partition: state.partition, offset: position.offset });
      this.positions.resetByPolicy(state, `offset ${position.offset} is out of range`);
      return;
    }
    if (LEADERSHIP_ERRORS.has(code) || code === ErrorCode.OFFSET_NOT_AVAILABLE) {
      state.awaitingMetadata = true;
      this.context.metadata.requestUpdate();
      this.context.backOff(state);
      return;
    }
    if (code !== ErrorCode.UNKNOWN_LEADER_EPOCH) {
      this.context.error(state, errorName(code), false, `fetch of ${state.key} at ${position.offset} failed with ${errorName(code)}`);
    }
    this.context.backOff(state);
  }

  /** Decodes the answer's batches, moves the position past them and hands the new records to the owner. */
  private deliver(state: PartitionState, position: FetchPosition, answer: FetchPartitionResponse): void {
    const records: ConsumedRecord[] = [];
    let offset = position.offset;
    let offsetEpoch = position.offsetEpoch;
    let corruption: CorruptRecordError | undefined;
    try {
      for (const batch of readBatches(answer.records, 0, this.settings.checkCrcs)) {
        const nextOffset = batch.baseOffset + batch.lastOffsetDelta + 1;
        if (nextOffset <= offset) continue;
        if (!batch.isControl) {
          for (const record of batch.records) {
            if (record.offset < offset) continue;
            records.push({
              offset: record.offset,
              key: record.key,
              value: record.value,
              timestamp: record.timestamp,
              leaderEpoch: batch.partitionLeaderEpoch,
              headers: record.headers,
            });
          }
        }
        offset = nextOffset;
        offsetEpoch = batch.partitionLeaderEpoch;
      }
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      // A batch cut at the end of the answer is normal; anything else is corruption (retried after a backoff).
      if (error.reason !== 'TRUNCATED_BATCH' && error.reason !== 'SHORT_BUFFER') corruption = error;
    }
    const end: FetchPosition = offset === position.offset
      ? position
      : { offset, offsetEpoch, leaderId: position.leaderId, leaderEpoch: position.leaderEpoch };
    if (!this.handOn(state, position, end, records)) return;
    if (corruption !== undefined) {
      this.context.error(state, 'CORRUPT_MESSAGE', false, `fetch of ${state.key} at ${offset}: ${corruption.message}`);
      this.context.backOff(state);
    }
  }

  /**
   * Hands `records` to the owner in polls of at most max.poll.records; the position moves past each poll's last
   * record before the owner sees it, and to `end` with the last poll. Returns false when the owner moved or
   * dropped the partition during a poll (seek, assign, close): what is left of the fetch is then stale.
   */
  private handOn(state: PartitionState, position: FetchPosition, end: FetchPosition, records: ConsumedRecord[]): boolean {
    const max = this.settings.maxPollRecords;
    if (records.length === 0) {
      state.position = end;
      return true;
    }
    for (let start = 0; start < records.length; start += max) {
      const last = start + max >= records.length;
      const polled = start === 0 && last ? records : records.slice(start, start + max);
      const tail = polled[polled.length - 1]!;
      const next: FetchPosition = last
        ? end
        : { offset: tail.offset + 1, offsetEpoch: tail.leaderEpoch, leaderId: position.leaderId, leaderEpoch: position.leaderEpoch };
      state.position = next;
      this.context.listener.onRecords({ topic: state.topic, partition: state.partition, records: polled, highWatermark: state.highWatermark });
      if (this.context.state(state.key) !== state || state.position !== next) return false;
    }
    return true;
  }
}

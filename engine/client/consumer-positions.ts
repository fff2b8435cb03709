// Establishing and checking a consumer's positions: offset resets with ListOffsets (auto.offset.reset) and
// validation after a leader change with OffsetsForLeaderEpoch (KIP-320).
//
// Validation asks the current leader for the end offset of the epoch of the last record consumed. If that end
// offset lies below the position, the leader's log diverged from what was consumed (an unclean election, or
// a leader that lost unflushed records): truncation. With a reset policy the consumer resumes at the
// divergence point (Kafka's behaviour with auto.offset.reset set), or resets by the policy if the leader knows
// no such epoch; with auto.offset.reset=none the partition stops with LOG_TRUNCATION. Either way the owner
// hears a TruncationEvent and the run's trace gets `truncation-detected`.

import type { NodeId } from '../runtime.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES, topicPartitionKey } from '../protocol/envelope.ts';
import { ErrorCode, errorName, isRetriable } from '../protocol/errors.ts';
import { CONSUMER_REPLICA_ID } from '../protocol/fetch.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol/list-offsets.ts';
import type { ListOffsetsPartition, ListOffsetsRequest, ListOffsetsResponse } from '../protocol/list-offsets.ts';
import type { OffsetForLeaderPartition, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../protocol/offsets-for-leader-epoch.ts';
import type { ConsumerContext } from './consumer-context.ts';
import type { TruncationEvent } from './consumer-types.ts';
import type { FetchPosition, PartitionState } from './subscription-state.ts';

/** Errors after which the consumer refreshes metadata before trying the partition again. */
export const LEADERSHIP_ERRORS: ReadonlySet<number> = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

export class ConsumerPositions {
  constructor(private readonly context: ConsumerContext) {}

  /** Moves a partition without a usable position to await-reset, or fails it under auto.offset.reset=none. */
  resetByPolicy(state: PartitionState, why: string): void {
    const policy = this.context.resetPolicy;
    if (policy === 'none') {
      state.fail();
      this.context.error(state, why === 'no position' ? 'NO_OFFSET_FOR_PARTITION' : 'OFFSET_OUT_OF_RANGE', true, `${state.key}: ${why} and auto.offset.reset=none`);
      return;
    }
    state.requestReset(policy);
  }

  // ---------------------------------------------------------------------------------------------------------
  // ListOffsets

  sendResets(node: NodeId, states: readonly PartitionState[]): void {
    const { network, clientId } = this.context;
    const requested = new Map<string, { state: PartitionState; leaderId: number; leaderEpoch: number; strategy: 'earliest' | 'latest' }>();
    const byTopic = new Map<string, ListOffsetsPartition[]>();
    for (const state of states) {
      const leader = this.context.metadata.partition(state.topic, state.partition)!;
      const strategy = state.resetStrategy!;
      pushTo(byTopic, state.topic, {
        partitionIndex: state.partition,
        currentLeaderEpoch: leader.leaderEpoch,
        timestamp: strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
      });
      requested.set(state.key, { state, leaderId: leader.leaderId, leaderEpoch: leader.leaderEpoch, strategy });
      state.requestInFlight = true;
    }
    const request: ListOffsetsRequest = {
      type: 'ListOffsetsRequest',
      sizeBytes: requestBytes(byTopic),
      correlationId: network.correlationId(),
      clientId,
      replicaId: CONSUMER_REPLICA_ID,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    };
    network.send(node, request, {
      onResponse: (response) => {
        for (const topic of (response as ListOffsetsResponse).topics) {
          for (const answer of topic.partitions) {
            const entry = requested.get(topicPartitionKey(topic.name, answer.partitionIndex));
            if (entry === undefined) continue;
            requested.delete(entry.state.key);
            this.onResetAnswer(entry.state, entry.strategy, entry.leaderId, entry.leaderEpoch, answer.errorCode, answer.offset, answer.leaderEpoch);
          }
        }
        for (const entry of requested.values()) this.retryLater(entry.state);
      },
      onFailure: () => {
        for (const entry of requested.values()) this.retryLater(entry.state);
      },
    });
  }

  private onResetAnswer(state: PartitionState, strategy: 'earliest' | 'latest', leaderId: number, leaderEpoch: number, errorCode: number, offset: number, offsetEpoch: number): void {
    state.requestInFlight = false;
    if (this.context.state(state.key) !== state || state.state !== 'await-reset' || state.resetStrategy !== strategy) return;
    if (errorCode !== ErrorCode.NONE) {
      this.onPartitionError(state, errorCode, 'ListOffsets');
      return;
    }
    this.context.runtime.trace('consumer-offset-reset', { topic: state.topic, partition: state.partition, strategy, offset });
    state.seekUnvalidated({ offset, offsetEpoch, leaderId, leaderEpoch });
    this.context.listener.onPositionReset?.({ topic: state.topic, partition: state.partition, strategy, offset });
  }

  // ---------------------------------------------------------------------------------------------------------
  // OffsetsForLeaderEpoch

  sendValidations(node: NodeId, states: readonly PartitionState[]): void {
    const { network, clientId } = this.context;
    const requested = new Map<string, { state: PartitionState; position: FetchPosition }>();
    const byTopic = new Map<string, OffsetForLeaderPartition[]>();
    for (const state of states) {
      const position = state.position!;
      pushTo(byTopic, state.topic, { partition: state.partition, currentLeaderEpoch: position.leaderEpoch, leaderEpoch: position.offsetEpoch });
      requested.set(state.key, { state, position });
      state.requestInFlight = true;
    }
    const request: OffsetsForLeaderEpochRequest = {
      type: 'OffsetsForLeaderEpochRequest',
      sizeBytes: requestBytes(byTopic),
      correlationId: network.correlationId(),
      clientId,
      replicaId: CONSUMER_REPLICA_ID,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    };
    network.send(node, request, {
      onResponse: (response) => {
        for (const topic of (response as OffsetsForLeaderEpochResponse).topics) {
          for (const answer of topic.partitions) {
            const entry = requested.get(topicPartitionKey(topic.topic, answer.partition));
            if (entry === undefined) continue;
            requested.delete(entry.state.key);
            entry.state.requestInFlight = false;
            if (answer.errorCode !== ErrorCode.NONE) {
              if (this.context.state(entry.state.key) === entry.state) this.onPartitionError(entry.state, answer.errorCode, 'OffsetsForLeaderEpoch');
              continue;
            }
            if (entry.state.state !== 'await-validation') continue;
            this.completeValidation(entry.state, entry.position, answer.leaderEpoch, answer.endOffset);
          }
        }
        for (const entry of requested.values()) this.retryLater(entry.state);
      },
      onFailure: () => {
        for (const entry of requested.values()) this.retryLater(entry.state);
      },
    });
  }

  /**
   * Judges the leader's end offset for the position's epoch (from OffsetsForLeaderEpoch, or a fetch answer's
   * divergingEpoch). Ignored if the position moved since it was asked about.
   */
  completeValidation(state: PartitionState, asked: FetchPosition, endEpoch: number, endOffset: number): void {
    const position = state.position;
    if (this.context.state(state.key) !== state || position === undefined || !samePosition(position, asked)) return;
    const policy = this.context.resetPolicy;
    if (endOffset < 0 || endEpoch < 0) {
      this.truncated(state, position, endEpoch, -1, policy);
      if (policy === 'none') this.stopTruncated(state, position);
      else state.requestReset(policy);
      return;
    }
    if (endOffset < position.offset) {
      this.truncated(state, position, endEpoch, endOffset, policy === 'none' ? 'none' : endOffset);
      if (policy === 'none') this.stopTruncated(state, position);
      else state.seek({ offset: endOffset, offsetEpoch: endEpoch, leaderId: position.leaderId, leaderEpoch: position.leaderEpoch });
      return;
    }
    // Valid: fetching again. The leader may have answered an earlier epoch than the position's (it has no record
    // of that one) that ends past the position; Kafka's consumer accepts that too. The position takes the
    // leader's epoch, or its next fetch, which names the epoch, would be told of the same divergence forever.
    state.seek(endEpoch === position.offsetEpoch ? position : { ...position, offsetEpoch: endEpoch });
  }

  private truncated(state: PartitionState, position: FetchPosition, endEpoch: number, endOffset: number, resumeFrom: TruncationEvent['resumeFrom']): void {
    const event: TruncationEvent = {
      topic: state.topic,
      partition: state.partition,
      position: position.offset,
      positionEpoch: position.offsetEpoch,
      endOffset,
      endEpoch,
      resumeFrom,
    };
    this.context.runtime.trace('truncation-detected', { ...event });
    this.context.listener.onTruncation?.(event);
  }

  private stopTruncated(state: PartitionState, position: FetchPosition): void {
    state.fail();
    this.context.error(state, 'LOG_TRUNCATION', true, `${state.key}: the log was truncated below position ${position.offset} and auto.offset.reset=none`);
  }

  // ---------------------------------------------------------------------------------------------------------

  /** An error answer for a reset or validation: refresh metadata when it is about leadership, retry later. */
  private onPartitionError(state: PartitionState, errorCode: number, api: string): void {
    if (LEADERSHIP_ERRORS.has(errorCode)) this.context.metadata.requestUpdate();
    else if (!isRetriable(errorCode)) this.context.error(state, errorName(errorCode), false, `${api} for ${state.key} failed with ${errorName(errorCode)}`);
    this.context.backOff(state);
  }

  private retryLater(state: PartitionState): void {
    state.requestInFlight = false;
    if (this.context.state(state.key) === state) this.context.backOff(state);
  }
}

function samePosition(a: FetchPosition, b: FetchPosition): boolean {
  return a.offset === b.offset && a.offsetEpoch === b.offsetEpoch && a.leaderId === b.leaderId && a.leaderEpoch === b.leaderEpoch;
}

export function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function requestBytes(byTopic: ReadonlyMap<string, readonly unknown[]>): number {
  let bytes = HEADER_BYTES;
  for (const [topic, partitions] of byTopic) bytes += topic.length + 4 + partitions.length * PARTITION_ENTRY_BYTES;
  return bytes;
}


// Terse builders for hand-made histories and final states in checker tests.

import {
  HistoryRecorder,
  type FinalPartition,
  type FinalReplica,
  type FinalState,
  type History,
  type ObservedRecord,
  type SeekReason,
} from '../../sim/history.ts';

export const TOPIC = 'orders';

/** [offset, value, leaderEpoch = 0] */
export type RecordTuple = readonly [number, string, number?];

export function records(tuples: readonly RecordTuple[]): ObservedRecord[] {
  return tuples.map(([offset, value, leaderEpoch]) => ({ offset, value, leaderEpoch: leaderEpoch ?? 0 }));
}

/** Consecutive records from offset `from` (default 0). */
export function log(values: readonly string[], from = 0, leaderEpoch = 0): ObservedRecord[] {
  return values.map((value, i) => ({ offset: from + i, value, leaderEpoch }));
}

interface Where {
  readonly topic?: string;
  readonly partition?: number;
}

/** A history written against a clock the test moves. */
export class Run {
  nowMs = 0;
  readonly recorder = new HistoryRecorder(() => this.nowMs);

  at(timeMs: number): this {
    this.nowMs = timeMs;
    return this;
  }

  send(producer: string, value: string, where: Where = {}): number {
    return this.recorder.invokeSend({
      producer,
      topic: where.topic ?? TOPIC,
      partition: where.partition ?? 0,
      key: null,
      value,
    });
  }

  /** Invokes and acknowledges at once (at the current time). */
  acked(producer: string, value: string, offset: number, where: Where = {}): number {
    const id = this.send(producer, value, where);
    this.recorder.ackSend(id, offset);
    return id;
  }

  failed(producer: string, value: string, error = 'NOT_ENOUGH_REPLICAS', where: Where = {}): number {
    const id = this.send(producer, value, where);
    this.recorder.failSend(id, error);
    return id;
  }

  indeterminate(producer: string, value: string, error = 'REQUEST_TIMED_OUT', where: Where = {}): number {
    const id = this.send(producer, value, where);
    this.recorder.indeterminateSend(id, error);
    return id;
  }

  poll(consumer: string, polled: readonly ObservedRecord[], where: Where & { highWatermark?: number } = {}): number {
    return this.recorder.poll({
      consumer,
      topic: where.topic ?? TOPIC,
      partition: where.partition ?? 0,
      records: polled,
      ...(where.highWatermark === undefined ? {} : { highWatermark: where.highWatermark }),
    });
  }

  seek(consumer: string, offset: number | null, reason: SeekReason = 'seek', where: Where = {}): number {
    return this.recorder.seek({ consumer, topic: where.topic ?? TOPIC, partition: where.partition ?? 0, offset, reason });
  }

  finish(endMs?: number): History {
    if (endMs !== undefined) this.nowMs = endMs;
    return this.recorder.finish();
  }
}

export interface ReplicaOptions {
  /** Default: one past the last record (everything committed). */
  readonly hw?: number;
  readonly logStart?: number;
  readonly leader?: boolean;
  readonly epoch?: number;
}

export function replica(broker: string, held: readonly ObservedRecord[], options: ReplicaOptions = {}): FinalReplica {
  const logEndOffset = held.length === 0 ? (options.logStart ?? 0) : held[held.length - 1]!.offset + 1;
  return {
    broker,
    records: held,
    highWatermark: options.hw ?? logEndOffset,
    logStartOffset: options.logStart ?? 0,
    logEndOffset,
    isLeader: options.leader ?? false,
    leaderEpoch: options.epoch ?? 0,
  };
}

export function partition(
  replicas: readonly FinalReplica[],
  where: Where & { isr?: readonly string[] } = {},
): FinalPartition {
  return { topic: where.topic ?? TOPIC, partition: where.partition ?? 0, replicas, isr: where.isr ?? null };
}

export function finalState(...partitions: FinalPartition[]): FinalState {
  return { partitions };
}

/** One partition whose only replica, broker-1, leads and holds `held`. */
export function leaderOnly(held: readonly ObservedRecord[], options: ReplicaOptions = {}): FinalState {
  return finalState(partition([replica('broker-1', held, { leader: true, ...options })]));
}

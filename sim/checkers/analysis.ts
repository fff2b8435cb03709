// The indexes every checker reads, built once per (history, final state) in linear passes.
//
// Per partition: its sends and polls, its final replicas, the reference replica and its committed log, and
// the *observations* — every (offset, value) pair an acknowledgement, a poll or the committed log reported.
// Observations are what inconsistent-offsets, duplicate and poll-skip reason over (Jepsen's "version
// order"). Building them keeps one value per offset and one offset per value, and only marks conflicts;
// checkers go back for the witnesses of the few offsets and values that conflict.
//
// The reference replica of a partition is the final leader (exactly one replica says isLeader); without one,
// the replica with the highest high watermark, then the longest log, then the smallest broker id. Its
// committed log is its records in [logStartOffset, highWatermark): what a consumer could read at the end.

import {
  partitionName,
  UNKNOWN_OFFSET,
  UNKNOWN_PARTITION,
  type FinalPartition,
  type FinalReplica,
  type FinalState,
  type History,
  type ObservedRecord,
  type PollOp,
  type SendOp,
} from '../history.ts';
import type { Witness } from './anomaly.ts';

export interface PartitionView {
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
  /** Sends to this partition, in invocation order. */
  readonly sends: SendOp[];
  /** Polls of this partition, in completion order. */
  readonly polls: PollOp[];
  readonly final: FinalPartition | null;
  readonly reference: FinalReplica | null;
  /** The reference's records in [logStartOffset, highWatermark). */
  readonly committed: ObservedRecord[];
  /** Each committed value's first committed record. */
  readonly committedByValue: Map<string, ObservedRecord>;
  /** First value observed at each offset (acks, then polls, then the committed log). */
  readonly valueAt: Map<number, string>;
  /** Offsets observed holding more than one value. */
  readonly conflictedOffsets: Set<number>;
  /** First offset each value was observed at. */
  readonly offsetOf: Map<string, number>;
  /** Values observed at more than one offset. */
  readonly duplicatedValues: Set<string>;
  /** Every observed offset, ascending (built on first use). */
  knownOffsets(): readonly number[];
}

export interface Analysis {
  /** Sorted by topic, then partition number. */
  readonly partitions: readonly PartitionView[];
  readonly byName: ReadonlyMap<string, PartitionView>;
  /** Every send by its (unique) value. */
  readonly sendByValue: ReadonlyMap<string, SendOp>;
  readonly endMs: number;
}

const cache = new WeakMap<History, WeakMap<FinalState, Analysis>>();

/** The analysis of a finished history and its final state; computed once, then shared by all checkers. */
export function analyse(history: History, finalState: FinalState): Analysis {
  let byFinal = cache.get(history);
  if (!byFinal) {
    byFinal = new WeakMap();
    cache.set(history, byFinal);
  }
  let analysis = byFinal.get(finalState);
  if (!analysis) {
    analysis = build(history, finalState);
    byFinal.set(finalState, analysis);
  }
  return analysis;
}

class View implements PartitionView {
  readonly name: string;
  readonly sends: SendOp[] = [];
  readonly polls: PollOp[] = [];
  final: FinalPartition | null = null;
  reference: FinalReplica | null = null;
  committed: ObservedRecord[] = [];
  readonly committedByValue = new Map<string, ObservedRecord>();
  readonly valueAt = new Map<number, string>();
  readonly conflictedOffsets = new Set<number>();
  readonly offsetOf = new Map<string, number>();
  readonly duplicatedValues = new Set<string>();
  private sortedOffsets: number[] | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    this.name = partitionName(topic, partition);
  }

  observe(offset: number, value: string): void {
    const atOffset = this.valueAt.get(offset);
    if (atOffset === undefined) this.valueAt.set(offset, value);
    else if (atOffset !== value) this.conflictedOffsets.add(offset);
    const ofValue = this.offsetOf.get(value);
    if (ofValue === undefined) this.offsetOf.set(value, offset);
    else if (ofValue !== offset) this.duplicatedValues.add(value);
  }

  knownOffsets(): readonly number[] {
    // A typed array sorts numerically, and faster than Array#sort with a comparator.
    this.sortedOffsets ??= Array.from(Float64Array.from(this.valueAt.keys()).sort());
    return this.sortedOffsets;
  }
}

function build(history: History, finalState: FinalState): Analysis {
  const views = new Map<string, View>();
  const viewOf = (topic: string, partition: number): View => {
    const name = partitionName(topic, partition);
    let view = views.get(name);
    if (!view) {
      view = new View(topic, partition);
      views.set(name, view);
    }
    return view;
  };

  const sendByValue = new Map<string, SendOp>();
  for (const op of history.ops) {
    if (op.type === 'send') {
      if (!sendByValue.has(op.value)) sendByValue.set(op.value, op);
      if (op.partition !== UNKNOWN_PARTITION) viewOf(op.topic, op.partition).sends.push(op);
    } else if (op.type === 'poll') {
      viewOf(op.topic, op.partition).polls.push(op);
    }
  }

  for (const final of finalState.partitions) {
    const view = viewOf(final.topic, final.partition);
    view.final = final;
    view.reference = chooseReference(final.replicas);
    if (view.reference) view.committed = committedRecords(view.reference);
    for (const record of view.committed) {
      if (!view.committedByValue.has(record.value)) view.committedByValue.set(record.value, record);
    }
  }

  // Observations: acknowledgements, then polls, then the committed log.
  for (const view of views.values()) {
    for (const send of view.sends) {
      const outcome = send.outcome;
      if (outcome?.status === 'acked' && outcome.offset !== UNKNOWN_OFFSET) view.observe(outcome.offset, send.value);
    }
    for (const poll of view.polls) for (const record of poll.records) view.observe(record.offset, record.value);
    for (const record of view.committed) view.observe(record.offset, record.value);
  }

  const partitions = [...views.values()].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
  return { partitions, byName: views, sendByValue, endMs: history.endMs };
}

/** The final leader; without exactly one, the replica with the highest HW, then LEO, then smallest id. */
export function chooseReference(replicas: readonly FinalReplica[]): FinalReplica | null {
  const leaders = replicas.filter((replica) => replica.isLeader);
  if (leaders.length === 1) return leaders[0]!;
  let best: FinalReplica | null = null;
  for (const replica of replicas) {
    if (
      !best ||
      replica.highWatermark > best.highWatermark ||
      (replica.highWatermark === best.highWatermark &&
        (replica.logEndOffset > best.logEndOffset ||
          (replica.logEndOffset === best.logEndOffset && replica.broker < best.broker)))
    ) {
      best = replica;
    }
  }
  return best;
}

/** A replica's records in [logStartOffset, highWatermark). */
export function committedRecords(replica: FinalReplica): ObservedRecord[] {
  const records = replica.records;
  let start = lowerBound(records, replica.logStartOffset);
  let end = lowerBound(records, replica.highWatermark);
  if (start > end) start = end;
  return records.slice(start, end);
}

/** Index of the first record whose offset is >= `offset` (records are in offset order). */
export function lowerBound(records: readonly ObservedRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries of a sorted array that lie strictly between `low` and `high`. */
export function countBetween(sorted: readonly number[], low: number, high: number): { first: number; count: number } {
  const first = upperBoundNumber(sorted, low);
  const end = lowerBoundNumber(sorted, high);
  return { first, count: Math.max(0, end - first) };
}

function lowerBoundNumber(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBoundNumber(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every observation of a partition that `match` selects, as witnesses: acknowledgements, then polls, then the
 * committed log. A second pass, for the few offsets or values a checker found suspect.
 */
export function witnesses(
  view: PartitionView,
  endMs: number,
  match: (offset: number, value: string) => boolean,
): Witness[] {
  const found: Witness[] = [];
  for (const send of view.sends) {
    const outcome = send.outcome;
    if (outcome?.status !== 'acked' || outcome.offset === UNKNOWN_OFFSET) continue;
    if (match(outcome.offset, send.value)) found.push(ackWitness(send, outcome.offset));
  }
  for (const poll of view.polls) {
    for (const record of poll.records) if (match(record.offset, record.value)) found.push(pollWitness(poll, record));
  }
  const broker = view.reference?.broker ?? null;
  for (const record of view.committed) {
    if (match(record.offset, record.value)) found.push(finalWitness(broker ?? '?', record, endMs));
  }
  return found;
}

export function ackWitness(send: SendOp, offset: number): Witness {
  return {
    offset,
    value: send.value,
    leaderEpoch: -1,
    from: 'ack',
    opId: send.id,
    broker: null,
    timeMs: send.completeMs ?? send.invokeMs,
  };
}

// Witnesses are built field by field: object spread is several times slower, and evidence can run long.

export function pollWitness(poll: PollOp, record: ObservedRecord): Witness {
  return {
    offset: record.offset,
    value: record.value,
    leaderEpoch: record.leaderEpoch,
    from: 'poll',
    opId: poll.id,
    broker: null,
    timeMs: poll.completeMs,
  };
}

export function finalWitness(broker: string, record: ObservedRecord, endMs: number): Witness {
  return {
    offset: record.offset,
    value: record.value,
    leaderEpoch: record.leaderEpoch,
    from: 'final',
    opId: null,
    broker,
    timeMs: endMs,
  };
}

/** `p1-42`, quoted for messages. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

// The walk behind poll-skip and nonmonotonic-poll: each consumer's reads of each partition, in order.
//
// For every (consumer, topic, partition) the walk follows the records the consumer's polls returned, in
// recording order (a poll is recorded when it completes; one consumer's polls do not overlap), record after
// record within a poll and across polls — Jepsen's external and internal (int-) variants in one sequence.
// A seek op sets the position: with an offset X, the next read is expected at the first known offset >= X;
// with no offset (a reset to latest, a revocation) the walk forgets the partition. The harness must record a
// seek whenever a consumer's position moves other than by reading: assign, seek, an offset reset after
// OFFSET_OUT_OF_RANGE, a group rebalance, a consumer restart.
//
// For consecutive reads p then r (or a position set to X, standing for p = X - 1):
//   nonmonotonic-poll  r.offset <= p.offset: the consumer went backwards or read an offset again.
//   poll-skip          some offset k with p.offset < k < r.offset is *known* to hold a record: an
//                      observation (ack, poll or the final committed log, analysis.ts) saw one there. Offsets
//                      nobody saw (transaction markers, compacted-away records) are not skips. Compacted
//                      topics are not checked for skips.

import {
  partitionName,
  type FinalState,
  type History,
  type ObservedRecord,
  type PollOp,
  type SeekOp,
} from '../history.ts';
import { anomaly, MAX_EVIDENCE, witnessOpIds, type Anomaly, type Witness } from './anomaly.ts';
import { analyse, countBetween, pollWitness, quote, witnesses, type PartitionView } from './analysis.ts';
import { isCompacted, type CheckOptions } from './options.ts';

export type PollOrderKind = 'poll-skip' | 'nonmonotonic-poll';

/** Where a consumer stands in a partition: after its last read, or at a seek's position. */
interface Position {
  readonly offset: number;
  readonly poll: PollOp | null;
  readonly record: ObservedRecord | null;
  readonly seek: SeekOp | null;
}

interface Skip {
  readonly view: PartitionView;
  readonly consumer: string;
  readonly from: Position;
  readonly poll: PollOp;
  readonly record: ObservedRecord;
  readonly skipped: readonly number[];
  readonly skippedCount: number;
}

export function checkPollOrder(
  history: History,
  finalState: FinalState,
  options: CheckOptions,
  kind: PollOrderKind,
): Anomaly[] {
  const analysis = analyse(history, finalState);
  const positions = new Map<string, Position>();
  const backwards: Anomaly[] = [];
  const skips: Skip[] = [];
  for (const op of history.ops) {
    if (op.type === 'seek') {
      const key = chainKey(op.consumer, op.topic, op.partition);
      if (op.offset === null) positions.delete(key);
      else positions.set(key, { offset: op.offset - 1, poll: null, record: null, seek: op });
      continue;
    }
    if (op.type !== 'poll' || op.records.length === 0) continue;
    const view = analysis.byName.get(partitionName(op.topic, op.partition))!;
    const checkSkips = kind === 'poll-skip' && !isCompacted(options, op.topic);
    const key = chainKey(op.consumer, op.topic, op.partition);
    // Within the poll, the previous record stands for the position; a Position is built only when needed.
    const before = positions.get(key);
    const records = op.records;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const previousOffset = i > 0 ? records[i - 1]!.offset : before?.offset;
      if (previousOffset === undefined) continue;
      if (record.offset <= previousOffset) {
        if (kind === 'nonmonotonic-poll') {
          backwards.push(explainBackwards(view, op.consumer, positionBefore(before, op, i), op, record));
        }
      } else if (checkSkips) {
        const known = view.knownOffsets();
        const { first, count } = countBetween(known, previousOffset, record.offset);
        if (count > 0) {
          const skipped = known.slice(first, first + Math.min(count, MAX_EVIDENCE));
          const from = positionBefore(before, op, i);
          skips.push({ view, consumer: op.consumer, from, poll: op, record, skipped, skippedCount: count });
        }
      }
    }
    const last = records[records.length - 1]!;
    positions.set(key, { offset: last.offset, poll: op, record: last, seek: null });
  }
  return kind === 'nonmonotonic-poll' ? backwards : explainSkips(skips, analysis.endMs);
}

/** The position before record `i` of `poll`: the previous record of the poll, else where the walk stood. */
function positionBefore(before: Position | undefined, poll: PollOp, i: number): Position {
  if (i === 0) return before!;
  const record = poll.records[i - 1]!;
  return { offset: record.offset, poll, record, seek: null };
}

function chainKey(consumer: string, topic: string, partition: number): string {
  return `${consumer}\u0000${topic}\u0000${partition}`;
}

function explainBackwards(
  view: PartitionView,
  consumer: string,
  from: Position,
  poll: PollOp,
  record: ObservedRecord,
): Anomaly {
  const records: Witness[] = [];
  if (from.poll && from.record) records.push(pollWitness(from.poll, from.record));
  records.push(pollWitness(poll, record));
  const message = from.seek
    ? `${consumer} was positioned at offset ${from.offset + 1} of ${view.name} by seek #${from.seek.id} ` +
      `(${from.seek.reason}), then read offset ${record.offset} (poll #${poll.id}), before its position.`
    : record.offset === from.offset
      ? `${consumer} read offset ${record.offset} of ${view.name} twice without a seek ` +
        `(poll #${from.poll!.id}, then poll #${poll.id}).`
      : `${consumer} read offset ${from.offset} of ${view.name} (poll #${from.poll!.id}) and then ` +
        `offset ${record.offset} (poll #${poll.id}), going backwards without a seek.`;
  return anomaly({
    kind: 'nonmonotonic-poll',
    message,
    topic: view.topic,
    partition: view.partition,
    timeMs: poll.completeMs,
    values: records.map((witness) => witness.value),
    offsets: from.seek ? [from.offset + 1, record.offset] : [from.offset, record.offset],
    opIds: [from.seek?.id ?? from.poll!.id, poll.id].filter((id, i, ids) => ids.indexOf(id) === i),
    records,
    detail: { consumer, delta: record.offset - from.offset, seek: from.seek?.reason ?? null },
  });
}

/** Skips, with the observations that prove the skipped offsets hold records (one pass per partition). */
function explainSkips(skips: readonly Skip[], endMs: number): Anomaly[] {
  const wanted = new Map<PartitionView, Set<number>>();
  for (const skip of skips) {
    let offsets = wanted.get(skip.view);
    if (!offsets) wanted.set(skip.view, (offsets = new Set()));
    for (const offset of skip.skipped) offsets.add(offset);
  }
  const proof = new Map<PartitionView, Map<number, Witness>>();
  for (const [view, offsets] of wanted) {
    const firstWitness = new Map<number, Witness>();
    for (const witness of witnesses(view, endMs, (offset) => offsets.has(offset))) {
      if (!firstWitness.has(witness.offset)) firstWitness.set(witness.offset, witness);
    }
    proof.set(view, firstWitness);
  }
  return skips.map((skip) => {
    const { view, from, poll, record } = skip;
    const skippedWitnesses = skip.skipped.map((offset) => proof.get(view)!.get(offset)!);
    const records: Witness[] = [];
    if (from.poll && from.record) records.push(pollWitness(from.poll, from.record));
    records.push(pollWitness(poll, record), ...skippedWitnesses);
    const list = skip.skipped.join(', ') + (skip.skippedCount > skip.skipped.length ? ', ...' : '');
    const start = from.seek
      ? `${skip.consumer} was positioned at offset ${from.offset + 1} of ${view.name} by seek #${from.seek.id} ` +
        `(${from.seek.reason}) but next read offset ${record.offset} (poll #${poll.id})`
      : `${skip.consumer} read offset ${from.offset} of ${view.name} (poll #${from.poll!.id}) and then ` +
        `offset ${record.offset} (poll #${poll.id})`;
    return anomaly({
      kind: 'poll-skip',
      message:
        `${start}, skipping ${skip.skippedCount} offset${skip.skippedCount === 1 ? '' : 's'} known to hold ` +
        `records (${list}; first ${quote(skippedWitnesses[0]!.value)}).`,
      topic: view.topic,
      partition: view.partition,
      timeMs: poll.completeMs,
      values: skippedWitnesses.map((witness) => witness.value),
      offsets: [from.seek ? from.offset + 1 : from.offset, ...skip.skipped, record.offset],
      opIds: [from.seek?.id ?? from.poll!.id, poll.id, ...witnessOpIds(skippedWitnesses)].filter(
        (id, i, ids) => ids.indexOf(id) === i,
      ),
      records,
      detail: { consumer: skip.consumer, skippedCount: skip.skippedCount, seek: from.seek?.reason ?? null },
    });
  });
}

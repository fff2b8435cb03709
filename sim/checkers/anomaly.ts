// What a checker reports: an anomaly of a named kind, a sentence a person understands, and the evidence that
// proves it — the records as each witness saw them, the operations, samples and events involved — so that a
// report can explain it without the run at hand. Everything is plain JSON-able data.
//
// Kinds follow Jepsen's Kafka workload where it has a name for the thing (lost-write, duplicate, poll-skip,
// nonmonotonic-poll, nonmonotonic-send, inconsistent-offsets; aborted-read is what Jepsen files as G1a);
// the rest are ours (divergence, hw-regression, unavailable, under-replicated, phantom-record), and
// `invariant`: an engine invariant broke during the run (the engine reports it, not a checker over the
// history; see sim/checkers/invariant.ts).

import type { HistoryEvent, ReplicaSample } from '../history.ts';

export const ANOMALY_KINDS = [
  'invariant',
  'lost-write',
  'duplicate',
  'inconsistent-offsets',
  'nonmonotonic-send',
  'poll-skip',
  'nonmonotonic-poll',
  'aborted-read',
  'phantom-record',
  'divergence',
  'hw-regression',
  'unavailable',
  'under-replicated',
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Kinds that a checker over the history and final state reports: every kind but `invariant`. */
export type CheckerKind = Exclude<AnomalyKind, 'invariant'>;

export const CHECKER_KINDS: readonly CheckerKind[] = ANOMALY_KINDS.filter((kind): kind is CheckerKind => kind !== 'invariant');

/**
 * What one checker made of a run: its anomalies, and — when it could not judge the run, or part of it — why
 * (`notJudged`: "the run ended before ..."). Not judged is never passed: a verdict lists it, and a run whose
 * expectation needs that checker is not ok.
 */
export interface CheckResult {
  readonly anomalies: Anomaly[];
  readonly notJudged?: string;
}

/** A checker that did not judge a run, and why (result.json's `notJudged`). */
export interface NotJudged {
  readonly checker: CheckerKind;
  readonly why: string;
}

/** Who saw a record: a send's acknowledgement, a poll, or a replica's final log. */
export type WitnessSource = 'ack' | 'poll' | 'final';

/** One observation of a record at an offset. */
export interface Witness {
  readonly offset: number;
  readonly value: string;
  /** -1 when the observation carries no epoch (acknowledgements). */
  readonly leaderEpoch: number;
  readonly from: WitnessSource;
  /** The send (ack) or poll op; null for a final log. */
  readonly opId: number | null;
  /** The replica, for a final log; null otherwise. */
  readonly broker: string | null;
  /** When it was seen; the recording's end for a final log. */
  readonly timeMs: number;
}

export interface Anomaly {
  readonly kind: AnomalyKind;
  /** One sentence a person understands. */
  readonly message: string;
  readonly topic: string;
  /** -1 when the anomaly is not about one partition. */
  readonly partition: number;
  /** When it showed itself (simulated ms), for placing it on a report's timeline. */
  readonly timeMs: number;
  /** The record values at stake. */
  readonly values: readonly string[];
  /** The offsets at stake. */
  readonly offsets: readonly number[];
  /** History operations that prove it, by id. */
  readonly opIds: readonly number[];
  /** Records as witnesses saw them. */
  readonly records: readonly Witness[];
  readonly samples: readonly ReplicaSample[];
  readonly events: readonly HistoryEvent[];
  /** Kind-specific figures (counts, bounds, the replica used as reference, ...). */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

/** Builds an anomaly; evidence lists default to empty. */
export function anomaly(
  fields: Pick<Anomaly, 'kind' | 'message' | 'topic' | 'partition' | 'timeMs'> & Partial<Anomaly>,
): Anomaly {
  return {
    values: [],
    offsets: [],
    opIds: [],
    records: [],
    samples: [],
    events: [],
    detail: {},
    ...fields,
  };
}

/** Evidence lists are cut to this many entries; the detail carries the full counts. */
export const MAX_EVIDENCE = 8;

/**
 * Up to `limit` witnesses, taking the first witness of each distinct `by` key before any repeat, so that every
 * side of a conflict shows; order is kept.
 */
export function pickEvidence<K>(
  found: readonly Witness[],
  by: (witness: Witness) => K,
  limit = MAX_EVIDENCE,
): Witness[] {
  const firstOfKey = new Set<K>();
  const chosen = new Set<number>();
  for (let i = 0; i < found.length && chosen.size < limit; i++) {
    const key = by(found[i]!);
    if (!firstOfKey.has(key)) {
      firstOfKey.add(key);
      chosen.add(i);
    }
  }
  for (let i = 0; i < found.length && chosen.size < limit; i++) chosen.add(i);
  return [...chosen].sort((a, b) => a - b).map((i) => found[i]!);
}

/** "ack of send #3", "poll #9", "final log of broker-2": where a witness comes from, for messages. */
export function describeWitness(witness: Witness): string {
  if (witness.from === 'ack') return `ack of send #${witness.opId}`;
  if (witness.from === 'poll') return `poll #${witness.opId}`;
  return `final log of ${witness.broker}`;
}

/** Op ids of witnesses, without repeats, in order. */
export function witnessOpIds(found: readonly Witness[]): number[] {
  const ids: number[] = [];
  for (const witness of found) if (witness.opId !== null && !ids.includes(witness.opId)) ids.push(witness.opId);
  return ids;
}

/** The earliest time among witnesses (a loop: evidence lists may be long). */
export function earliestMs(found: readonly Witness[]): number {
  let earliest = Infinity;
  for (const witness of found) if (witness.timeMs < earliest) earliest = witness.timeMs;
  return earliest;
}

/** Each replica's last sample of a partition (how each saw it when the recording ended), by broker name. */
export function lastSamples(samples: readonly ReplicaSample[], topic: string, partition: number): ReplicaSample[] {
  const last = new Map<string, ReplicaSample>();
  for (const sample of samples) if (sample.topic === topic && sample.partition === partition) last.set(sample.broker, sample);
  return [...last.values()].sort((a, b) => (a.broker < b.broker ? -1 : 1)).slice(0, MAX_EVIDENCE);
}

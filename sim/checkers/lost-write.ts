// lost-write: a record known to have been written is missing from the log at the end.
//
// Jepsen's Kafka workload calls a write lost when a value known written (an acknowledged send, or a value
// some poll returned) is absent from what later reads cover — it has no final log, so it infers the log from
// reads. We capture every replica's log after faults heal and the cluster quiesces, so the rule is direct:
//
//   For a partition P, a value v is *known written* if a send of v to P was acknowledged, or any poll of P
//   returned v. Its known offset is the acknowledged offset, else the first offset a poll saw it at. v is
//   LOST if it is absent from P's final committed log — the reference replica's records in
//   [logStartOffset, highWatermark) (see analysis.ts) — unless retention explains it: its known offset is
//   below the reference's logStartOffset (an offset-less acks=0 acknowledgement is judged only while the
//   log start is still 0). Compacted topics are skipped (compaction removes superseded values). If no
//   replica of P was captured, every known-written value of P is lost.
//
// A value present at another offset than acknowledged is not lost (inconsistent-offsets reports that). An
// indeterminate send that is missing is not lost; one that some poll returned is known written. A failed send
// that is present is not this checker's business (aborted-read).

import { UNKNOWN_OFFSET, type FinalReplica, type ObservedRecord, type PollOp, type SendOp } from '../history.ts';
import { anomaly, MAX_EVIDENCE, type Anomaly, type Witness } from './anomaly.ts';
import { analyse, ackWitness, finalWitness, lowerBound, pollWitness, quote, type PartitionView } from './analysis.ts';
import { isCompacted, type CheckOptions } from './options.ts';
import type { FinalState, History } from '../history.ts';

interface KnownWrite {
  readonly value: string;
  readonly offset: number;
  /** The acknowledged send, if any. */
  readonly send: SendOp | null;
  /** The first poll that returned it, if any. */
  readonly poll: PollOp | null;
}

export function checkLostWrites(history: History, finalState: FinalState, options: CheckOptions = {}): Anomaly[] {
  const analysis = analyse(history, finalState);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    if (isCompacted(options, view.topic)) continue;
    const lost = lostIn(view);
    if (lost.length > 0) anomalies.push(...explain(view, lost, analysis.endMs));
  }
  return anomalies;
}

function lostIn(view: PartitionView): KnownWrite[] {
  const reference = view.reference;
  const logStart = reference?.logStartOffset ?? 0;
  const judged = new Set<string>();
  const lost: KnownWrite[] = [];
  const judge = (write: KnownWrite): void => {
    judged.add(write.value);
    if (view.committedByValue.has(write.value)) return;
    if (reference) {
      const offsetKnown = write.offset !== UNKNOWN_OFFSET;
      if (offsetKnown ? write.offset < logStart : logStart > 0) return; // retention removed it
    }
    lost.push(write);
  };
  for (const send of view.sends) {
    if (send.outcome?.status === 'acked') judge({ value: send.value, offset: send.outcome.offset, send, poll: null });
  }
  for (const poll of view.polls) {
    for (const record of poll.records) {
      if (!judged.has(record.value)) judge({ value: record.value, offset: record.offset, send: null, poll });
    }
  }
  return lost;
}

function explain(view: PartitionView, lost: readonly KnownWrite[], endMs: number): Anomaly[] {
  const lostValues = new Set(lost.map((write) => write.value));
  const readers = pollWitnessesOf(view, lostValues);
  const holders = replicaHoldings(view.final?.replicas ?? [], lostValues, endMs);
  const reference = view.reference;
  return lost.map((write) => {
    const seen = readers.get(write.value) ?? [];
    const records: Witness[] = [];
    if (write.send && write.offset !== UNKNOWN_OFFSET) records.push(ackWitness(write.send, write.offset));
    records.push(...seen.slice(0, MAX_EVIDENCE));
    const replacement = reference ? committedAt(reference, write.offset) : null;
    if (reference && replacement) records.push(finalWitness(reference.broker, replacement, endMs));
    records.push(...(holders.get(write.value) ?? []));
    const opIds = [...(write.send ? [write.send.id] : []), ...seen.slice(0, MAX_EVIDENCE).map((w) => w.opId!)];
    return anomaly({
      kind: 'lost-write',
      message: message(view, write, reference, replacement),
      topic: view.topic,
      partition: view.partition,
      timeMs: write.send?.completeMs ?? write.poll?.completeMs ?? endMs,
      values: [write.value],
      offsets: write.offset === UNKNOWN_OFFSET ? [] : [write.offset],
      opIds,
      records,
      detail: {
        acknowledged: write.send !== null,
        timesPolled: seen.length,
        reference: reference?.broker ?? null,
        finalHighWatermark: reference?.highWatermark ?? null,
        finalLogStartOffset: reference?.logStartOffset ?? null,
        replacedBy: replacement?.value ?? null,
      },
    });
  });
}

function message(
  view: PartitionView,
  write: KnownWrite,
  reference: FinalReplica | null,
  replacement: ObservedRecord | null,
): string {
  const at = write.offset === UNKNOWN_OFFSET ? 'without an offset' : `at offset ${write.offset}`;
  const how = write.send
    ? `was acknowledged ${at} of ${view.name} (send #${write.send.id})`
    : `was read ${at} of ${view.name} (poll #${write.poll!.id})`;
  if (!reference) return `${quote(write.value)} ${how}, but no replica of ${view.name} was captured at the end.`;
  const where = `the final committed log of ${reference.broker} (high watermark ${reference.highWatermark})`;
  const instead = replacement ? `, which holds ${quote(replacement.value)} at that offset` : '';
  return `${quote(write.value)} ${how} but is missing from ${where}${instead}.`;
}

function pollWitnessesOf(view: PartitionView, values: ReadonlySet<string>): Map<string, Witness[]> {
  const found = new Map<string, Witness[]>();
  for (const poll of view.polls) {
    for (const record of poll.records) {
      if (!values.has(record.value)) continue;
      let list = found.get(record.value);
      if (!list) found.set(record.value, (list = []));
      list.push(pollWitness(poll, record));
    }
  }
  return found;
}

/** Where any replica still holds a lost value (at any offset, committed or not). */
function replicaHoldings(
  replicas: readonly FinalReplica[],
  values: ReadonlySet<string>,
  endMs: number,
): Map<string, Witness[]> {
  const found = new Map<string, Witness[]>();
  for (const replica of replicas) {
    for (const record of replica.records) {
      if (!values.has(record.value)) continue;
      let list = found.get(record.value);
      if (!list) found.set(record.value, (list = []));
      list.push(finalWitness(replica.broker, record, endMs));
    }
  }
  return found;
}

/** The replica's committed record at `offset`, if any. */
function committedAt(replica: FinalReplica, offset: number): ObservedRecord | null {
  if (offset === UNKNOWN_OFFSET || offset >= replica.highWatermark) return null;
  const record = replica.records[lowerBound(replica.records, offset)];
  return record && record.offset === offset ? record : null;
}

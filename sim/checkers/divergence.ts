// divergence: two replicas of a partition hold different logs below the high watermark, at the end.
//
// Rule, over the final state (captured after faults heal and the cluster quiesces): for each pair of
// replicas A, B of a partition, compare their records at every offset o with
//   max(A.logStartOffset, B.logStartOffset) <= o < bound,
// where bound = min(A.highWatermark, B.highWatermark) — what both consider committed — except that when the
// final ISR is known and the pair is the final leader L and a member of that ISR, bound = L.highWatermark:
// the HW is the minimum log end offset of the ISR, so every in-sync replica must hold the leader's log up to
// it, whatever its own (possibly lagging) HW says. At such an offset the replicas diverge if both hold a
// record and the values or the leader epochs differ, or (outside compacted topics, where each replica
// cleans on its own schedule) only one of them holds a record there.
//
// Above the bound, logs may differ legitimately (an uncommitted tail awaiting truncation). One anomaly per
// diverging pair, naming the first offset where they part and how many offsets differ.

import {
  partitionName,
  type FinalPartition,
  type FinalReplica,
  type FinalState,
  type History,
  type ObservedRecord,
} from '../history.ts';
import { anomaly, MAX_EVIDENCE, type Anomaly, type Witness } from './anomaly.ts';
import { finalWitness, lowerBound, quote } from './analysis.ts';
import { isCompacted, type CheckOptions } from './options.ts';

interface Difference {
  readonly offset: number;
  readonly a: ObservedRecord | null;
  readonly b: ObservedRecord | null;
}

export function checkDivergence(history: History, finalState: FinalState, options: CheckOptions = {}): Anomaly[] {
  const endMs = history.endMs;
  const anomalies: Anomaly[] = [];
  const partitions = [...finalState.partitions].sort((x, y) =>
    x.topic === y.topic ? x.partition - y.partition : x.topic < y.topic ? -1 : 1,
  );
  for (const partition of partitions) {
    const replicas = [...partition.replicas].sort((x, y) => (x.broker < y.broker ? -1 : x.broker > y.broker ? 1 : 0));
    const leaders = replicas.filter((replica) => replica.isLeader);
    const leader = leaders.length === 1 ? leaders[0]! : null;
    const gapsCount = !isCompacted(options, partition.topic);
    for (let i = 0; i < replicas.length; i++) {
      for (let j = i + 1; j < replicas.length; j++) {
        const a = replicas[i]!;
        const b = replicas[j]!;
        const bound = comparisonBound(partition, leader, a, b);
        const lower = Math.max(a.logStartOffset, b.logStartOffset);
        const { first, count } = compare(a, b, lower, bound, gapsCount);
        if (count > 0) anomalies.push(explain(partition, a, b, bound, first, count, endMs));
      }
    }
  }
  return anomalies;
}

function comparisonBound(
  partition: FinalPartition,
  leader: FinalReplica | null,
  a: FinalReplica,
  b: FinalReplica,
): number {
  if (leader && partition.isr && (a === leader || b === leader)) {
    const other = a === leader ? b : a;
    if (partition.isr.includes(other.broker)) return leader.highWatermark;
  }
  return Math.min(a.highWatermark, b.highWatermark);
}

/** Walks both logs over [lower, bound); keeps the first few differences and counts all. */
function compare(
  a: FinalReplica,
  b: FinalReplica,
  lower: number,
  bound: number,
  gapsCount: boolean,
): { first: Difference[]; count: number } {
  const first: Difference[] = [];
  let count = 0;
  const note = (offset: number, x: ObservedRecord | null, y: ObservedRecord | null): void => {
    count++;
    if (first.length < MAX_EVIDENCE / 2) first.push({ offset, a: x, b: y });
  };
  const ra = a.records;
  const rb = b.records;
  let i = lowerBound(ra, lower);
  let j = lowerBound(rb, lower);
  while (true) {
    const x = i < ra.length && ra[i]!.offset < bound ? ra[i]! : null;
    const y = j < rb.length && rb[j]!.offset < bound ? rb[j]! : null;
    if (!x && !y) break;
    if (x && y && x.offset === y.offset) {
      if (x.value !== y.value || x.leaderEpoch !== y.leaderEpoch) note(x.offset, x, y);
      i++;
      j++;
    } else if (x && (!y || x.offset < y.offset)) {
      if (gapsCount) note(x.offset, x, null);
      i++;
    } else {
      if (gapsCount) note(y!.offset, null, y);
      j++;
    }
  }
  return { first, count };
}

function explain(
  partition: FinalPartition,
  a: FinalReplica,
  b: FinalReplica,
  bound: number,
  first: readonly Difference[],
  count: number,
  endMs: number,
): Anomaly {
  const name = partitionName(partition.topic, partition.partition);
  const d = first[0]!;
  const holds = (replica: FinalReplica, record: ObservedRecord | null): string =>
    record
      ? `${replica.broker} holds ${quote(record.value)} (epoch ${record.leaderEpoch})`
      : `${replica.broker} has no record`;
  const records: Witness[] = [];
  for (const difference of first) {
    if (difference.a) records.push(finalWitness(a.broker, difference.a, endMs));
    if (difference.b) records.push(finalWitness(b.broker, difference.b, endMs));
  }
  return anomaly({
    kind: 'divergence',
    message:
      `${a.broker} and ${b.broker} disagree on ${name} below offset ${bound}: at offset ${d.offset} ` +
      `${holds(a, d.a)} and ${holds(b, d.b)}; ${count} offset${count === 1 ? '' : 's'} differ.`,
    topic: partition.topic,
    partition: partition.partition,
    timeMs: endMs,
    values: records.map((witness) => witness.value),
    offsets: first.map((difference) => difference.offset),
    records,
    detail: {
      brokers: `${a.broker},${b.broker}`,
      bound,
      firstOffset: d.offset,
      differingOffsets: count,
      highWatermarks: `${a.highWatermark},${b.highWatermark}`,
    },
  });
}

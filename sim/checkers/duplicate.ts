// duplicate: one sent value appears at more than one offset of a partition.
//
// Rule (Jepsen's `duplicate`): over the observations of a partition — acknowledgements (value at its acked
// offset), every poll's records, and the final committed log of the reference replica (analysis.ts) — a
// value observed at two or more distinct offsets is a duplicate. Values are unique per send, so a second
// offset means the record was appended twice: a producer retry without idempotence (allowed by Kafka's
// at-least-once contract, which the scenario's expectation says), or a broken idempotence/dedup path.
// Duplicates that exist only on a non-reference replica show up as divergence instead.

import type { FinalState, History } from '../history.ts';
import { anomaly, describeWitness, pickEvidence, witnessOpIds, type Anomaly, type Witness } from './anomaly.ts';
import { analyse, quote, witnesses, type PartitionView } from './analysis.ts';
import type { CheckOptions } from './options.ts';

export function checkDuplicates(history: History, finalState: FinalState, _options: CheckOptions = {}): Anomaly[] {
  const analysis = analyse(history, finalState);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    if (view.duplicatedValues.size === 0) continue;
    const byValue = groupBy(witnesses(view, analysis.endMs, (_offset, value) => view.duplicatedValues.has(value)));
    for (const value of view.duplicatedValues) {
      const send = analysis.sendByValue.get(value) ?? null;
      anomalies.push(explain(view, value, byValue.get(value) ?? [], send?.id ?? null));
    }
  }
  return anomalies;
}

function explain(view: PartitionView, value: string, seen: readonly Witness[], sendId: number | null): Anomaly {
  const offsets = [...new Set(seen.map((witness) => witness.offset))].sort((a, b) => a - b);
  const evidence = pickEvidence(seen, (witness) => witness.offset);
  const where = offsets
    .map((offset) => `${offset} (${describeWitness(seen.find((witness) => witness.offset === offset)!)})`)
    .join(', ');
  const sent = sendId === null ? 'no send of it was recorded' : `it was sent once, as send #${sendId}`;
  return anomaly({
    kind: 'duplicate',
    message: `${quote(value)} appears at ${offsets.length} offsets of ${view.name}: ${where}; ${sent}.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: secondOffsetSeenMs(seen),
    values: [value],
    offsets,
    opIds: [...(sendId === null ? [] : [sendId]), ...witnessOpIds(evidence).filter((id) => id !== sendId)],
    records: evidence,
    detail: { offsetCount: offsets.length, witnessCount: seen.length },
  });
}

/** When the value was first seen at an offset other than the one it was first seen at. */
function secondOffsetSeenMs(seen: readonly Witness[]): number {
  const byTime = [...seen].sort((a, b) => a.timeMs - b.timeMs);
  const first = byTime[0]!;
  return byTime.find((witness) => witness.offset !== first.offset)?.timeMs ?? first.timeMs;
}

function groupBy(found: readonly Witness[]): Map<string, Witness[]> {
  const groups = new Map<string, Witness[]>();
  for (const witness of found) {
    let list = groups.get(witness.value);
    if (!list) groups.set(witness.value, (list = []));
    list.push(witness);
  }
  return groups;
}

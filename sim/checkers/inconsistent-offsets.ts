// inconsistent-offsets: one offset of a partition holds different values in different observations.
//
// Rule (Jepsen's `inconsistent-offsets`): over the observations of a partition — acknowledgements (value
// at its acked offset), every poll's records, and the final committed log of the reference replica
// (analysis.ts) — an offset observed with two or more distinct values is inconsistent. Typical causes: an
// acks=1 write acknowledged by a leader that then lost its tail, a consumer reading an uncommitted or
// later-truncated record, a follower that kept a divergent tail. Replicas that disagree among themselves at
// the end are reported as divergence, not here: only the reference's committed log speaks for the final state.

import type { FinalState, History } from '../history.ts';
import { anomaly, describeWitness, pickEvidence, witnessOpIds, type Anomaly, type Witness } from './anomaly.ts';
import { analyse, quote, witnesses, type PartitionView } from './analysis.ts';
import type { CheckOptions } from './options.ts';

export function checkInconsistentOffsets(
  history: History,
  finalState: FinalState,
  _options: CheckOptions = {},
): Anomaly[] {
  const analysis = analyse(history, finalState);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    if (view.conflictedOffsets.size === 0) continue;
    const byOffset = new Map<number, Witness[]>();
    for (const witness of witnesses(view, analysis.endMs, (offset) => view.conflictedOffsets.has(offset))) {
      let list = byOffset.get(witness.offset);
      if (!list) byOffset.set(witness.offset, (list = []));
      list.push(witness);
    }
    const offsets = [...view.conflictedOffsets].sort((a, b) => a - b);
    for (const offset of offsets) anomalies.push(explain(view, offset, byOffset.get(offset) ?? []));
  }
  return anomalies;
}

function explain(view: PartitionView, offset: number, seen: readonly Witness[]): Anomaly {
  const values = [...new Set(seen.map((witness) => witness.value))];
  const evidence = pickEvidence(seen, (witness) => witness.value);
  const list = values
    .map((value) => `${quote(value)} (${describeWitness(seen.find((witness) => witness.value === value)!)})`)
    .join(', ');
  return anomaly({
    kind: 'inconsistent-offsets',
    message: `Offset ${offset} of ${view.name} holds different values in different observations: ${list}.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: secondValueSeenMs(seen),
    values,
    offsets: [offset],
    opIds: witnessOpIds(evidence),
    records: evidence,
    detail: { valueCount: values.length, witnessCount: seen.length },
  });
}

/** When a value other than the earliest-seen one was first seen at the offset. */
function secondValueSeenMs(seen: readonly Witness[]): number {
  const byTime = [...seen].sort((a, b) => a.timeMs - b.timeMs);
  const first = byTime[0]!;
  return byTime.find((witness) => witness.value !== first.value)?.timeMs ?? first.timeMs;
}

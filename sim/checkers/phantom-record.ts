// phantom-record: a record nobody sent.
//
// Rule: a value returned by a poll, or held by any replica's final log (committed or not), that no send in
// the history carries. Values are unique strings the workload makes, so a phantom is a corrupted record
// that got past the CRC-32C check, a mis-decoded batch, or records invented by a bug. (Jepsen aborts its
// analysis on such a value — "no writer of" — rather than naming an anomaly.)

import type { FinalState, History } from '../history.ts';
import {
  anomaly,
  describeWitness,
  earliestMs,
  MAX_EVIDENCE,
  witnessOpIds,
  type Anomaly,
  type Witness,
} from './anomaly.ts';
import { analyse, finalWitness, pollWitness, quote, type PartitionView } from './analysis.ts';
import type { CheckOptions } from './options.ts';

export function checkPhantomRecords(history: History, finalState: FinalState, _options: CheckOptions = {}): Anomaly[] {
  const analysis = analyse(history, finalState);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    const phantoms = new Map<string, Witness[]>();
    const note = (witness: Witness): void => {
      let list = phantoms.get(witness.value);
      if (!list) phantoms.set(witness.value, (list = []));
      list.push(witness);
    };
    const sent = analysis.sendByValue;
    for (const poll of view.polls) {
      for (const record of poll.records) if (!sent.has(record.value)) note(pollWitness(poll, record));
    }
    for (const replica of view.final?.replicas ?? []) {
      for (const record of replica.records) {
        if (!sent.has(record.value)) note(finalWitness(replica.broker, record, analysis.endMs));
      }
    }
    for (const [value, found] of phantoms) anomalies.push(explain(view, value, found));
  }
  return anomalies;
}

function explain(view: PartitionView, value: string, found: readonly Witness[]): Anomaly {
  const evidence = found.slice(0, MAX_EVIDENCE);
  const first = found[0]!;
  return anomaly({
    kind: 'phantom-record',
    message:
      `${quote(value)} at offset ${first.offset} of ${view.name} (${describeWitness(first)}) ` +
      'was never sent by any producer.',
    topic: view.topic,
    partition: view.partition,
    timeMs: earliestMs(found),
    values: [value],
    offsets: [...new Set(found.map((witness) => witness.offset))],
    opIds: witnessOpIds(evidence),
    records: evidence,
    detail: { timesSeen: found.length },
  });
}

// aborted-read: a send that failed — promised not written — is visible anyway.
//
// Jepsen files this as G1a (aborted read): a value whose write failed is read. Rule: a send whose outcome is
// `failed` has its value returned by some poll, or present in some partition's final committed log (the
// reference replica's records in [logStartOffset, highWatermark), analysis.ts): either way consumers can
// read a record its producer was told was not written.
//
// `failed` is a promise the client makes (history.ts, SendOutcome): the record reached no log — rejected
// before any append (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, MESSAGE_TOO_LARGE) or never sent — and no
// earlier attempt of it may have landed. A timeout, a reset connection, NOT_ENOUGH_REPLICAS_AFTER_APPEND, or
// a retry whose earlier attempt is in doubt is `indeterminate`, which this checker never reports. So an
// aborted read is a broker that appended what it rejected, or a client that calls a send failed too early.

import type { FinalState, History, SendOp } from '../history.ts';
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

export function checkAbortedReads(history: History, finalState: FinalState, _options: CheckOptions = {}): Anomaly[] {
  const analysis = analyse(history, finalState);
  const failed = new Map<string, SendOp>();
  for (const op of history.ops) if (op.type === 'send' && op.outcome?.status === 'failed') failed.set(op.value, op);
  if (failed.size === 0) return [];

  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    const seen = new Map<string, Witness[]>();
    const note = (witness: Witness): void => {
      let list = seen.get(witness.value);
      if (!list) seen.set(witness.value, (list = []));
      list.push(witness);
    };
    for (const poll of view.polls) {
      for (const record of poll.records) if (failed.has(record.value)) note(pollWitness(poll, record));
    }
    for (const record of view.committed) {
      if (failed.has(record.value)) note(finalWitness(view.reference!.broker, record, analysis.endMs));
    }
    for (const [value, found] of seen) anomalies.push(explain(view, failed.get(value)!, found));
  }
  return anomalies;
}

function explain(view: PartitionView, send: SendOp, found: readonly Witness[]): Anomaly {
  const error = send.outcome?.status === 'failed' ? send.outcome.error : '?';
  const evidence = found.slice(0, MAX_EVIDENCE);
  const first = found[0]!;
  return anomaly({
    kind: 'aborted-read',
    message:
      `Send #${send.id} of ${quote(send.value)} failed with ${error}, yet the record is at offset ` +
      `${first.offset} of ${view.name} (${describeWitness(first)}).`,
    topic: view.topic,
    partition: view.partition,
    timeMs: earliestMs(found),
    values: [send.value],
    offsets: [...new Set(found.map((witness) => witness.offset))],
    opIds: [send.id, ...witnessOpIds(evidence)],
    records: evidence,
    detail: { error, timesSeen: found.length, jepsen: 'G1a' },
  });
}

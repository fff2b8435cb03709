// nonmonotonic-send: one producer's acknowledged records landed out of the order it sent them in.
//
// Rule (Jepsen's `nonmonotonic-send`, for an asynchronous producer): for each (producer, topic, partition),
// take the producer's acknowledged sends that carry an offset, in the order send() was called (op id order).
// Two consecutive ones, a then b, are nonmonotonic when b's acknowledged offset is not greater than a's.
// Checking consecutive pairs suffices: any out-of-order sequence has a consecutive descent, and reporting
// only descents keeps one displaced record from reporting every later one.
//
// With enable.idempotence=true Kafka guarantees per-partition order (up to 5 in-flight requests); without it
// and with max.in.flight.requests.per.connection > 1, retries may reorder — a scenario then expects this.
// Failed and indeterminate sends carry no acknowledged offset and are not compared.

import { UNKNOWN_OFFSET, type FinalState, type History, type SendOp } from '../history.ts';
import { anomaly, type Anomaly } from './anomaly.ts';
import { ackWitness, analyse, quote, type PartitionView } from './analysis.ts';
import type { CheckOptions } from './options.ts';

export function checkNonmonotonicSends(
  history: History,
  finalState: FinalState,
  _options: CheckOptions = {},
): Anomaly[] {
  const analysis = analyse(history, finalState);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    const lastByProducer = new Map<string, SendOp>();
    for (const send of view.sends) {
      if (send.outcome?.status !== 'acked' || send.outcome.offset === UNKNOWN_OFFSET) continue;
      const previous = lastByProducer.get(send.producer);
      if (previous && offsetOf(send) <= offsetOf(previous)) anomalies.push(explain(view, previous, send));
      lastByProducer.set(send.producer, send);
    }
  }
  return anomalies;
}

function offsetOf(send: SendOp): number {
  return send.outcome?.status === 'acked' ? send.outcome.offset : UNKNOWN_OFFSET;
}

function explain(view: PartitionView, earlier: SendOp, later: SendOp): Anomaly {
  const a = offsetOf(earlier);
  const b = offsetOf(later);
  return anomaly({
    kind: 'nonmonotonic-send',
    message:
      `${later.producer} sent ${quote(earlier.value)} (send #${earlier.id}) before ${quote(later.value)} ` +
      `(send #${later.id}) to ${view.name}, but they were acknowledged at offsets ${a} and ${b}.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: later.completeMs ?? later.invokeMs,
    values: [earlier.value, later.value],
    offsets: [a, b],
    opIds: [earlier.id, later.id],
    records: [ackWitness(earlier, a), ackWitness(later, b)],
    detail: { producer: later.producer, delta: b - a },
  });
}

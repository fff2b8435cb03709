// invariant: the engine broke one of its own invariants (engine/invariants.ts) while a node handled an event.
//
// Not a checker over the history: the node threw at the event that broke it, the simulator named the node,
// the time and the event (sim/broken-invariant.ts), and the cluster run stopped there. This builds the
// anomaly that says so, with the partition's last replica samples as evidence; the reproduce command is
// added by whoever knows it (sim/run.ts), since the same seed breaks the same invariant at the same event.

import { INVARIANTS } from '../../engine/invariants.ts';
import type { BrokenInvariant } from '../broken-invariant.ts';
import type { History } from '../history.ts';
import { anomaly, lastSamples, type Anomaly } from './anomaly.ts';

/** A Kafka topic-partition name (`orders-0`; topic names are [a-zA-Z0-9._-]). */
const PARTITION_NAME = /^([A-Za-z0-9._-]+)-(\d+)$/;

export function invariantAnomaly(broken: BrokenInvariant, history: History): Anomaly {
  const { invariant, subject, detail } = broken.violation;
  const match = PARTITION_NAME.exec(subject);
  const topic = match === null ? '' : match[1]!;
  const partition = match === null ? -1 : Number(match[2]);
  const where = broken.node === null ? 'outside any node' : `on ${broken.node} (life ${broken.incarnation})`;
  return anomaly({
    kind: 'invariant',
    message:
      `Invariant ${invariant} broke ${where} at ${Math.round(broken.timeMs)} ms while it handled ${broken.event}, ` +
      `for ${subject}: ${detail}. It asserts that ${INVARIANTS[invariant]}. The run stopped there.`,
    topic,
    partition,
    timeMs: broken.timeMs,
    samples: match === null ? [] : lastSamples(history.samples, topic, partition),
    detail: {
      invariant,
      asserts: INVARIANTS[invariant],
      node: broken.node,
      incarnation: broken.incarnation,
      event: broken.event,
      subject,
      values: detail,
      reproduce: null,
    },
  });
}

/** The anomaly with the command that reproduces its run, in its message and detail. */
export function withReproduce(found: Anomaly, command: string): Anomaly {
  return { ...found, message: `${found.message} Reproduce: ${command}`, detail: { ...found.detail, reproduce: command } };
}

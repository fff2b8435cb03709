// hw-regression: a partition's high watermark went backwards where Kafka does not allow it.
//
// Kafka lets the high watermark look lower for a while after a leader change: a new leader learns the HW
// from its last fetch as a follower, so its first HW may lag the old leader's until the ISR catches up. That
// is legitimate. Two things are not, and they are the rule:
//
//   within a term  A leader's HW never decreases while it leads in one leader epoch: it only moves up as the
//                  ISR's log end offsets do. For each (topic, partition, broker, incarnation, leaderEpoch),
//                  the HW of the samples taken while isLeader is non-decreasing in time. (A restart starts a
//                  new incarnation: what a restarted broker believes before it hears from the controller is
//                  not held against it.) One anomaly per term, at its first decrease.
//
//   at the end     Every HW the run ever made visible is committed for good, so the final HW must reach it.
//                  The visible frontier of a partition is the maximum of: each leader sample's HW, each poll's
//                  highest record offset + 1 (a consumer only reads below the HW), and each poll's reported
//                  HW. The final HW is the reference replica's (analysis.ts). Final HW < frontier is an
//                  anomaly (committed records were un-committed: unclean election, truncation to a stale HW).
//
// Acknowledgements are not counted in the frontier: under acks=1 an acknowledged offset was never committed.

import { partitionName, type FinalState, type History, type PollOp, type ReplicaSample } from '../history.ts';
import { anomaly, type Anomaly } from './anomaly.ts';
import { analyse, pollWitness, type Analysis } from './analysis.ts';
import type { CheckOptions } from './options.ts';

export function checkHwRegressions(history: History, finalState: FinalState, _options: CheckOptions = {}): Anomaly[] {
  const analysis = analyse(history, finalState);
  return [...withinTerms(history.samples), ...belowFrontier(history, analysis)];
}

function withinTerms(samples: readonly ReplicaSample[]): Anomaly[] {
  const last = new Map<string, ReplicaSample>();
  const reported = new Set<string>();
  const anomalies: Anomaly[] = [];
  for (const sample of samples) {
    if (!sample.isLeader) continue;
    const term = [sample.topic, sample.partition, sample.broker, sample.incarnation, sample.leaderEpoch].join('\u0000');
    const previous = last.get(term);
    if (previous && sample.highWatermark < previous.highWatermark && !reported.has(term)) {
      reported.add(term);
      anomalies.push(
        anomaly({
          kind: 'hw-regression',
          message:
            `${sample.broker}, leader of ${partitionName(sample.topic, sample.partition)} in epoch ` +
            `${sample.leaderEpoch}, reported ` +
            `high watermark ${previous.highWatermark} at ${previous.timeMs} ms and then ${sample.highWatermark} at ` +
            `${sample.timeMs} ms.`,
          topic: sample.topic,
          partition: sample.partition,
          timeMs: sample.timeMs,
          offsets: [previous.highWatermark, sample.highWatermark],
          samples: [previous, sample],
          detail: { rule: 'within-term', broker: sample.broker, leaderEpoch: sample.leaderEpoch },
        }),
      );
    }
    if (!previous || sample.highWatermark >= previous.highWatermark) last.set(term, sample);
  }
  return anomalies;
}

interface Frontier {
  highWatermark: number;
  sample: ReplicaSample | null;
  poll: PollOp | null;
}

function belowFrontier(history: History, analysis: Analysis): Anomaly[] {
  const frontiers = new Map<string, Frontier>();
  const raise = (key: string, highWatermark: number, sample: ReplicaSample | null, poll: PollOp | null): void => {
    const current = frontiers.get(key);
    if (!current || highWatermark > current.highWatermark) frontiers.set(key, { highWatermark, sample, poll });
  };
  for (const sample of history.samples) {
    if (sample.isLeader) raise(partitionName(sample.topic, sample.partition), sample.highWatermark, sample, null);
  }
  for (const op of history.ops) {
    if (op.type !== 'poll') continue;
    let highest = op.highWatermark ?? -1;
    for (const record of op.records) if (record.offset + 1 > highest) highest = record.offset + 1;
    if (highest >= 0) raise(partitionName(op.topic, op.partition), highest, null, op);
  }

  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    const frontier = frontiers.get(view.name);
    const reference = view.reference;
    if (!frontier || !reference || reference.highWatermark >= frontier.highWatermark) continue;
    const { sample, poll } = frontier;
    const seen = sample
      ? `leader ${sample.broker} in epoch ${sample.leaderEpoch} at ${sample.timeMs} ms`
      : `poll #${poll!.id} by ${poll!.consumer} at ${poll!.completeMs} ms`;
    const top = poll && poll.records.length > 0 ? poll.records.reduce((a, b) => (b.offset > a.offset ? b : a)) : null;
    anomalies.push(
      anomaly({
        kind: 'hw-regression',
        message:
          `The high watermark of ${view.name} reached ${frontier.highWatermark} (${seen}) but the final high ` +
          `watermark of ${reference.broker} is ${reference.highWatermark}.`,
        topic: view.topic,
        partition: view.partition,
        timeMs: analysis.endMs,
        offsets: [frontier.highWatermark, reference.highWatermark],
        opIds: poll ? [poll.id] : [],
        records: poll && top ? [pollWitness(poll, top)] : [],
        samples: sample ? [sample] : [],
        detail: {
          rule: 'below-frontier',
          frontier: frontier.highWatermark,
          finalHighWatermark: reference.highWatermark,
          reference: reference.broker,
        },
      }),
    );
  }
  return anomalies;
}

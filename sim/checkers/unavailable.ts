// unavailable: no acknowledged progress within a bound after the faults healed.
//
// The clock starts at the heal: options.healMs, else the last heal event, else 0 (a run without faults must
// be available from the start, bound included). Let bound = options.unavailableBoundMs and
// window = [heal, heal + bound]. The run must have lasted past the window (history.endMs >= heal + bound);
// otherwise nothing can be judged and no anomaly is reported (checkAll's stats say so). Per partition P:
//
//   produce  If some send to P was outstanding during the window (invoked by its end, not completed before
//            its start), some send to P must be acknowledged within the window.
//   consume  If P is polled at all in the run, and records of P are readable — acknowledged and present in
//            the final committed log, at an offset above anything polled before the heal — consumers must
//            make progress: from the moment such a record exists after the heal (the heal itself if one was
//            already acknowledged by then, else its acknowledgement), some poll of P must return records
//            within `bound`. That moment plus `bound` must also fall before the end of the run.
//
// The harness must keep the workload running for at least `bound` after the final heal, or this check is
// vacuous.

import { UNKNOWN_OFFSET, type FinalState, type History, type SendOp } from '../history.ts';
import { anomaly, type Anomaly } from './anomaly.ts';
import { analyse, type PartitionView } from './analysis.ts';
import { DEFAULT_UNAVAILABLE_BOUND_MS, type CheckOptions } from './options.ts';

export interface AvailabilityWindow {
  readonly healMs: number;
  readonly boundMs: number;
  /** False when the run ended before heal + bound: nothing was judged. */
  readonly judged: boolean;
}

export function availabilityWindow(history: History, options: CheckOptions = {}): AvailabilityWindow {
  let healMs = options.healMs;
  if (healMs === undefined) {
    healMs = 0;
    for (const event of history.events) if (event.type === 'heal') healMs = event.timeMs;
  }
  const boundMs = options.unavailableBoundMs ?? DEFAULT_UNAVAILABLE_BOUND_MS;
  return { healMs, boundMs, judged: history.endMs >= healMs + boundMs };
}

export function checkUnavailable(history: History, finalState: FinalState, options: CheckOptions = {}): Anomaly[] {
  const window = availabilityWindow(history, options);
  if (!window.judged) return [];
  const analysis = analyse(history, finalState);
  const healEvent = history.events.filter((event) => event.type === 'heal' && event.timeMs === window.healMs);
  const anomalies: Anomaly[] = [];
  for (const view of analysis.partitions) {
    const produce = producerStall(view, window);
    if (produce) anomalies.push({ ...produce, events: healEvent });
    const consume = consumerStall(view, window, history.endMs);
    if (consume) anomalies.push({ ...consume, events: healEvent });
  }
  return anomalies;
}

function producerStall(view: PartitionView, { healMs, boundMs }: AvailabilityWindow): Anomaly | null {
  const endMs = healMs + boundMs;
  const outstanding: SendOp[] = [];
  let firstAckAfterMs: number | null = null;
  for (const send of view.sends) {
    const completeMs = send.completeMs;
    const acked = send.outcome?.status === 'acked' && completeMs !== null;
    if (acked && completeMs >= healMs && completeMs <= endMs) return null;
    if (acked && completeMs > endMs && (firstAckAfterMs === null || completeMs < firstAckAfterMs)) {
      firstAckAfterMs = completeMs;
    }
    if (send.invokeMs <= endMs && (completeMs === null || completeMs >= healMs)) outstanding.push(send);
  }
  if (outstanding.length === 0) return null;

  const errors = new Map<string, number>();
  for (const send of outstanding) {
    const outcome = send.outcome;
    const label =
      !outcome ? 'pending' : outcome.status === 'acked' ? 'acked late' : `${outcome.status} ${outcome.error}`;
    errors.set(label, (errors.get(label) ?? 0) + 1);
  }
  const breakdown = [...errors].map(([label, count]) => `${count} ${label}`).join(', ');
  const later =
    firstAckAfterMs === null ? 'none came before the end' : `the first came at ${Math.round(firstAckAfterMs)} ms`;
  const shown = outstanding.slice(0, 8);
  return anomaly({
    kind: 'unavailable',
    message:
      `No send to ${view.name} was acknowledged within ${boundMs} ms of the heal at ${healMs} ms ` +
      `(${outstanding.length} outstanding: ${breakdown}); ${later}.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: endMs,
    values: shown.map((send) => send.value),
    opIds: shown.map((send) => send.id),
    detail: { side: 'produce', healMs, boundMs, outstanding: outstanding.length, firstAckAfterMs },
  });
}

function consumerStall(view: PartitionView, { healMs, boundMs }: AvailabilityWindow, runEndMs: number): Anomaly | null {
  if (view.polls.length === 0) return null;
  let polledBefore = -1;
  for (const poll of view.polls) {
    if (poll.completeMs >= healMs) break;
    for (const record of poll.records) if (record.offset > polledBefore) polledBefore = record.offset;
  }
  // When a readable record beyond what was read before the heal first existed after the heal.
  let availableMs: number | null = null;
  let availableSend: SendOp | null = null;
  for (const send of view.sends) {
    const outcome = send.outcome;
    if (outcome?.status !== 'acked' || outcome.offset === UNKNOWN_OFFSET || outcome.offset <= polledBefore) continue;
    if (!view.committedByValue.has(send.value)) continue;
    const atMs = Math.max(healMs, send.completeMs!);
    if (availableMs === null || atMs < availableMs) {
      availableMs = atMs;
      availableSend = send;
    }
  }
  if (availableMs === null || availableMs + boundMs > runEndMs) return null;
  const deadlineMs = availableMs + boundMs;
  let emptyPolls = 0;
  for (const poll of view.polls) {
    if (poll.completeMs < availableMs || poll.completeMs > deadlineMs) continue;
    if (poll.records.length > 0) return null;
    emptyPolls++;
  }
  return anomaly({
    kind: 'unavailable',
    message:
      `Consumers of ${view.name} read nothing within ${boundMs} ms after records above offset ${polledBefore} ` +
      `were readable at ${availableMs} ms (heal at ${healMs} ms); ${emptyPolls} polls came back empty.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: deadlineMs,
    values: [availableSend!.value],
    opIds: [availableSend!.id],
    detail: { side: 'consume', healMs, boundMs, availableMs, polledBefore, emptyPolls },
  });
}

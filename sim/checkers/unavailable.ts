// unavailable: no acknowledged progress within a bound, after the faults healed or, in a run without faults,
// from the moment the cluster was ready.
//
// The clock starts when the cluster was ready in a run without faults (options.readyMs, given by a harness
// whose run has none planned, and no fault in the history): a safe run with no faults must be available from
// its start, bound included. Otherwise it starts at the heal (options.healMs, else the last heal event, else
// 0). Let bound = options.unavailableBoundMs and
// window = [start, start + bound]. Per partition P:
//
//   produce  If some send to P was outstanding during the window (invoked by its end, not completed before
//            its start), some send to P must be acknowledged within the window.
//   consume  If P is polled at all in the run, and records of P are readable — acknowledged and present in
//            the final committed log, at an offset above anything polled before the start — consumers must
//            make progress: from the moment such a record exists after the start (the start itself if one was
//            already acknowledged by then, else its acknowledgement), some poll of P must return records
//            within `bound`. If none has by the end of the run and the run ended before that deadline, P's
//            consumers are not judged.
//
// Sends whose partition the producer never reported (still pending at the end: Kafka's producer names the
// partition only when a send completes) belong to no partition. They are judged per topic: if any was
// outstanding during the window, some send to the topic must be acknowledged within it. Without this rule a
// topic on which nothing is ever acknowledged (every send retried until the run ends) would show nothing.
//
// What cannot be judged is said (CheckResult.notJudged), never passed: a run that ended before the window
// closed (the harness must keep the load on for `bound` after the start); a window in which nothing was
// sent; consumers of a partition that read nothing while the run lasted, with the consume rule's deadline
// after its end.

import { UNKNOWN_OFFSET, UNKNOWN_PARTITION, type FinalState, type History, type SendOp } from '../history.ts';
import { anomaly, type Anomaly, type CheckResult } from './anomaly.ts';
import { analyse, type PartitionView } from './analysis.ts';
import { DEFAULT_UNAVAILABLE_BOUND_MS, type CheckOptions } from './options.ts';

export interface AvailabilityWindow {
  /** When the clock started: the heal, or (no fault in the run) when the cluster was ready. */
  readonly startMs: number;
  /** What started it. */
  readonly from: 'heal' | 'ready';
  readonly boundMs: number;
  /** False when the run ended before start + bound: nothing was judged. */
  readonly judged: boolean;
}

export function availabilityWindow(history: History, options: CheckOptions = {}): AvailabilityWindow {
  const boundMs = options.unavailableBoundMs ?? DEFAULT_UNAVAILABLE_BOUND_MS;
  const faulted = history.events.some((event) => event.type === 'fault-start');
  if (!faulted && options.readyMs !== undefined) {
    return { startMs: options.readyMs, from: 'ready', boundMs, judged: history.endMs >= options.readyMs + boundMs };
  }
  let startMs = options.healMs ?? 0;
  if (options.healMs === undefined) for (const event of history.events) if (event.type === 'heal') startMs = event.timeMs;
  return { startMs, from: 'heal', boundMs, judged: history.endMs >= startMs + boundMs };
}

export function checkUnavailable(history: History, finalState: FinalState, options: CheckOptions = {}): CheckResult {
  const window = availabilityWindow(history, options);
  const closesMs = window.startMs + window.boundMs;
  if (!window.judged) {
    return {
      anomalies: [],
      notJudged:
        `the run ended at ${Math.round(history.endMs)} ms, before the availability window ` +
        `[${Math.round(window.startMs)}, ${Math.round(closesMs)}] ms closed: keep the load on for the bound (${window.boundMs} ms) after the ${window.from === 'heal' ? 'heal' : 'cluster is ready'}`,
    };
  }
  const analysis = analyse(history, finalState);
  const startEvent = history.events.filter((event) => event.type === 'heal' && event.timeMs === window.startMs);
  const anomalies: Anomaly[] = [];
  let exercised = false;
  const lateReads: string[] = [];
  for (const view of analysis.partitions) {
    const produce = producerStall(view, window);
    if (produce.outstanding) exercised = true;
    if (produce.anomaly) anomalies.push({ ...produce.anomaly, events: startEvent });
    const consume = consumerStall(view, window, history.endMs);
    if (consume === 'too-late') lateReads.push(view.name);
    else if (consume) anomalies.push({ ...consume, events: startEvent });
  }
  for (const stall of topicStalls(history, window)) {
    exercised = true;
    if (stall.anomaly) anomalies.push({ ...stall.anomaly, events: startEvent });
  }
  const reasons: string[] = [];
  if (!exercised) reasons.push(`no send was outstanding during the window [${Math.round(window.startMs)}, ${Math.round(closesMs)}] ms, so producing was not exercised`);
  if (lateReads.length > 0) reasons.push(`consumers of ${lateReads.join(', ')}: they had read nothing when the run ended, less than the bound after their records became readable`);
  return reasons.length === 0 ? { anomalies } : { anomalies, notJudged: reasons.join('; ') };
}

/** What a window says about one partition's sends: were any outstanding, and did none get acknowledged. */
interface Stall {
  readonly outstanding: boolean;
  readonly anomaly: Anomaly | null;
}

/** The per-topic rule for sends that never learnt their partition (see the file head). */
function topicStalls(history: History, window: AvailabilityWindow): Stall[] {
  const byTopic = new Map<string, SendOp[]>();
  for (const op of history.ops) {
    if (op.type !== 'send') continue;
    let sends = byTopic.get(op.topic);
    if (sends === undefined) byTopic.set(op.topic, (sends = []));
    sends.push(op);
  }
  const stalls: Stall[] = [];
  for (const [topic, sends] of [...byTopic].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const unplaced = sends.filter((send) => send.partition === UNKNOWN_PARTITION);
    if (unplaced.length === 0) continue;
    const unplacedOutstanding = unplaced.filter((send) => outstandingIn(send, window));
    if (unplacedOutstanding.length === 0) continue;
    const found = stall(sends, window, `topic ${topic}`, topic, -1, unplacedOutstanding.length);
    stalls.push({ outstanding: true, anomaly: found.anomaly });
  }
  return stalls;
}

function outstandingIn(send: SendOp, { startMs, boundMs }: AvailabilityWindow): boolean {
  return send.invokeMs <= startMs + boundMs && (send.completeMs === null || send.completeMs >= startMs);
}

function producerStall(view: PartitionView, window: AvailabilityWindow): Stall {
  return stall(view.sends, window, view.name, view.topic, view.partition, 0);
}

/**
 * The produce rule over `sends`: outstanding ones during the window, and none acknowledged within it.
 * `unplaced`: how many of the outstanding sends never learnt their partition (the per-topic rule).
 */
function stall(sends: readonly SendOp[], window: AvailabilityWindow, name: string, topic: string, partition: number, unplaced: number): Stall {
  const { startMs, boundMs } = window;
  const endMs = startMs + boundMs;
  const outstanding: SendOp[] = [];
  let firstAckAfterMs: number | null = null;
  for (const send of sends) {
    const completeMs = send.completeMs;
    const acked = send.outcome?.status === 'acked' && completeMs !== null;
    if (acked && completeMs >= startMs && completeMs <= endMs) return { outstanding: true, anomaly: null };
    if (acked && completeMs > endMs && (firstAckAfterMs === null || completeMs < firstAckAfterMs)) {
      firstAckAfterMs = completeMs;
    }
    if (outstandingIn(send, window)) outstanding.push(send);
  }
  if (outstanding.length === 0) return { outstanding: false, anomaly: null };

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
  const since = window.from === 'heal' ? `the heal at ${startMs} ms` : `the moment the cluster was ready, ${startMs} ms (the run had no fault)`;
  const placement = unplaced > 0 ? `; the producer never reported the partition of ${unplaced} of them` : '';
  const shown = outstanding.slice(0, 8);
  return {
    outstanding: true,
    anomaly: anomaly({
      kind: 'unavailable',
      message:
        `No send to ${name} was acknowledged within ${boundMs} ms of ${since} ` +
        `(${outstanding.length} outstanding: ${breakdown}${placement}); ${later}.`,
      topic,
      partition,
      timeMs: endMs,
      values: shown.map((send) => send.value),
      opIds: shown.map((send) => send.id),
      detail: { side: 'produce', startMs, from: window.from, boundMs, outstanding: outstanding.length, unplaced, firstAckAfterMs },
    }),
  };
}

/** The consume rule (see the file head); 'too-late' when nothing was read and the deadline is after the end. */
function consumerStall(view: PartitionView, window: AvailabilityWindow, runEndMs: number): Anomaly | 'too-late' | null {
  const { startMs, boundMs } = window;
  if (view.polls.length === 0) return null;
  let polledBefore = -1;
  for (const poll of view.polls) {
    if (poll.completeMs >= startMs) break;
    for (const record of poll.records) if (record.offset > polledBefore) polledBefore = record.offset;
  }
  // When a readable record beyond what was read before the start first existed after the start.
  let availableMs: number | null = null;
  let availableSend: SendOp | null = null;
  for (const send of view.sends) {
    const outcome = send.outcome;
    if (outcome?.status !== 'acked' || outcome.offset === UNKNOWN_OFFSET || outcome.offset <= polledBefore) continue;
    if (!view.committedByValue.has(send.value)) continue;
    const atMs = Math.max(startMs, send.completeMs!);
    if (availableMs === null || atMs < availableMs) {
      availableMs = atMs;
      availableSend = send;
    }
  }
  if (availableMs === null) return null;
  const deadlineMs = availableMs + boundMs;
  let emptyPolls = 0;
  for (const poll of view.polls) {
    if (poll.completeMs < availableMs || poll.completeMs > deadlineMs) continue;
    if (poll.records.length > 0) return null;
    emptyPolls++;
  }
  // Nothing read yet, but the run ended before the deadline: consumers might still have read in time.
  if (deadlineMs > runEndMs) return 'too-late';
  const since = window.from === 'heal' ? `heal at ${startMs} ms` : `ready at ${startMs} ms, no fault`;
  return anomaly({
    kind: 'unavailable',
    message:
      `Consumers of ${view.name} read nothing within ${boundMs} ms after records above offset ${polledBefore} ` +
      `were readable at ${availableMs} ms (${since}); ${emptyPolls} polls came back empty.`,
    topic: view.topic,
    partition: view.partition,
    timeMs: deadlineMs,
    values: [availableSend!.value],
    opIds: [availableSend!.id],
    detail: { side: 'consume', startMs, from: window.from, boundMs, availableMs, polledBefore, emptyPolls },
  });
}

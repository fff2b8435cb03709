// All checkers, and the verdict of a run: checkAll(history, finalState, options).
//
// Each checker is a pure function over (history, finalState, options) in its own file, named for the anomaly
// it reports; they share one analysis of the history (analysis.ts), built on first use. Most judge every
// run and return their anomalies; those that may not be able to (unavailable, under-replicated) return a
// CheckResult that says why. The verdict lists every checker that did not judge: not judged is never passed.

import { UNKNOWN_PARTITION, type FinalState, type History } from '../history.ts';
import { checkAbortedReads } from './aborted-read.ts';
import { analyse } from './analysis.ts';
import { CHECKER_KINDS, type Anomaly, type AnomalyKind, type CheckerKind, type CheckResult, type NotJudged } from './anomaly.ts';
import { checkDivergence } from './divergence.ts';
import { checkDuplicates } from './duplicate.ts';
import { checkHwRegressions } from './hw-regression.ts';
import { checkInconsistentOffsets } from './inconsistent-offsets.ts';
import { checkLostWrites } from './lost-write.ts';
import { checkNonmonotonicPolls } from './nonmonotonic-poll.ts';
import { checkNonmonotonicSends } from './nonmonotonic-send.ts';
import { DEFAULT_MAX_ANOMALIES_PER_KIND, type CheckOptions } from './options.ts';
import { checkPhantomRecords } from './phantom-record.ts';
import { checkPollSkips } from './poll-skip.ts';
import { availabilityWindow, checkUnavailable, type AvailabilityWindow } from './unavailable.ts';
import { checkUnderReplicated } from './under-replicated.ts';

export type { Anomaly, AnomalyKind, CheckerKind, CheckResult, NotJudged, Witness, WitnessSource } from './anomaly.ts';
export { ANOMALY_KINDS, CHECKER_KINDS } from './anomaly.ts';
export {
  checkAbortedReads,
  checkDivergence,
  checkDuplicates,
  checkHwRegressions,
  checkInconsistentOffsets,
  checkLostWrites,
  checkNonmonotonicPolls,
  checkNonmonotonicSends,
  checkPhantomRecords,
  checkPollSkips,
  checkUnavailable,
  checkUnderReplicated,
};
export type { CheckOptions } from './options.ts';

export type Checker = (history: History, finalState: FinalState, options: CheckOptions) => CheckResult;

/** A checker that judges every run it is given. */
function always(check: (history: History, finalState: FinalState, options: CheckOptions) => Anomaly[]): Checker {
  return (history, finalState, options) => ({ anomalies: check(history, finalState, options) });
}

export const CHECKERS: Readonly<Record<CheckerKind, Checker>> = {
  'lost-write': always(checkLostWrites),
  duplicate: always(checkDuplicates),
  'inconsistent-offsets': always(checkInconsistentOffsets),
  'nonmonotonic-send': always(checkNonmonotonicSends),
  'poll-skip': always(checkPollSkips),
  'nonmonotonic-poll': always(checkNonmonotonicPolls),
  'aborted-read': always(checkAbortedReads),
  'phantom-record': always(checkPhantomRecords),
  divergence: always(checkDivergence),
  'hw-regression': always(checkHwRegressions),
  unavailable: checkUnavailable,
  'under-replicated': checkUnderReplicated,
};

export interface HistoryStats {
  /** As result.json names them. */
  readonly produced: { attempted: number; acked: number; failed: number; indeterminate: number };
  /** Records returned by polls. */
  readonly consumed: number;
  readonly polls: number;
  readonly seeks: number;
  readonly commits: number;
  readonly partitions: number;
  readonly finalReplicas: number;
  /** Records in the reference replicas' committed logs. */
  readonly finalCommittedRecords: number;
  readonly samples: number;
  readonly faults: number;
  readonly endMs: number;
  readonly availability: AvailabilityWindow;
}

export interface Verdict {
  /** Every checker that ran judged the run, and none found an anomaly. */
  readonly ok: boolean;
  /** At most maxAnomaliesPerKind of each kind, kinds in ANOMALY_KINDS order. */
  readonly anomalies: Anomaly[];
  /** Exact counts, for every kind that ran (zeros included; a zero of a checker in notJudged is no pass). */
  readonly counts: Partial<Record<AnomalyKind, number>>;
  readonly checked: CheckerKind[];
  /** Checkers that could not judge the run (or part of it), and why. */
  readonly notJudged: NotJudged[];
  readonly stats: HistoryStats;
}

export class CheckOptionsError extends Error {
  override readonly name = 'CheckOptionsError';
}

export function checkAll(history: History, finalState: FinalState, options: CheckOptions = {}): Verdict {
  const checked = selectedCheckers(options);
  const limit = options.maxAnomaliesPerKind ?? DEFAULT_MAX_ANOMALIES_PER_KIND;
  const anomalies: Anomaly[] = [];
  const counts: Partial<Record<AnomalyKind, number>> = {};
  const notJudged: NotJudged[] = [];
  for (const kind of CHECKER_KINDS) {
    if (!checked.includes(kind)) continue;
    const result = CHECKERS[kind](history, finalState, options);
    counts[kind] = result.anomalies.length;
    for (let i = 0; i < result.anomalies.length && i < limit; i++) anomalies.push(result.anomalies[i]!);
    if (result.notJudged !== undefined) notJudged.push({ checker: kind, why: result.notJudged });
  }
  return {
    ok: anomalies.length === 0 && notJudged.length === 0,
    anomalies,
    counts,
    checked,
    notJudged,
    stats: historyStats(history, finalState, options),
  };
}

/**
 * The verdict of a run that stopped before its end (an engine invariant broke): the anomaly that stopped it,
 * and every checker not judged, since none can judge a run cut short.
 */
export function cutShortVerdict(history: History, finalState: FinalState, stopped: Anomaly, options: CheckOptions = {}): Verdict {
  const checked = selectedCheckers(options);
  const why = `the run stopped at ${Math.round(stopped.timeMs)} ms when an engine invariant broke; a run cut short cannot be judged`;
  return {
    ok: false,
    anomalies: [stopped],
    counts: { [stopped.kind]: 1 },
    checked,
    notJudged: checked.map((checker) => ({ checker, why })),
    stats: historyStats(history, finalState, options),
  };
}

function selectedCheckers(options: CheckOptions): CheckerKind[] {
  if (options.checkers === undefined) return [...CHECKER_KINDS];
  const checked: CheckerKind[] = [];
  for (const kind of options.checkers) {
    if (kind === 'invariant') {
      throw new CheckOptionsError('invariant is not a checker: the engine asserts its invariants itself, in every run; leave it out of the checkers');
    }
    if (!(kind in CHECKERS)) {
      throw new CheckOptionsError(`unknown checker ${JSON.stringify(kind)}; valid: ${CHECKER_KINDS.join(', ')}`);
    }
    checked.push(kind);
  }
  return checked;
}

export function historyStats(history: History, finalState: FinalState, options: CheckOptions = {}): HistoryStats {
  const produced = { attempted: 0, acked: 0, failed: 0, indeterminate: 0 };
  let consumed = 0;
  let polls = 0;
  let seeks = 0;
  let commits = 0;
  const partitions = new Set<string>();
  for (const op of history.ops) {
    if (op.type === 'send') {
      produced.attempted++;
      if (op.outcome) produced[op.outcome.status]++;
      if (op.partition !== UNKNOWN_PARTITION) partitions.add(`${op.topic}\u0000${op.partition}`);
    } else if (op.type === 'poll') {
      polls++;
      consumed += op.records.length;
      partitions.add(`${op.topic}\u0000${op.partition}`);
    } else if (op.type === 'seek') seeks++;
    else commits++;
  }
  let finalReplicas = 0;
  for (const partition of finalState.partitions) {
    partitions.add(`${partition.topic}\u0000${partition.partition}`);
    finalReplicas += partition.replicas.length;
  }
  let finalCommittedRecords = 0;
  for (const view of analyse(history, finalState).partitions) finalCommittedRecords += view.committed.length;
  return {
    produced,
    consumed,
    polls,
    seeks,
    commits,
    partitions: partitions.size,
    finalReplicas,
    finalCommittedRecords,
    samples: history.samples.length,
    faults: history.events.filter((event) => event.type === 'fault-start').length,
    endMs: history.endMs,
    availability: availabilityWindow(history, options),
  };
}

// All checkers, and the verdict of a run: checkAll(history, finalState, options).
//
// Each checker is a pure function (history, finalState, options) -> Anomaly[] in its own file, named for
// the anomaly it reports; they share one analysis of the history (analysis.ts), built on first use.

import { UNKNOWN_PARTITION, type FinalState, type History } from '../history.ts';
import { checkAbortedReads } from './aborted-read.ts';
import { analyse } from './analysis.ts';
import { ANOMALY_KINDS, type Anomaly, type AnomalyKind } from './anomaly.ts';
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

export type { Anomaly, AnomalyKind, Witness, WitnessSource } from './anomaly.ts';
export { ANOMALY_KINDS } from './anomaly.ts';
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
};
export type { CheckOptions } from './options.ts';

export type Checker = (history: History, finalState: FinalState, options: CheckOptions) => Anomaly[];

export const CHECKERS: Readonly<Record<AnomalyKind, Checker>> = {
  'lost-write': checkLostWrites,
  duplicate: checkDuplicates,
  'inconsistent-offsets': checkInconsistentOffsets,
  'nonmonotonic-send': checkNonmonotonicSends,
  'poll-skip': checkPollSkips,
  'nonmonotonic-poll': checkNonmonotonicPolls,
  'aborted-read': checkAbortedReads,
  'phantom-record': checkPhantomRecords,
  divergence: checkDivergence,
  'hw-regression': checkHwRegressions,
  unavailable: checkUnavailable,
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
  /** No anomaly of any kind that ran. */
  readonly ok: boolean;
  /** At most maxAnomaliesPerKind of each kind, kinds in ANOMALY_KINDS order. */
  readonly anomalies: Anomaly[];
  /** Exact counts, for every kind that ran (zeros included). */
  readonly counts: Partial<Record<AnomalyKind, number>>;
  readonly checked: AnomalyKind[];
  readonly stats: HistoryStats;
}

export class CheckOptionsError extends Error {
  override readonly name = 'CheckOptionsError';
}

export function checkAll(history: History, finalState: FinalState, options: CheckOptions = {}): Verdict {
  const checked = options.checkers ? [...options.checkers] : [...ANOMALY_KINDS];
  for (const kind of checked) {
    if (!(kind in CHECKERS)) {
      throw new CheckOptionsError(`unknown checker ${JSON.stringify(kind)}; valid: ${ANOMALY_KINDS.join(', ')}`);
    }
  }
  const limit = options.maxAnomaliesPerKind ?? DEFAULT_MAX_ANOMALIES_PER_KIND;
  const anomalies: Anomaly[] = [];
  const counts: Partial<Record<AnomalyKind, number>> = {};
  for (const kind of ANOMALY_KINDS) {
    if (!checked.includes(kind)) continue;
    const found = CHECKERS[kind](history, finalState, options);
    counts[kind] = found.length;
    for (let i = 0; i < found.length && i < limit; i++) anomalies.push(found[i]!);
  }
  return { ok: anomalies.length === 0, anomalies, counts, checked, stats: historyStats(history, finalState, options) };
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

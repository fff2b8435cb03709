// What a checker run may be told: which checkers, the availability bound, which topics are compacted.

import type { AnomalyKind } from './anomaly.ts';

export interface CheckOptions {
  /** Which checkers run; all by default. (`invariant` is the engine's own check, always on: not a checker.) */
  readonly checkers?: readonly AnomalyKind[];
  /** unavailable: how long after the final heal (or, without faults, the start) a partition has to show
   *  acknowledged progress. */
  readonly unavailableBoundMs?: number;
  /** unavailable: when the faults healed, which starts the availability clock in a run with faults; default
   *  the last heal event, else 0. */
  readonly healMs?: number;
  /** unavailable: when the cluster was ready, in a run with no fault planned: the availability clock starts
   *  here unless the history shows a fault. Absent: the clock starts at the heal. */
  readonly readyMs?: number;
  /** Topics with cleanup.policy=compact: gaps in their offsets and vanished old values are legitimate, so
   *  lost-write, poll-skip and divergence's missing-offset rule skip them. */
  readonly compactedTopics?: readonly string[];
  /** checkAll keeps at most this many anomalies of each kind (counts stay exact). */
  readonly maxAnomaliesPerKind?: number;
}

/** Long enough for a rejoining broker to be unfenced, catch up and re-enter the ISR, and for a consumer
 *  group to notice a lost member (Kafka's session.timeout.ms is 45 s). A cluster run uses its scenario's
 *  liveness phase instead (sim/cluster-run.ts): this default is for direct callers of the checkers. */
export const DEFAULT_UNAVAILABLE_BOUND_MS = 60_000;
export const DEFAULT_MAX_ANOMALIES_PER_KIND = 100;

export function isCompacted(options: CheckOptions, topic: string): boolean {
  return options.compactedTopics?.includes(topic) ?? false;
}

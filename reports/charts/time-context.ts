// What every chart of a run report shares: one time domain (0 to the run's end), the phases, the faults,
// the story steps and the anomalies as numbered marks, and the colours of nodes and fault kinds.

import type { FaultInterval, RunPhases, RunResult } from '../../sim/result.ts';
import { lastTimeOf } from './downsample.ts';
import { faultColors, nodeColors } from './palette.ts';

/** An anomaly as a chart marks it: its number in the report links to its explanation (#anomaly-N). */
export interface AnomalyMark {
  readonly number: number;
  readonly timeMs: number;
  readonly kind: string;
  readonly message: string;
  readonly topic: string;
  readonly partition: number;
}

export interface TimeContext {
  /** The end of the time axis (ms since the start). */
  readonly endMs: number;
  readonly phases: RunPhases;
  readonly faults: readonly FaultInterval[];
  /** Story steps at absolute times (ms since the start), numbered from 1 in this order. */
  readonly steps: ReadonlyArray<{ readonly label: string; readonly timeMs: number }>;
  readonly anomalies: readonly AnomalyMark[];
  readonly nodeColor: (node: string) => string;
  readonly faultColor: (kind: string) => string;
}

export function timeContext(result: RunResult): TimeContext {
  const { phases, faults, timeline } = result;
  const anomalies: AnomalyMark[] = result.anomalies.map((a, i) => ({
    number: i + 1,
    // JSON turns an Infinity into null: such an anomaly simply gets no marker.
    timeMs: typeof a.timeMs === 'number' ? a.timeMs : NaN,
    kind: a.kind,
    message: a.message,
    topic: a.topic,
    partition: a.partition,
  }));
  // Steps count from the moment the topic was ready (result.ts); charts use time since the start.
  const steps = result.steps.map((s) => ({ label: s.label, timeMs: phases.readyAtMs + s.atMs }));
  let endMs = Math.max(phases.endMs, result.stats.simulatedMs, phases.stopMs, phases.healMs);
  for (const f of faults) endMs = Math.max(endMs, f.startMs, f.endMs ?? 0);
  for (const s of steps) endMs = Math.max(endMs, s.timeMs);
  for (const a of anomalies) if (Number.isFinite(a.timeMs)) endMs = Math.max(endMs, a.timeMs);
  endMs = Math.max(endMs, lastTimeOf(timeline.ackedPerSec), 1);
  const nodes: string[] = [];
  for (const f of faults) nodes.push(...f.nodes);
  for (const p of timeline.partitions) {
    for (const r of p.replicas) nodes.push(r.broker);
    for (const l of p.leaders) nodes.push(l.broker);
  }
  return {
    endMs,
    phases,
    faults,
    steps,
    anomalies,
    nodeColor: nodeColors(nodes),
    faultColor: faultColors(faults.map((f) => f.kind)),
  };
}

// The nemesis: fault schedules, and applying them to a simulation.
//
// A schedule is a plain timeline of faults (kind, target, start, duration), drawn from the run's `faults`
// stream or written by hand, so a failing seed's schedule can be printed, shrunk and replayed as a script.
// Every fault ends (a crashed node restarts, a partition heals) before the schedule's heal time; after it the
// cluster runs fault-free so that liveness can be judged (TigerBeetle's liveness mode, FoundationDB's
// unclogged phase).

import type { NodeId } from '../engine/runtime.ts';
import type { RandomStream } from './random.ts';
import type { Simulation } from './simulation.ts';

export type FaultKind = 'crash' | 'power-loss' | 'isolate' | 'partition-one-way-in' | 'partition-one-way-out';

export const FAULT_KINDS: readonly FaultKind[] = ['crash', 'power-loss', 'isolate', 'partition-one-way-in', 'partition-one-way-out'];

export interface Fault {
  readonly kind: FaultKind;
  readonly target: NodeId;
  readonly atMs: number;
  readonly durationMs: number;
}

export interface RandomScheduleOptions {
  /** Nodes that faults may hit. */
  readonly targets: readonly NodeId[];
  readonly kinds: readonly FaultKind[];
  /** Faults start in [startMs, healMs); each ends by healMs. */
  readonly startMs: number;
  readonly healMs: number;
  /** Mean quiet time between the end of one fault and the start of the next. */
  readonly meanGapMs: number;
  /** Fault durations are uniform in this range (cut at healMs). */
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
}

export class NemesisError extends Error {
  override readonly name = 'NemesisError';
}

/**
 * Draws a schedule that hits one node at a time: each fault ends before the next starts, so a safe
 * configuration (replication factor 3, min.insync.replicas 2) must survive every one of them.
 */
export function randomSchedule(random: RandomStream, options: RandomScheduleOptions): Fault[] {
  if (options.targets.length === 0) throw new NemesisError('a random fault schedule needs at least one target node');
  if (options.kinds.length === 0) throw new NemesisError('a random fault schedule needs at least one fault kind');
  if (!(options.minDurationMs > 0 && options.maxDurationMs >= options.minDurationMs)) {
    throw new NemesisError(`fault durations must satisfy 0 < min <= max, got ${options.minDurationMs}..${options.maxDurationMs}`);
  }
  const faults: Fault[] = [];
  let timeMs = options.startMs + random.exponential(options.meanGapMs);
  while (timeMs < options.healMs) {
    const durationMs = Math.min(random.uniform(options.minDurationMs, options.maxDurationMs), options.healMs - timeMs);
    faults.push({ kind: random.pick(options.kinds), target: random.pick(options.targets), atMs: round(timeMs), durationMs: round(durationMs) });
    timeMs += durationMs + random.exponential(options.meanGapMs);
  }
  return faults;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Observes faults as they start and end (for the history and the trace). */
export interface NemesisObserver {
  faultStarted(fault: Fault): void;
  faultEnded(fault: Fault): void;
}

export interface ApplyOptions {
  /**
   * One failure at a time, as the cluster sees it: a fault starts only when no other fault is active and
   * `healthy()` holds (e.g. every partition's ISR is full again), waiting (polling every `pollMs`) if not.
   * Without it, a fault that ended may still be in effect (a restarted broker is fenced and out of the ISR
   * until it has caught up), so the next one would make two failures at once.
   */
  readonly oneAtATime?: { readonly healthy: () => boolean; readonly pollMs: number };
  /** Faults not yet started by this time are dropped (the heal). */
  readonly untilMs?: number;
}

/** Schedules every fault of `faults` on the simulation's clock. */
export function applySchedule(sim: Simulation, faults: readonly Fault[], observer?: NemesisObserver, options: ApplyOptions = {}): void {
  const gate = options.oneAtATime;
  const untilMs = options.untilMs ?? Infinity;
  if (gate === undefined) {
    for (const fault of faults) {
      sim.scheduler.at(Math.max(fault.atMs, sim.now()), () => {
        if (sim.now() < untilMs) run(sim, fault, observer, () => {});
      });
    }
    return;
  }
  // Faults go one after another, each waiting for its time, the end of the previous one, and health.
  const queue = [...faults].sort((a, b) => a.atMs - b.atMs);
  const next = (): void => {
    const fault = queue.shift();
    if (fault === undefined) return;
    const tryStart = (): void => {
      if (sim.now() >= untilMs) return;
      if (!gate.healthy()) {
        sim.scheduler.after(gate.pollMs, tryStart);
        return;
      }
      run(sim, fault, observer, next);
    };
    sim.scheduler.at(Math.max(fault.atMs, sim.now()), tryStart);
  };
  next();
}

/** Starts a fault, ends it `durationMs` later, then calls `ended` (also at once if it could not start). */
function run(sim: Simulation, fault: Fault, observer: NemesisObserver | undefined, ended: () => void): void {
  if (!start(sim, fault)) {
    ended();
    return;
  }
  observer?.faultStarted(fault);
  sim.scheduler.after(fault.durationMs, () => {
    end(sim, fault);
    observer?.faultEnded(fault);
    ended();
  });
}

/** Starts a fault; false when it cannot apply now (its node is already down). */
function start(sim: Simulation, fault: Fault): boolean {
  const others = sim.nodeIds().filter((id) => id !== fault.target);
  switch (fault.kind) {
    case 'crash':
      if (sim.status(fault.target) !== 'up') return false;
      sim.crash(fault.target);
      return true;
    case 'power-loss':
      if (sim.status(fault.target) !== 'up') return false;
      sim.powerLoss(fault.target);
      return true;
    case 'isolate':
      sim.isolate(fault.target);
      return true;
    case 'partition-one-way-in':
      sim.partition(others, [fault.target], { oneWay: true });
      return true;
    case 'partition-one-way-out':
      sim.partition([fault.target], others, { oneWay: true });
      return true;
  }
}

function end(sim: Simulation, fault: Fault): void {
  switch (fault.kind) {
    case 'crash':
    case 'power-loss':
      if (sim.status(fault.target) === 'crashed') sim.restart(fault.target);
      return;
    case 'isolate':
    case 'partition-one-way-in':
    case 'partition-one-way-out':
      sim.heal();
      return;
  }
}

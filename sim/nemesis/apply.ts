// Applying a fault schedule to a simulation: each fault starts at its time (resolving its target then), ends
// cleanly durationMs later, and is recorded in the trace (so the trace hash covers the faults) and told to an
// observer (so the history records which nodes were hit). A story step's faults go through the same run
// (inject): the same effects and ledger, so a step's fault and a scheduled one undo only their own part.

import type { NodeId } from '../../engine/runtime.ts';
import type { EventId } from '../scheduler.ts';
import type { Simulation } from '../simulation.ts';
import { NemesisError } from './error.ts';
import { intensityOf, intensityProblem, validateFault, type Fault, type FaultKind } from './fault.ts';
import { FaultEffects, type SkippedFault, type StartedFault } from './fault-effects.ts';
import { resolveTarget, type FaultTargets } from './target.ts';

/** Observes faults as they start, end or are skipped (for the history and reports). */
export interface NemesisObserver {
  /** `nodes`: who the target resolved to and the fault hit; `detail`: what it did, in a sentence. */
  faultStarted(fault: Fault, nodes: readonly NodeId[], detail: string): void;
  faultEnded(fault: Fault, nodes: readonly NodeId[]): void;
  /** The fault did not start: its target resolved to nobody, every target was already down, the heal came. */
  faultSkipped(fault: Fault, why: string): void;
}

export interface ApplyOptions {
  /**
   * One failure at a time, as the cluster sees it: a fault starts only when no other fault is active and
   * `healthy()` holds (e.g. every partition's ISR is full again), waiting (polling every `pollMs`) if not.
   * Without it, a fault that ended may still be in effect (a restarted broker is fenced and out of the ISR
   * until it has caught up), so the next one would make two failures at once.
   */
  readonly oneAtATime?: { readonly healthy: () => boolean; readonly pollMs: number };
  /** Faults not yet started by this time are skipped (the heal). */
  readonly untilMs?: number;
}

/**
 * A fault a story step starts now and ends when the story says: a kind of the vocabulary on the nodes named,
 * or a partition between two sets of nodes (a split the target grammar does not name).
 */
export type StoryFault =
  | { readonly kind: FaultKind; readonly nodes: readonly NodeId[]; readonly intensity?: number }
  | { readonly kind: 'partition'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[]; readonly oneWay: boolean };

/** A schedule being applied. */
export interface NemesisRun {
  /** The schedule's faults in effect now. */
  activeFaults(): Fault[];
  /**
   * Starts a story's fault now; it lasts until its end() (which does nothing the second time). Traced like
   * the schedule's faults, not told to the observer (the story records its own). A NemesisError for a node
   * that does not exist or an intensity the kind does not take.
   */
  inject(fault: StoryFault): StartedFault | SkippedFault;
  /** Whether a fault that keeps nodes down (crash, power-loss, controlled-shutdown, a disk fault) holds `node`. */
  holdsDown(node: NodeId): boolean;
  /** The heal: ends every active fault of the schedule now and skips every fault not yet started. */
  endAll(): void;
}

interface Active {
  readonly fault: Fault;
  readonly started: StartedFault;
  readonly endEvent: EventId;
  readonly after: () => void;
}

const NEMESIS = 'nemesis';
const STORY = 'script';
const NO_EVENT = -1;

/**
 * Schedules every fault of `faults` on the simulation's clock. Every fault is checked first (a NemesisError
 * naming `faults[i]` and the field); node names must be nodes of `sim`.
 */
export function applySchedule(
  sim: Simulation,
  faults: readonly Fault[],
  targets: FaultTargets,
  observer?: NemesisObserver,
  options: ApplyOptions = {},
): NemesisRun {
  const nodes = sim.nodeIds();
  faults.forEach((fault, i) => validateFault(fault, `faults[${i}]`, nodes));
  return new Nemesis(sim, targets, observer, options).schedule(faults);
}

class Nemesis implements NemesisRun {
  private readonly effects: FaultEffects;
  private readonly active: Active[] = [];
  /** Faults not started yet (by their place in the schedule), with the event that will try to start each. */
  private readonly pending = new Map<number, { readonly fault: Fault; event: EventId }>();
  private readonly untilMs: number;
  private closed = false;

  constructor(
    private readonly sim: Simulation,
    private readonly targets: FaultTargets,
    private readonly observer: NemesisObserver | undefined,
    private readonly options: ApplyOptions,
  ) {
    this.effects = new FaultEffects(sim, targets);
    this.untilMs = options.untilMs ?? Infinity;
  }

  schedule(faults: readonly Fault[]): this {
    const scheduler = this.sim.scheduler;
    const gate = this.options.oneAtATime;
    const order = faults.map((fault, index) => ({ fault, index }));
    if (gate === undefined) {
      for (const { fault, index } of order) {
        this.pending.set(index, { fault, event: scheduler.at(Math.max(fault.atMs, this.sim.now()), () => {
          this.pending.delete(index);
          this.run(fault, () => {});
        }) });
      }
      return this;
    }
    // One after another, each waiting for its time, the end of the previous one, and health.
    const queue = order.sort((a, b) => a.fault.atMs - b.fault.atMs || a.index - b.index);
    for (const { fault, index } of queue) this.pending.set(index, { fault, event: NO_EVENT });
    const next = (): void => {
      const item = queue.shift();
      if (item === undefined || this.closed) return;
      const waiting = this.pending.get(item.index)!;
      const tryStart = (): void => {
        if (this.sim.now() < this.untilMs && !gate.healthy()) {
          waiting.event = scheduler.after(gate.pollMs, tryStart);
          return;
        }
        this.pending.delete(item.index);
        this.run(item.fault, next);
      };
      waiting.event = scheduler.at(Math.max(item.fault.atMs, this.sim.now()), tryStart);
    };
    next();
    return this;
  }

  activeFaults(): Fault[] {
    return this.active.map((entry) => entry.fault);
  }

  inject(fault: StoryFault): StartedFault | SkippedFault {
    const named = fault.kind === 'partition' ? [...fault.from, ...fault.to] : fault.nodes;
    const known = this.sim.nodeIds();
    for (const node of named) {
      if (!known.includes(node)) throw new NemesisError(`${fault.kind}: there is no node named ${node}; nodes are ${known.join(', ')}`);
    }
    let outcome: StartedFault | SkippedFault;
    if (fault.kind === 'partition') {
      outcome = this.effects.partition(fault.from, fault.to, fault.oneWay);
    } else {
      if (fault.intensity !== undefined) {
        const problem = intensityProblem(fault.kind, fault.intensity);
        if (problem !== undefined) throw new NemesisError(`${fault.kind}: ${problem}`);
      }
      outcome = named.length === 0 ? { skipped: 'it names no node' } : this.effects.start(fault, [...new Set(named)]);
    }
    if ('skipped' in outcome) {
      this.sim.record(STORY, 'fault-skip', { kind: fault.kind, nodes: named.join(','), why: outcome.skipped });
      return outcome;
    }
    const started = outcome;
    const intensity = fault.kind === 'partition' ? undefined : intensityOf(fault);
    this.sim.record(STORY, 'fault-start', { kind: fault.kind, nodes: started.nodes.join(','), intensity: intensity ?? null, detail: started.detail });
    let ended = false;
    return {
      nodes: started.nodes,
      detail: started.detail,
      end: () => {
        if (ended) return;
        ended = true;
        started.end();
        this.sim.record(STORY, 'fault-end', { kind: fault.kind, nodes: started.nodes.join(',') });
      },
    };
  }

  holdsDown(node: NodeId): boolean {
    return this.effects.holdsDown(node);
  }

  endAll(): void {
    this.closed = true;
    while (this.active.length > 0) {
      const entry = this.active[0];
      this.sim.scheduler.cancel(entry.endEvent);
      this.end(entry);
    }
    const pending = [...this.pending.entries()].sort(([a], [b]) => a - b);
    this.pending.clear();
    for (const [, { fault, event }] of pending) {
      if (event !== NO_EVENT) this.sim.scheduler.cancel(event);
      this.skip(fault, 'the heal came before it started');
    }
  }

  /** Starts a fault, ends it `durationMs` later, then calls `after` (at once if it did not start). */
  private run(fault: Fault, after: () => void): void {
    if (this.closed || this.sim.now() >= this.untilMs) {
      this.skip(fault, 'the heal came before it started');
      after();
      return;
    }
    const nodes = resolveTarget(fault.target, this.targets);
    if (nodes.length === 0) {
      this.skip(fault, `${fault.target} resolves to no node now`);
      after();
      return;
    }
    const outcome = this.effects.start(fault, nodes);
    if ('skipped' in outcome) {
      this.skip(fault, outcome.skipped);
      after();
      return;
    }
    const intensity = intensityOf(fault);
    this.sim.record(NEMESIS, 'fault-start', {
      kind: fault.kind,
      target: fault.target,
      nodes: outcome.nodes.join(','),
      durationMs: fault.durationMs,
      intensity: intensity ?? null,
      detail: outcome.detail,
    });
    this.observer?.faultStarted(fault, outcome.nodes, outcome.detail);
    const entry: Active = {
      fault,
      started: outcome,
      after,
      endEvent: this.sim.scheduler.after(fault.durationMs, () => this.end(entry)),
    };
    this.active.push(entry);
  }

  private end(entry: Active): void {
    this.active.splice(this.active.indexOf(entry), 1);
    entry.started.end();
    this.sim.record(NEMESIS, 'fault-end', { kind: entry.fault.kind, target: entry.fault.target, nodes: entry.started.nodes.join(',') });
    this.observer?.faultEnded(entry.fault, entry.started.nodes);
    entry.after();
  }

  private skip(fault: Fault, why: string): void {
    this.sim.record(NEMESIS, 'fault-skip', { kind: fault.kind, target: fault.target, why });
    this.observer?.faultSkipped(fault, why);
  }
}

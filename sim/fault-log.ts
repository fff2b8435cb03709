// Faults as they happen, in the history (for checkers and reports) and as intervals (result.json's `faults`,
// the report's fault lane): the nemesis's observer for a schedule's faults, and the record a story's faults
// are written to (sim/script.ts).

import type { NodeId } from '../engine/runtime.ts';
import type { HistoryRecorder } from './history.ts';
import type { Fault, NemesisObserver } from './nemesis.ts';
import type { FaultInterval } from './result.ts';

export class FaultLog implements NemesisObserver {
  private readonly open = new Map<object, { historyId: number; index: number }>();
  private readonly done: Array<{ -readonly [K in keyof FaultInterval]: FaultInterval[K] }> = [];

  constructor(private readonly history: HistoryRecorder) {}

  /** The schedule's faults that started, at the time they did (a gated fault may start later than planned). */
  readonly started: Fault[] = [];

  faultStarted(fault: Fault, nodes: readonly NodeId[], detail: string): void {
    this.started.push({ ...fault, atMs: this.history.nowMs() });
    this.start(fault, fault.kind, fault.target, nodes, detail);
  }

  faultEnded(fault: Fault): void {
    this.end(fault);
  }

  /** A fault whose target resolved to nobody (no leader at that instant): the nemesis traces it; nothing to draw. */
  faultSkipped(): void {}

  /** Starts an interval keyed by `key` (a fault, or a story's fault handle). */
  start(key: object, kind: string, target: string, nodes: readonly NodeId[], detail: string | null): void {
    const historyId = this.history.faultStart(kind, [...nodes], detail ?? undefined);
    this.open.set(key, { historyId, index: this.done.length });
    this.done.push({ kind, target, nodes: [...nodes], startMs: this.history.nowMs(), endMs: null, detail });
  }

  end(key: object): void {
    const entry = this.open.get(key);
    if (entry === undefined) return;
    this.open.delete(key);
    this.history.faultEnd(entry.historyId);
    this.done[entry.index]!.endMs = this.history.nowMs();
  }

  /** The heal: every open interval ends now. */
  endAll(): void {
    for (const key of [...this.open.keys()]) this.end(key);
  }

  intervals(): FaultInterval[] {
    return this.done.map((interval) => ({ ...interval }));
  }
}

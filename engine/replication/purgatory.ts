// Requests that wait for something to happen on a partition, or for their timeout (Kafka's purgatory).
//
// An operation is watched under one or more keys (a partition and what it waits for there). Whoever changes
// that state calls checkAndComplete(key); the operations watched under it try to complete, and those that do
// leave every watch list. An operation that times out runs its expiration and leaves too. Completion and
// expiration each happen at most once.

import type { TimerId } from '../runtime.ts';

export interface Timers {
  setTimer(delayMs: number, callback: () => void): TimerId;
  cancelTimer(id: TimerId): void;
}

export interface DelayedOperation {
  /** The keys to watch (e.g. `hw:orders-0`). */
  readonly keys: readonly string[];
  /** Completes (answering the request) if it can; returns true if it did. */
  tryComplete(): boolean;
  /** The timeout passed: answer with what there is. */
  onExpiration(): void;
}

interface Watched {
  readonly operation: DelayedOperation;
  timer: TimerId | undefined;
  finished: boolean;
}

export class Purgatory {
  private readonly watchers = new Map<string, Set<Watched>>();
  private pending = 0;

  constructor(private readonly timers: Timers) {}

  /** Operations waiting. */
  get size(): number {
    return this.pending;
  }

  /** Completes `operation` now if it can, otherwise watches it until it can or `timeoutMs` passes. */
  tryCompleteElseWatch(operation: DelayedOperation, timeoutMs: number): void {
    if (!operation.tryComplete()) this.watch(operation, timeoutMs);
  }

  /** Watches `operation` (which the caller has just found incomplete) until it completes or times out. */
  watch(operation: DelayedOperation, timeoutMs: number): void {
    const watched: Watched = { operation, timer: undefined, finished: false };
    for (const key of operation.keys) {
      let set = this.watchers.get(key);
      if (set === undefined) {
        set = new Set();
        this.watchers.set(key, set);
      }
      set.add(watched);
    }
    this.pending++;
    watched.timer = this.timers.setTimer(Math.max(0, timeoutMs), () => {
      watched.timer = undefined;
      if (watched.finished) return;
      this.finish(watched);
      operation.onExpiration();
    });
  }

  /** Lets the operations watched under `key` try to complete. */
  checkAndComplete(key: string): void {
    const set = this.watchers.get(key);
    if (set === undefined) return;
    for (const watched of [...set]) {
      if (watched.finished) continue;
      if (watched.operation.tryComplete()) this.finish(watched);
    }
  }

  private finish(watched: Watched): void {
    watched.finished = true;
    this.pending--;
    if (watched.timer !== undefined) {
      this.timers.cancelTimer(watched.timer);
      watched.timer = undefined;
    }
    // An emptied set stays under its key: keys are few (a partition and what waits on it), and a fetch
    // is watched again a moment later, so dropping and re-creating the set would only churn memory.
    for (const key of watched.operation.keys) this.watchers.get(key)?.delete(watched);
  }
}

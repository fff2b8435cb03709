// Answers waiting for the metadata log to commit (Kafka's ControllerPurgatory).
//
// The active controller applies its own records at once, so that the next request sees them, but answers a
// request only once the records it wrote (or, if it wrote none, everything written before it) are committed:
// an answer never reveals state that a controller failover could still undo. If leadership is lost first,
// the waiting requests are failed (NOT_CONTROLLER) and their clients retry with the new controller.

import { invariantWith } from '../invariants.ts';

interface Waiter {
  readonly offset: number;
  readonly complete: () => void;
  readonly fail: () => void;
}

export class ControllerPurgatory {
  /** In offset order: offsets are added in the order records are written. */
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** Runs `complete` once `offset` is committed, or `fail` if leadership is lost before that. */
  add(offset: number, complete: () => void, fail: () => void): void {
    const last = this.waiters[this.waiters.length - 1];
    invariantWith(last === undefined || last.offset <= offset, 'lifecycle', 'controller-purgatory', () => `waiting offsets must not decrease: ${offset} after ${last!.offset}`);
    this.waiters.push({ offset, complete, fail });
  }

  /** Completes every waiter at or below `committedOffset`. */
  completeUpTo(committedOffset: number): void {
    let done = 0;
    while (done < this.waiters.length && this.waiters[done].offset <= committedOffset) done++;
    if (done === 0) return;
    const ready = this.waiters.slice(0, done);
    this.waiters = this.waiters.slice(done);
    for (const waiter of ready) waiter.complete();
  }

  failAll(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.fail();
  }
}

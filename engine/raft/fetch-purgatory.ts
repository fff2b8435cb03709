// Fetches the leader holds (long poll): a fetch at the log end, when the fetcher already knows the high
// watermark, waits until new records are appended, the high watermark moves, or its wait runs out — so
// that idle followers do not spin. One held fetch per fetcher: a newer one replaces it.

import type { NodeId } from '../runtime.ts';
import type { RaftFetchRequest } from './messages.ts';

export interface HeldFetch {
  readonly from: NodeId;
  readonly request: RaftFetchRequest;
  readonly deadlineMs: number;
}

export class FetchPurgatory {
  private readonly held = new Map<NodeId, HeldFetch>();
  /** The high watermark last sent to each fetcher in this leadership. */
  private readonly highWatermarkSent = new Map<NodeId, number>();

  hold(fetch: HeldFetch): void {
    this.held.set(fetch.from, fetch);
  }

  /** Removes and returns the fetches that can be answered now. */
  takeReady(nowMs: number, logEndOffset: number, highWatermark: number): HeldFetch[] {
    const ready: HeldFetch[] = [];
    for (const fetch of this.held.values()) {
      if (nowMs >= fetch.deadlineMs || logEndOffset > fetch.request.fetchOffset || this.knowsOlderHighWatermark(fetch.from, highWatermark)) {
        ready.push(fetch);
      }
    }
    for (const fetch of ready) this.held.delete(fetch.from);
    return ready;
  }

  knowsOlderHighWatermark(from: NodeId, highWatermark: number): boolean {
    return (this.highWatermarkSent.get(from) ?? -1) < highWatermark;
  }

  recordSent(from: NodeId, highWatermark: number): void {
    this.highWatermarkSent.set(from, highWatermark);
  }

  drop(from: NodeId): void {
    this.held.delete(from);
  }

  /** Removes and returns every held fetch, and forgets what was sent (a leadership ended). */
  clear(): HeldFetch[] {
    const all = [...this.held.values()];
    this.held.clear();
    this.highWatermarkSent.clear();
    return all;
  }

  nextDeadlineMs(): number {
    let deadlineMs = Infinity;
    for (const fetch of this.held.values()) if (fetch.deadlineMs < deadlineMs) deadlineMs = fetch.deadlineMs;
    return deadlineMs;
  }
}

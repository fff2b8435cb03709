// Outstanding requests, one per destination at a time (Kafka's raft RequestManager).
//
// A destination is ready when nothing is in flight to it and no backoff runs. A request with no answer after
// controller.quorum.request.timeout.ms is given up (its late answer will be ignored) and the destination
// backs off for controller.quorum.retry.backoff.ms; so does one whose connection reset. A state change forgets
// everything in flight: answers to the old state's requests are stale.

import type { NodeId } from '../runtime.ts';

interface Destination {
  /** -1 when nothing is in flight. */
  correlationId: number;
  sentMs: number;
  backoffUntilMs: number;
}

export class RequestManager {
  private readonly destinations = new Map<NodeId, Destination>();

  constructor(
    private readonly requestTimeoutMs: number,
    private readonly retryBackoffMs: number,
  ) {}

  isReady(node: NodeId, nowMs: number): boolean {
    const destination = this.destinations.get(node);
    if (destination === undefined) return true;
    if (destination.correlationId >= 0 && nowMs >= destination.sentMs + this.requestTimeoutMs) this.fail(destination, nowMs);
    return destination.correlationId < 0 && nowMs >= destination.backoffUntilMs;
  }

  onSent(node: NodeId, correlationId: number, nowMs: number): void {
    const destination = this.destinations.get(node);
    if (destination === undefined) this.destinations.set(node, { correlationId, sentMs: nowMs, backoffUntilMs: 0 });
    else {
      destination.correlationId = correlationId;
      destination.sentMs = nowMs;
    }
  }

  /** True if this is the answer awaited from `node`; it is no longer in flight then. */
  onResponse(node: NodeId, correlationId: number): boolean {
    const destination = this.destinations.get(node);
    if (destination === undefined || destination.correlationId !== correlationId) return false;
    destination.correlationId = -1;
    return true;
  }

  /** The request to `node` failed (an error answer, a reset connection): retry after the backoff. */
  onFailure(node: NodeId, nowMs: number): void {
    const destination = this.destinations.get(node);
    if (destination === undefined) this.destinations.set(node, { correlationId: -1, sentMs: 0, backoffUntilMs: nowMs + this.retryBackoffMs });
    else this.fail(destination, nowMs);
  }

  resetAll(): void {
    this.destinations.clear();
  }

  /** The earliest time after `nowMs` a destination becomes ready again (a timeout or a backoff ends), or Infinity. */
  nextWakeMs(nowMs: number): number {
    let wakeMs = Infinity;
    for (const destination of this.destinations.values()) {
      const atMs = destination.correlationId >= 0 ? destination.sentMs + this.requestTimeoutMs : destination.backoffUntilMs;
      if (atMs > nowMs && atMs < wakeMs) wakeMs = atMs;
    }
    return wakeMs;
  }

  private fail(destination: Destination, nowMs: number): void {
    destination.correlationId = -1;
    destination.backoffUntilMs = nowMs + this.retryBackoffMs;
  }
}

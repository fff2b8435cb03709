// The run's trace: every structured event a node or the simulator records, folded into one hash.
//
// The trace hash is the determinism witness: it depends only on (scenario, seed, code). Two runs of one seed,
// in the main thread or in a worker, must give the same hash; a replay fails when they differ. Events are
// rendered as canonical text (time, node, event, fields in the order given) and hashed with SHA-256 in chunks,
// so hashing costs one native call per ~64 KiB of trace rather than one per event.

import { createHash, type Hash } from 'node:crypto';
import type { TraceFields, TraceValue } from '../engine/runtime.ts';

const FLUSH_CHARS = 64 * 1024;

export interface TraceEvent {
  readonly timeMs: number;
  readonly node: string;
  readonly event: string;
  readonly fields: TraceFields | undefined;
}

/** Receives every trace event, for reports and debugging; the hash does not depend on listeners. */
export type TraceListener = (event: TraceEvent) => void;

export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';
  private count = 0;
  private digest: string | undefined;
  private readonly listeners: TraceListener[] = [];

  /** Number of events recorded. */
  eventCount(): number {
    return this.count;
  }

  onEvent(listener: TraceListener): void {
    this.listeners.push(listener);
  }

  record(timeMs: number, node: string, event: string, fields?: TraceFields): void {
    if (this.digest !== undefined) throw new Error(`trace event ${event} recorded after the trace hash was taken`);
    this.count++;
    let line = `${timeMs} ${node} ${event}`;
    if (fields !== undefined) {
      for (const key in fields) line += ` ${key}=${render(fields[key])}`;
    }
    this.pending += line + '\n';
    if (this.pending.length >= FLUSH_CHARS) this.flush();
    if (this.listeners.length > 0) {
      const traceEvent: TraceEvent = { timeMs, node, event, fields };
      for (const listener of this.listeners) listener(traceEvent);
    }
  }

  /** The SHA-256 of every event, hex. Ends the trace: no event may follow. */
  finish(): string {
    if (this.digest === undefined) {
      this.flush();
      this.digest = this.hash.digest('hex');
    }
    return this.digest;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending);
    this.pending = '';
  }
}

function render(value: TraceValue): string {
  // JSON for strings keeps spaces and '=' in values from blurring field boundaries.
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

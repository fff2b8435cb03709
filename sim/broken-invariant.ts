// An engine invariant broken while a simulated node handled one of its events: the violation, and where and
// when it happened. The node's incarnation (incarnation.ts) turns the engine's InvariantViolation into this at
// the event boundary, where it knows which node ran what; the cluster run catches it, stops the run there and
// reports an `invariant` anomaly (sim/checkers/invariant.ts). Any other error still escapes unchanged: a plain
// bug fails loudly.

import { INVARIANTS, InvariantViolation } from '../engine/invariants.ts';
import type { Message, NodeId } from '../engine/runtime.ts';

/** What a node was doing when the invariant broke. */
export type NodeEvent = 'timer' | 'message' | 'connection-reset' | 'disk-completion' | 'start';

export class BrokenInvariant extends Error {
  override readonly name = 'BrokenInvariant';

  constructor(
    readonly violation: InvariantViolation,
    /** The node whose event broke it; null when the harness called into the engine outside any node's event. */
    readonly node: NodeId | null,
    /** Which life of the node (0 at start, +1 per restart); -1 with no node. */
    readonly incarnation: number,
    readonly timeMs: number,
    /** The event in words: `a Fetch message from broker-2`, `a timer`, `its start (recovery from disk)`. */
    readonly event: string,
  ) {
    super(
      `invariant ${violation.invariant} broken ${node === null ? 'outside any node' : `on ${node}`} at ${timeMs} ms ` +
        `while handling ${event}, for ${violation.subject}: ${violation.detail} (${INVARIANTS[violation.invariant]})`,
      { cause: violation },
    );
  }
}

/** The event in words, built only when an invariant broke (never on the hot path). */
export function describeEvent(event: NodeEvent, peer?: NodeId, message?: Message): string {
  switch (event) {
    case 'timer':
      return 'a timer';
    case 'message':
      return `a ${message?.type ?? 'message'} message from ${peer}`;
    case 'connection-reset':
      return `the reset of its connection to ${peer}`;
    case 'disk-completion':
      return 'a disk completion (fsync)';
    case 'start':
      return 'its start (recovery from disk)';
  }
}

/**
 * The broken invariant an error carries, or null if it is anything else: a BrokenInvariant as it is, a bare
 * InvariantViolation (thrown where the harness called into the engine directly, e.g. a producer's send() from
 * the workload's clock) with no node.
 */
export function asBrokenInvariant(error: unknown, timeMs: number): BrokenInvariant | null {
  if (error instanceof BrokenInvariant) return error;
  if (error instanceof InvariantViolation) return new BrokenInvariant(error, null, -1, timeMs, 'a call from the harness outside any node event');
  return null;
}

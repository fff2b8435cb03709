// The engine's named invariants, asserted where the state they govern changes (TigerBeetle style).
//
// A broken invariant is a bug in the engine (or corruption it failed to refuse), never bad input: the node
// throws InvariantViolation at the event that broke it, and the simulator ends that run with an anomaly of
// its own kind (`invariant`) naming the invariant, the node, the subject and the event, instead of letting a
// wrong state run on until an end-of-run checker (maybe) notices.
//
// Checks sit on hot paths (every append, every high-watermark move), so `invariant` takes the values it
// compares as plain arguments and builds its message only when the check fails: no closure, no string, no
// object per call. Cold paths with a richer story to tell use `invariantWith` and a lazy message.

/** Every invariant, by name, with the sentence it asserts. */
export const INVARIANTS = {
  // Partition replicas (engine/replication)
  'high-watermark-within-log': "a replica's high watermark lies within its log: log start <= high watermark <= log end",
  'leader-high-watermark-monotonic': "a leader's high watermark never falls while it leads an epoch",
  'no-truncation-below-high-watermark':
    'with leader epochs, clean elections and every write fsynced, a replica never truncates below its high watermark',
  'isr-within-replicas': 'the ISR is a non-empty subset of the replicas and holds the leader',
  'epoch-cache-monotonic': "a log's leader epoch cache rises in both epoch and start offset",
  'producer-sequence-contiguous': "an idempotent producer's batches that a leader appends carry contiguous sequence numbers within an epoch",
  'follower-appends-at-log-end': "a follower's fetched batches start at its log end offset",
  // Controller (engine/controller)
  'isr-never-empty-without-elr': 'a partition change never empties the ISR unless eligible leader replicas keep the partition electable',
  'leader-epoch-rises-on-leader-change': 'every change of a partition leader raises its leader epoch',
  // Log internals (engine/log): segments, indexes, the append path
  'log-structure': "a partition log's segments, indexes and offsets agree with each other",
  'segment-append-at-end': "a segment's append lands at the segment's end",
  'index-entries-rise': 'offset and time index entries rise and fit in 32 bits relative to their segment',
  'index-entry-exists': 'an index is read and written only within its entries and capacity',
  // Any component
  lifecycle: 'a component is used only in the states it allows: shut down once, answered once, asked only where it holds the state',
  'record-encoding': 'an encoded record batch is exactly as long as the lengths it writes',
  // Raft (engine/raft)
  'raft-state-transition': 'a Raft replica moves between roles only along the transitions KRaft allows',
  'raft-log-consistency': "a Raft log never truncates below its high watermark and its committed batches are contiguous",
} as const;

export type InvariantName = keyof typeof INVARIANTS;

/** An invariant does not hold: the engine is wrong, so the run stops at this event. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  constructor(
    readonly invariant: InvariantName,
    /** What it is about: a partition (`orders-0`), a log directory, a Raft replica. */
    readonly subject: string,
    /** The values that break it. */
    readonly detail: string,
  ) {
    super(`invariant ${invariant} broken for ${subject}: ${detail} (${INVARIANTS[invariant]})`);
  }
}

/**
 * Asserts `ok`. On a hot path: pass the compared values as `a` and `b` (and `c`); the message names them
 * only if the check fails.
 */
export function invariant(ok: boolean, name: InvariantName, subject: string, a?: number, b?: number, c?: number): asserts ok {
  if (!ok) throw new InvariantViolation(name, subject, describeValues(name, a, b, c));
}

/** Asserts `ok` with a message built only on failure (cold paths). */
export function invariantWith(ok: boolean, name: InvariantName, subject: string, detail: () => string): asserts ok {
  if (!ok) throw new InvariantViolation(name, subject, detail());
}

/** What the plain values of a failed hot-path check mean, per invariant. */
function describeValues(name: InvariantName, a: number | undefined, b: number | undefined, c: number | undefined): string {
  switch (name) {
    case 'high-watermark-within-log':
      return `high watermark ${a} outside [log start ${c}, log end ${b}]`;
    case 'leader-high-watermark-monotonic':
      return `high watermark would fall from ${a} to ${b} in leader epoch ${c}`;
    case 'no-truncation-below-high-watermark':
      return `truncation to ${a} is below the high watermark ${b}`;
    case 'epoch-cache-monotonic':
      return `entry (epoch ${a}, start ${b}) does not rise above the previous entry`;
    case 'producer-sequence-contiguous':
      return `producer ${a}: batch sequence ${b} does not follow ${c}`;
    case 'follower-appends-at-log-end':
      return `fetched batches start at ${a}, the log ends at ${b}`;
    case 'segment-append-at-end':
      return `appended at byte ${a}, the segment holds ${b}`;
    case 'index-entries-rise':
      return `entry for offset ${a} (position or timestamp ${b}) after offset ${c}`;
    case 'index-entry-exists':
      return `entry ${a} of ${b}`;
    case 'leader-epoch-rises-on-leader-change':
      return `leader changed with leader epoch ${a} -> ${b}`;
    default:
      return [a, b, c].filter((value) => value !== undefined).join(', ');
  }
}

// The event queue of one simulated world, ordered by (time, sequence), with a virtual clock.
//
// Time jumps to the next event: a run is as fast as its events allow. Two events at the same simulated time
// run in the order they were scheduled (the sequence number breaks ties), which keeps a run deterministic.
//
// The queue is a binary min-heap over parallel arrays (time, sequence, slot) rather than an array of objects:
// comparisons read two numbers from typed storage, and scheduling an event allocates nothing but its callback.

export type EventId = number;
export type EventCallback = () => void;

const INITIAL_CAPACITY = 1024;

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
}

export class Scheduler {
  private nowMs = 0;
  private nextSequence = 0;
  private eventsRun = 0;

  // Heap storage: entry i has times[i], sequences[i]; callbacks live in a slot table so cancel is O(1).
  private times = new Float64Array(INITIAL_CAPACITY);
  private sequences = new Float64Array(INITIAL_CAPACITY);
  private heapSize = 0;
  // Callback per sequence number still pending; a cancelled event keeps its heap entry and is skipped.
  private readonly callbacks = new Map<number, EventCallback>();

  /** Current simulated time in milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** Number of events run so far. */
  eventCount(): number {
    return this.eventsRun;
  }

  /** Number of events scheduled and not yet run or cancelled. */
  pendingCount(): number {
    return this.callbacks.size;
  }

  /** Runs `callback` at simulated time `timeMs` (not before now). */
  at(timeMs: number, callback: EventCallback): EventId {
    if (!(timeMs >= this.nowMs)) {
      throw new SchedulerError(`cannot schedule an event at ${timeMs} ms: the clock is already at ${this.nowMs} ms`);
    }
    const sequence = this.nextSequence++;
    this.callbacks.set(sequence, callback);
    this.push(timeMs, sequence);
    return sequence;
  }

  /** Runs `callback` `delayMs` from now. */
  after(delayMs: number, callback: EventCallback): EventId {
    if (!(delayMs >= 0)) throw new SchedulerError(`a delay must be a number >= 0, got ${delayMs}`);
    return this.at(this.nowMs + delayMs, callback);
  }

  /** Cancels a pending event; no effect if it already ran or was cancelled. */
  cancel(id: EventId): void {
    this.callbacks.delete(id);
  }

  /** Time of the next pending event, or Infinity. */
  peekTimeMs(): number {
    this.dropCancelledHead();
    return this.heapSize === 0 ? Infinity : this.times[0];
  }

  /** Runs the next event. Returns false when nothing is pending. */
  step(): boolean {
    while (this.heapSize > 0) {
      const timeMs = this.times[0];
      const sequence = this.sequences[0];
      this.pop();
      const callback = this.callbacks.get(sequence);
      if (callback === undefined) continue; // cancelled
      this.callbacks.delete(sequence);
      this.nowMs = timeMs;
      this.eventsRun++;
      callback();
      return true;
    }
    return false;
  }

  /** Runs every event up to and including `timeMs`, then moves the clock to `timeMs`. */
  runUntil(timeMs: number): void {
    if (timeMs < this.nowMs) throw new SchedulerError(`runUntil(${timeMs}) is in the past: the clock is at ${this.nowMs} ms`);
    while (this.peekTimeMs() <= timeMs) this.step();
    this.nowMs = timeMs;
  }

  /** Runs until nothing is pending, or `maxEvents` have run. Returns the number run. */
  run(maxEvents = Infinity): number {
    let count = 0;
    while (count < maxEvents && this.step()) count++;
    return count;
  }

  private dropCancelledHead(): void {
    while (this.heapSize > 0 && !this.callbacks.has(this.sequences[0])) this.pop();
  }

  private push(timeMs: number, sequence: number): void {
    if (this.heapSize === this.times.length) this.grow();
    const times = this.times;
    const sequences = this.sequences;
    let i = this.heapSize++;
    // Sift up: move parents down until the new entry's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < timeMs || (pt === timeMs && sequences[parent] < sequence)) break;
      times[i] = pt;
      sequences[i] = sequences[parent];
      i = parent;
    }
    times[i] = timeMs;
    sequences[i] = sequence;
  }

  private pop(): void {
    const times = this.times;
    const sequences = this.sequences;
    const size = --this.heapSize;
    if (size === 0) return;
    const timeMs = times[size];
    const sequence = sequences[size];
    let i = 0;
    // Sift down the former last entry from the root.
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size) {
        const ct = times[child];
        const rt = times[right];
        if (rt < ct || (rt === ct && sequences[right] < sequences[child])) child = right;
      }
      const ct = times[child];
      if (timeMs < ct || (timeMs === ct && sequence < sequences[child])) break;
      times[i] = ct;
      sequences[i] = sequences[child];
      i = child;
    }
    times[i] = timeMs;
    sequences[i] = sequence;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const sequences = new Float64Array(this.sequences.length * 2);
    sequences.set(this.sequences);
    this.sequences = sequences;
  }
}

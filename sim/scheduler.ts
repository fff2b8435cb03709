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
/** Slots per generation in an EventId; also the most events that may be pending at once. */
const MAX_PENDING = 2 ** 24;
/** More events than this at one simulated instant is a livelock (a timer re-arming itself with no delay). */
const MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
}

export class Scheduler {
  private nowMs = 0;
  private nextSequence = 0;
  private eventsRun = 0;
  private eventsAtThisInstant = 0;

  // Heap storage: entry i has times[i], sequences[i] and slots[i]. A slot holds the event's callback until it
  // runs; an EventId names (slot, generation), so cancelling is O(1) and a stale id cannot cancel a reused slot.
  private times = new Float64Array(INITIAL_CAPACITY);
  private sequences = new Float64Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY);
  private heapSize = 0;
  private callbacks: (EventCallback | undefined)[] = [];
  private generations: number[] = [];
  private readonly freeSlots: number[] = [];
  private pending = 0;

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
    return this.pending;
  }

  /** Runs `callback` at simulated time `timeMs` (not before now). */
  at(timeMs: number, callback: EventCallback): EventId {
    if (!(timeMs >= this.nowMs)) {
      throw new SchedulerError(`cannot schedule an event at ${timeMs} ms: the clock is already at ${this.nowMs} ms`);
    }
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.callbacks.length;
      if (slot >= MAX_PENDING) throw new SchedulerError(`more than ${MAX_PENDING} events pending: a runaway loop of timers?`);
      this.callbacks.push(undefined);
      this.generations.push(0);
    }
    this.callbacks[slot] = callback;
    this.pending++;
    this.push(timeMs, this.nextSequence++, slot);
    return this.generations[slot] * MAX_PENDING + slot;
  }

  /** Runs `callback` `delayMs` from now. */
  after(delayMs: number, callback: EventCallback): EventId {
    if (!(delayMs >= 0)) throw new SchedulerError(`a delay must be a number >= 0, got ${delayMs}`);
    return this.at(this.nowMs + delayMs, callback);
  }

  /** Cancels a pending event; no effect if it already ran or was cancelled. */
  cancel(id: EventId): void {
    const slot = id % MAX_PENDING;
    if (this.generations[slot] === (id - slot) / MAX_PENDING && this.callbacks[slot] !== undefined) {
      this.callbacks[slot] = undefined;
      this.pending--;
    }
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
      const slot = this.slots[0];
      this.pop();
      const callback = this.callbacks[slot];
      this.release(slot);
      if (callback === undefined) continue; // cancelled
      this.pending--;
      if (timeMs === this.nowMs) {
        if (++this.eventsAtThisInstant > MAX_EVENTS_AT_ONE_INSTANT) {
          throw new SchedulerError(`livelock: more than ${MAX_EVENTS_AT_ONE_INSTANT} events at simulated time ${timeMs} ms; something re-arms itself with no delay`);
        }
      } else {
        this.eventsAtThisInstant = 0;
      }
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
    while (this.heapSize > 0 && this.callbacks[this.slots[0]] === undefined) {
      const slot = this.slots[0];
      this.pop();
      this.release(slot);
    }
  }

  /** Frees a slot whose heap entry has left the heap; its generation moves on so old ids go stale. */
  private release(slot: number): void {
    this.callbacks[slot] = undefined;
    this.generations[slot]++;
    this.freeSlots.push(slot);
  }

  private push(timeMs: number, sequence: number, slot: number): void {
    if (this.heapSize === this.times.length) this.grow();
    const times = this.times;
    const sequences = this.sequences;
    const slots = this.slots;
    let i = this.heapSize++;
    // Sift up: move parents down until the new entry's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < timeMs || (pt === timeMs && sequences[parent] < sequence)) break;
      times[i] = pt;
      sequences[i] = sequences[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = timeMs;
    sequences[i] = sequence;
    slots[i] = slot;
  }

  private pop(): void {
    const times = this.times;
    const sequences = this.sequences;
    const slots = this.slots;
    const size = --this.heapSize;
    if (size === 0) return;
    const timeMs = times[size];
    const sequence = sequences[size];
    const slot = slots[size];
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
      slots[i] = slots[child];
      i = child;
    }
    times[i] = timeMs;
    sequences[i] = sequence;
    slots[i] = slot;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const sequences = new Float64Array(this.sequences.length * 2);
    sequences.set(this.sequences);
    this.sequences = sequences;
    const slots = new Int32Array(this.slots.length * 2);
    slots.set(this.slots);
    this.slots = slots;
  }
}

// The broker's CPU, as a cost per request and per byte, served by a pool of request handler threads.
//
// Every answered request costs `perRequestMs` plus `perByteMs` for each byte of the request and of its
// response (parsing, CRC checks, copying). The cost runs on the handler thread that frees first (Kafka's
// num.io.threads, 8 by default); the answer leaves when that work is done. So an idle broker adds a few
// microseconds to each answer, and a saturated one queues: throughput is bounded by threads / cost. The
// request's effect (an append, a read) happens when it arrives; only its answer is delayed.
//
// Default figures: 20 µs per request, 0.5 ns per byte (about 2 GB/s per thread, the speed of CRC-32C and a
// memory copy): a 1 MB produce costs ~0.5 ms of one thread.

export interface CpuProfile {
  readonly perRequestMs: number;
  readonly perByteMs: number;
  /** Request handler threads (Kafka's num.io.threads). */
  readonly threads: number;
}

export const DEFAULT_CPU_PROFILE: CpuProfile = { perRequestMs: 0.02, perByteMs: 0.0000005, threads: 8 };

/** No cost at all: answers leave at once (for tests that count exact times). */
export const FREE_CPU_PROFILE: CpuProfile = { perRequestMs: 0, perByteMs: 0, threads: 1 };

export class CpuModel {
  private readonly freeAtMs: number[];
  /** Milliseconds of work done so far, for utilisation metrics. */
  busyMs = 0;

  constructor(readonly profile: CpuProfile = DEFAULT_CPU_PROFILE) {
    if (!(profile.threads >= 1) || !(profile.perRequestMs >= 0) || !(profile.perByteMs >= 0)) {
      throw new RangeError(`invalid CPU profile ${JSON.stringify(profile)}: threads >= 1 and costs >= 0 required`);
    }
    this.freeAtMs = new Array<number>(profile.threads).fill(0);
  }

  /** Runs the work of one request of `bytes` bytes (request and response); returns when it is done. */
  run(nowMs: number, bytes: number): number {
    const cost = this.profile.perRequestMs + bytes * this.profile.perByteMs;
    if (cost === 0) return nowMs;
    let thread = 0;
    for (let i = 1; i < this.freeAtMs.length; i++) if (this.freeAtMs[i] < this.freeAtMs[thread]) thread = i;
    const doneAtMs = Math.max(nowMs, this.freeAtMs[thread]) + cost;
    this.freeAtMs[thread] = doneAtMs;
    this.busyMs += cost;
    return doneAtMs;
  }
}

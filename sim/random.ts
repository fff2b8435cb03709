// Seeded random streams, one per concern.
//
// Each concern (network, disk, faults, workload, each node) draws from its own stream, derived from the run's
// seed and the stream's name. Removing one fault therefore does not reshuffle every network delay, and a
// failing seed stays comparable when a scenario changes a little. Streams are seedrandom's Alea generator:
// fast, and good enough for simulation (this is not cryptography).

import seedrandom from 'seedrandom';

export type StreamName = 'network' | 'disk' | 'faults' | 'workload' | `node:${string}` | `disk:${string}` | string;

export class RandomError extends Error {
  override readonly name = 'RandomError';
}

/** A seed is a non-negative safe integer: it is typed on command lines and stored in result.json. */
export function assertValidSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RandomError(`a seed must be a whole number between 0 and ${Number.MAX_SAFE_INTEGER}, got ${seed}`);
  }
}

export class RandomStream {
  private readonly generator: () => number;

  constructor(readonly name: string, seedText: string) {
    this.generator = seedrandom.alea(seedText);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.generator();
  }

  /** Uniform integer in [low, high], both inclusive. */
  int(low: number, high: number): number {
    return low + Math.floor(this.generator() * (high - low + 1));
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + this.generator() * (high - low);
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.generator() < probability;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.generator());
  }

  /** Log-normal with the given median and sigma (of the underlying normal); the shape of real latencies. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Standard normal, by Box-Muller. */
  normal(): number {
    const u = 1 - this.generator();
    const v = this.generator();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RandomError(`stream ${this.name}: cannot pick from an empty list`);
    return items[Math.floor(this.generator() * items.length)];
  }
}

/** The run's random streams, all derived from one seed. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: number) {
    assertValidSeed(seed);
  }

  /** The stream for `name`, created on first use. The same (seed, name) always gives the same sequence. */
  stream(name: StreamName): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new RandomStream(name, `tributary/${this.seed}/${name}`);
      this.streams.set(name, stream);
    }
    return stream;
  }
}

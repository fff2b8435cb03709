// Kafka's exponential backoff with jitter (KIP-580), used for retries, metadata refreshes and reconnects.
//
// backoff(attempts) = initial * 2^min(attempts, log2(max / initial)), times a random factor in
// [1 - jitter, 1 + jitter), capped at max. When max <= initial the backoff is flat and has no jitter, as in
// Kafka's ExponentialBackoff. The random draw comes from the node's runtime, so a run stays deterministic.

const MULTIPLIER = 2;
const JITTER = 0.2;

export class ExponentialBackoff {
  private readonly expMax: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number,
  ) {
    this.expMax = maxMs > initialMs ? Math.log(maxMs / Math.max(initialMs, 1)) / Math.log(MULTIPLIER) : 0;
  }

  /** Milliseconds to wait after `attempts` consecutive failures (0 for the first retry's base interval). */
  backoffMs(attempts: number): number {
    if (this.expMax === 0) return this.initialMs;
    const exp = Math.min(attempts, this.expMax);
    const term = this.initialMs * MULTIPLIER ** exp;
    const factor = 1 - JITTER + this.random() * 2 * JITTER;
    const value = Math.floor(factor * term);
    return value > this.maxMs ? this.maxMs : value;
  }
}

// What a benchmark file exports, so that bench/run.ts can measure everything side by side in one run.
//
// A file `bench/NAME.bench.ts` exports `benchmarks: BenchmarkSpec[]`. Each spec names one figure of
// bench.json (`records.encode`, `crc32c`, ...). `fn` does one operation's work; the figure is
// `workPerOp * operations per second`, in `unit`. `peers` are the same work done by another implementation
// (kafkajs, @platformatic/kafka), measured in the same run so that ratios survive a noisy machine.

export interface BenchmarkSpec {
  /** Stable name, as in bench.json and the committed baseline: `records.encode`. */
  readonly name: string;
  /** Unit of the figure: `records/s`, `MB/s`, `events/s`. */
  readonly unit: string;
  /** Units of work one call of `fn` does: 1000 records, 1 MiB / 1e6 MB, 1000 events. */
  readonly workPerOp: number;
  /** One operation of our implementation. */
  readonly fn: () => void;
  /** The same operation by other implementations, keyed by a short peer name (`kafkajs`, `platformatic`). */
  readonly peers?: Readonly<Record<string, () => void>>;
  /** Plain-words description for the table and bench.html. */
  readonly description: string;
}

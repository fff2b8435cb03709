// Latency percentiles of a run (result.json's stats.latencyMs): nearest-rank on the sorted samples.

import type { LatencySummary } from './result.ts';

export function summarise(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { p50: 0, p99: 0, p999: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] };
}

// Series to drawable points: split where samples are missing (a crashed broker reports nothing, so its line
// breaks there instead of joining across the gap), then thin each run of points to the few per pixel column
// that keep its shape (first, lowest, highest, last). A 150 s run sampled every 10 ms stays a few hundred
// points per line, and the page stays small.

import type { Series } from '../../sim/result.ts';

export type Point = readonly [number, number];

/** Horizontal pixels one bucket of thinned points covers. */
export const PIXELS_PER_BUCKET = 2;

/** Decimals of path coordinates: a tenth of a pixel is finer than any screen shows. */
export const PATH_DIGITS = 1;

/** The time one bucket covers on a plot `plotWidthPx` wide showing `spanMs`. */
export function bucketMsFor(spanMs: number, plotWidthPx: number): number {
  return plotWidthPx > 0 ? (spanMs / plotWidthPx) * PIXELS_PER_BUCKET : 0;
}

/** A point that breaks a line (d3 line().defined skips it). */
export const BREAK: Point = [NaN, NaN];

export function isDrawn(point: Point): boolean {
  return Number.isFinite(point[0]) && Number.isFinite(point[1]);
}

/**
 * Points to draw. `gapMs`: two samples further apart than this are not joined (0: always joined).
 * `bucketMs`: the time one pixel column covers; each column keeps at most four points.
 */
export function drawablePoints(series: Series, gapMs: number, bucketMs: number): Point[] {
  const out: Point[] = [];
  let runStart = 0;
  for (let i = 1; i <= series.length; i++) {
    const atGap = i === series.length || (gapMs > 0 && series[i]![0] - series[i - 1]![0] > gapMs);
    if (!atGap) continue;
    if (out.length > 0) out.push(BREAK);
    thin(series, runStart, i, bucketMs, out);
    runStart = i;
  }
  return out;
}

function thin(series: Series, from: number, to: number, bucketMs: number, out: Point[]): void {
  const kept: Point[] = [];
  if (!(bucketMs > 0) || to - from <= 4) {
    for (let i = from; i < to; i++) kept.push(series[i]!);
  } else {
    let i = from;
    while (i < to) {
      const bucket = Math.floor(series[i]![0] / bucketMs);
      const first = i;
      let low = i;
      let high = i;
      let last = i;
      for (i++; i < to && Math.floor(series[i]![0] / bucketMs) === bucket; i++) {
        if (series[i]![1] < series[low]![1]) low = i;
        if (series[i]![1] > series[high]![1]) high = i;
        last = i;
      }
      // The four in time order, each once.
      const keep = [first, low, high, last].sort((a, b) => a - b);
      for (let k = 0; k < keep.length; k++) if (k === 0 || keep[k] !== keep[k - 1]) kept.push(series[keep[k]!]!);
    }
  }
  flattenRuns(kept, out);
}

/**
 * Appends points, keeping only the first and last of each run of equal values: the line looks the same
 * (linear or step), and offsets, which stand still most of the time, shrink to a few points.
 */
function flattenRuns(points: readonly Point[], out: Point[]): void {
  for (let i = 0; i < points.length; i++) {
    const value = points[i]![1];
    const inRun = i > 0 && i < points.length - 1 && points[i - 1]![1] === value && points[i + 1]![1] === value;
    if (!inRun) out.push(points[i]!);
  }
}

/** The sampling step of a series: its smallest positive time between points (0 with fewer than two). */
export function samplingStepOf(series: Series): number {
  let step = Infinity;
  for (let i = 1; i < series.length; i++) {
    const dt = series[i]![0] - series[i - 1]![0];
    if (dt > 0 && dt < step) step = dt;
  }
  return Number.isFinite(step) ? step : 0;
}

/** How far apart two samples of a regularly sampled series may be and still be joined: a few steps. */
export function gapFor(series: Series): number {
  return 2.5 * samplingStepOf(series);
}

/** A series recorded on change, its last value repeated at `untilMs` so a step line reaches that time. */
export function heldUntil(series: Series, untilMs: number): Series {
  const last = series[series.length - 1];
  return last === undefined || last[0] >= untilMs ? series : [...series, [untilMs, last[1]]];
}

/** The largest value of a series (0 when empty). */
export function maxOf(series: Series): number {
  let max = 0;
  for (const [, value] of series) if (Number.isFinite(value) && value > max) max = value;
  return max;
}

/** The last time of a series (0 when empty). */
export function lastTimeOf(series: Series): number {
  return series.length === 0 ? 0 : series[series.length - 1]![0];
}

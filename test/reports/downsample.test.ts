import test from 'ava';
import { BREAK, drawablePoints, gapFor, heldUntil } from '../../reports/charts/downsample.ts';

test('a line breaks where samples are missing', (t) => {
  const series: Array<[number, number]> = [[0, 1], [100, 2], [200, 3], [1000, 4], [1100, 5]];
  const points = drawablePoints(series, gapFor(series), 0);
  t.deepEqual(points, [[0, 1], [100, 2], [200, 3], BREAK, [1000, 4], [1100, 5]]);
});

test('a series sampled every second is joined from second to second', (t) => {
  const series: Array<[number, number]> = [[1000, 1], [2000, 2], [3000, 3]];
  t.deepEqual(drawablePoints(series, gapFor(series), 0), series);
});

test('a series recorded on change holds its last value to the given time', (t) => {
  t.deepEqual(heldUntil([[0, 3], [500, 2]], 2000), [[0, 3], [500, 2], [2000, 2]]);
  t.deepEqual(heldUntil([[0, 3], [2500, 2]], 2000), [[0, 3], [2500, 2]]);
  t.deepEqual(heldUntil([], 2000), []);
});

test('thinning keeps at most four points per bucket, with the extremes', (t) => {
  const series: Array<[number, number]> = [];
  for (let i = 0; i < 10_000; i++) series.push([i, i === 5_000 ? 1_000_000 : i === 7_000 ? -5 : i % 17]);
  const points = drawablePoints(series, 0, 100);
  t.true(points.length <= 400, `${points.length} points`);
  t.true(points.some(([, v]) => v === 1_000_000), 'the spike survives');
  t.true(points.some(([, v]) => v === -5), 'the dip survives');
  t.deepEqual(points[0], [0, 0]);
  t.deepEqual(points[points.length - 1], series[series.length - 1]);
});

test('runs of equal values shrink to their ends', (t) => {
  const flat: Array<[number, number]> = Array.from({ length: 50 }, (_, i) => [i * 10, i < 30 ? 7 : 9]);
  t.deepEqual(drawablePoints(flat, 0, 0), [[0, 7], [290, 7], [300, 9], [490, 9]]);
});

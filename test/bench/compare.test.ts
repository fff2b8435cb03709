// bench:check's comparison and baseline update as pure functions: each rule on a small baseline, and the
// committed baseline against the benchmarks that exist.

import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseBaseline, parseBenchJson, type Baseline, type BenchFigure } from '../../bench/baseline.ts';
import { compare } from '../../bench/compare.ts';
import { loadSpecs } from '../../bench/measure.ts';
import { updateBaseline } from '../../bench/update-baseline.ts';
import { figure, sampleBaseline, sampleRun } from './fixtures.ts';

const kinds = (problems: readonly { kind: string; benchmark: string }[]): string[] => problems.map((p) => `${p.kind} ${p.benchmark}`);

function withFigure(run: BenchFigure[], replacement: BenchFigure): BenchFigure[] {
  return run.map((r) => (r.name === replacement.name ? replacement : r));
}

test('ratios are derived from value and peers, so a bench.json without ratios is compared the same', (t) => {
  const bare = sampleRun().map(({ name, unit, value, peers }) => ({ name, unit, value, peers }));
  const comparison = compare(sampleBaseline(), bare);
  t.deepEqual(comparison.problems, []);
  t.true(comparison.passed.includes('ok   codec.encode vs slowlib: 10.00x (baseline 10.00x, limit 6.00x)'));
});

test('a ratio exactly at the limit holds; just below it is a regression', (t) => {
  // Baseline 10x slowlib, tolerance 0.4: the limit is 6x.
  t.deepEqual(compare(sampleBaseline(), withFigure(sampleRun(), figure('codec.encode', 'records/s', 600, { fastlib: 150, slowlib: 100 }))).problems, []);
  const below = compare(sampleBaseline(), withFigure(sampleRun(), figure('codec.encode', 'records/s', 599, { fastlib: 150, slowlib: 100 })));
  t.deepEqual(kinds(below.problems), ['regression codec.encode']);
});

test('a benchmark with no peers is compared by its value with the absolute tolerance', (t) => {
  const slow = compare(sampleBaseline(), withFigure(sampleRun(), figure('queue.step', 'events/s', 499)));
  t.deepEqual(kinds(slow.problems), ['regression queue.step']);
  t.regex(slow.problems[0].line, /REGRESSION queue\.step: 499\.0 events\/s \(baseline 1000, limit 500\.0\)/);
});

test('compareByValue checks a benchmark with peers by its own figure, not by its ratios', (t) => {
  const baseline: Baseline = { ...sampleBaseline(), floors: {}, compareByValue: { 'codec.encode': 'peers are noisy' } };
  // Peers twice as fast: every ratio halves (a ratio regression), our own figure holds.
  const peersFaster = withFigure(sampleRun(), figure('codec.encode', 'records/s', 1000, { fastlib: 500, slowlib: 200 }));
  t.deepEqual(compare(baseline, peersFaster).problems, []);
  const slower = withFigure(sampleRun(), figure('codec.encode', 'records/s', 400, { fastlib: 250, slowlib: 100 }));
  t.deepEqual(kinds(compare(baseline, slower).problems), ['regression codec.encode']);
});

test('a benchmark in the baseline that the run lacks fails, and so does a peer only the run has', (t) => {
  const run = withFigure(sampleRun(), figure('codec.encode', 'records/s', 1000, { fastlib: 250, slowlib: 100, newlib: 50 })).filter((r) => r.name !== 'queue.step');
  t.deepEqual(kinds(compare(sampleBaseline(), run).problems), ['peer-not-in-baseline codec.encode', 'not-measured queue.step']);
});

test('a changed unit is not compared', (t) => {
  const comparison = compare(sampleBaseline(), withFigure(sampleRun(), figure('queue.step', 'ops/s', 1000)));
  t.deepEqual(kinds(comparison.problems), ['unit-changed queue.step']);
});

test('a figure that is not a throughput (a failed measurement) fails instead of passing every limit', (t) => {
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 0]) {
    const comparison = compare(sampleBaseline(), withFigure(sampleRun(), figure('queue.step', 'events/s', value)));
    t.true(kinds(comparison.problems).includes('bad-figure queue.step'), String(value));
  }
});

test('a compareByValue entry that names no benchmark fails', (t) => {
  const baseline: Baseline = { ...sampleBaseline(), compareByValue: { 'queue.stpe': 'a reason' } };
  const problems = compare(baseline, sampleRun()).problems;
  t.deepEqual(kinds(problems), ['unknown-name queue.stpe']);
  t.regex(problems[0].line, /did you mean queue\.step\?/);
});

test('--only skips other benchmarks and their floors, says so, and still refuses a misspelt floor', (t) => {
  const run = sampleRun().filter((r) => r.name === 'queue.step');
  const comparison = compare(sampleBaseline(), run, { only: ['queue'] });
  t.deepEqual(comparison.problems, []);
  t.deepEqual(comparison.skipped, ['codec.encode']);
  const misspelt: Baseline = { ...sampleBaseline(), floors: { 'codec.encdoe': { fastlib: 2 } } };
  t.deepEqual(kinds(compare(misspelt, run, { only: ['queue'] }).problems), ['unknown-name codec.encdoe']);
});

test('a floor holds at its value and fails just below it', (t) => {
  const at = withFigure(sampleRun(), figure('queue.step', 'events/s', 600));
  const baseline: Baseline = { ...sampleBaseline(), floors: { 'queue.step': { value: 600 } } };
  t.deepEqual(compare(baseline, at).problems, []);
  const below = withFigure(sampleRun(), figure('queue.step', 'events/s', 599));
  t.deepEqual(kinds(compare(baseline, below).problems), ['below-floor queue.step']);
});

test('--update-baseline with --only replaces the selected figures and keeps the others', (t) => {
  const update = updateBaseline(sampleBaseline(), [figure('queue.step', 'events/s', 2000)], { only: ['queue'] });
  if (!update.written) return t.fail(update.problems.map((p) => p.line).join('\n'));
  t.deepEqual(update.baseline.results.map((r) => [r.name, r.value]), [['codec.encode', 1000], ['queue.step', 2000]]);
  t.deepEqual(update.changes, ['  queue.step: 1000 -> 2000 events/s']);
});

test('--update-baseline derives the ratios it writes, keeps a description the run lacks, and lists what it removes', (t) => {
  const baseline: Baseline = { ...sampleBaseline(), floors: { 'codec.encode': { fastlib: 2 } } };
  const update = updateBaseline(baseline, [{ name: 'codec.encode', unit: 'records/s', value: 900, peers: { fastlib: 300, slowlib: 90 } }]);
  if (!update.written) return t.fail(update.problems.map((p) => p.line).join('\n'));
  t.deepEqual(update.baseline.results, [{ name: 'codec.encode', unit: 'records/s', value: 900, peers: { fastlib: 300, slowlib: 90 }, ratios: { fastlib: 3, slowlib: 10 }, description: 'codec.encode, for a test' }]);
  t.true(update.changes.includes('- queue.step: removed (this run did not measure it)'));
});

test('--update-baseline refuses a run that leaves a floor naming a benchmark or a peer it no longer has', (t) => {
  const gone = updateBaseline(sampleBaseline(), sampleRun().filter((r) => r.name !== 'queue.step'));
  t.false(gone.written);
  if (!gone.written) t.regex(gone.problems.map((p) => p.line).join('\n'), /UNKNOWN floor "queue\.step" names no benchmark: .*or remove the floor/);
  const run = withFigure(sampleRun(), figure('codec.encode', 'records/s', 1000, { slowlib: 100 }));
  const update = updateBaseline(sampleBaseline(), run);
  t.false(update.written);
  if (!update.written) t.deepEqual(kinds(update.problems), ['unknown-name codec.encode']);
});

test('a baseline file is read in full: every problem named, ratios checked against value and peers', (t) => {
  const bad = { tolerance: { ratio: 1, absolute: 0.5 }, floors: { x: { value: 0 } }, results: [{ ...figure('a', 'u', 10, { p: 5 }), ratios: { p: 3 } }] };
  const error = t.throws(() => parseBaseline(bad, 'b.json'));
  t.regex(error!.message, /tolerance\.ratio: must be a fraction from 0 to below 1/);
  t.regex(error!.message, /floors\["x"\]\.value: must be a number above 0/);
  t.regex(error!.message, /results\[0\] \(a\)\.ratios\.p: 3 disagrees with value \/ peers\.p = 2/);
});

test('a bench.json is read as DESIGN.md gives its shape, and refused when a figure is missing', (t) => {
  t.deepEqual(parseBenchJson({ results: [{ name: 'a', unit: 'u', value: 1, peers: {} }] }, 'bench.json'), [{ name: 'a', unit: 'u', value: 1, peers: {} }]);
  t.throws(() => parseBenchJson({ results: [{ name: 'a', unit: 'u', peers: {} }] }, 'bench.json'), { message: /results\[0\] \(a\)\.value: must be a number above 0, got nothing/ });
});

test('the committed baseline holds every benchmark of bench/*.bench.ts with its peers, and meets its own floors', async (t) => {
  const baseline = parseBaseline(JSON.parse(readFileSync(new URL('../../bench/baseline.json', import.meta.url), 'utf8')), 'bench/baseline.json');
  const specs = await loadSpecs();
  t.deepEqual(
    baseline.results.map((r) => `${r.name}: ${Object.keys(r.peers).sort().join(' ')}`).sort(),
    specs.map((s) => `${s.name}: ${Object.keys(s.peers ?? {}).sort().join(' ')}`).sort(),
    'a benchmark or a peer was added, renamed or removed: run `npm run bench:check -- --update-baseline` and commit bench/baseline.json',
  );
  t.deepEqual(compare(baseline, baseline.results).problems, []);
});

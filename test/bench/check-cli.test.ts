// `npm run bench:check` as CI runs it: a child process, judged by its exit code and its lines. Each hole the
// gate had is one test here; the figures come from --results files, so no benchmark runs except in the test
// of the measuring options.

import test from 'ava';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli, STACK_FRAME, type CliRun } from '../cli/run-cli.ts';
import { figure, sampleBaseline, sampleRun, writeJsonFiles } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** bench/check.ts with --baseline and --results files holding these contents. */
async function check(baseline: unknown, run: unknown, extra: readonly string[] = []): Promise<CliRun & { baselinePath: string }> {
  const files = writeJsonFiles({ 'baseline.json': baseline, 'bench.json': { results: run } });
  const result = await runCli('bench/check', ['--baseline', files['baseline.json'], '--results', files['bench.json'], ...extra]);
  return { ...result, baselinePath: files['baseline.json'] };
}

function failed(t: import('ava').ExecutionContext, run: CliRun, pattern: RegExp): void {
  t.is(run.code, 1, run.stdout + run.stderr);
  t.regex(run.stdout, pattern);
  t.regex(run.stdout, /bench:check FAILED/);
}

test('a run equal to the baseline passes', async (t) => {
  const run = await check(sampleBaseline(), sampleRun());
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /bench:check passed/);
});

test('a regression against a peer fails', async (t) => {
  const slow = sampleRun().map((r) => (r.name === 'codec.encode' ? figure(r.name, r.unit, 500, { ...r.peers }) : r));
  failed(t, await check(sampleBaseline(), slow), /REGRESSION codec\.encode vs slowlib: 5\.00x/);
});

test('a benchmark measured but missing from the baseline fails, saying to add it with --update-baseline', async (t) => {
  const run = [...sampleRun(), figure('queue.drain', 'events/s', 5000)];
  failed(t, await check(sampleBaseline(), run), /queue\.drain: measured but not in the baseline.*--update-baseline/);
});

test('a peer in the baseline but missing from the run fails instead of being dropped', async (t) => {
  const run = sampleRun().map((r) => (r.name === 'codec.encode' ? figure(r.name, r.unit, r.value, { fastlib: 250 }) : r));
  failed(t, await check(sampleBaseline(), run), /codec\.encode vs slowlib: in the baseline but this run did not measure slowlib/);
});

test('a misspelt floor name fails with the name it meant', async (t) => {
  const baseline = { ...sampleBaseline(), floors: { 'codec.encdoe': { fastlib: 2 }, 'queue.step': { value: 100 } } };
  failed(t, await check(baseline, sampleRun()), /floor "codec\.encdoe" names no benchmark \(did you mean codec\.encode\?\).*fix the floor's name/);
});

test('a floor on a misspelt peer fails naming the peers it could mean', async (t) => {
  const baseline = { ...sampleBaseline(), floors: { 'codec.encode': { fastlbi: 2 } } };
  failed(t, await check(baseline, sampleRun()), /floor codec\.encode "fastlbi": codec\.encode has no peer fastlbi \(did you mean fastlib\?\)/);
});

test('--update-baseline refuses figures below the floors and writes nothing', async (t) => {
  const slow = sampleRun().map((r) => (r.name === 'codec.encode' ? figure(r.name, r.unit, 400, { ...r.peers }) : r));
  const run = await check(sampleBaseline(), slow, ['--update-baseline']);
  t.is(run.code, 1, run.stdout + run.stderr);
  t.regex(run.stdout, /not written/);
  t.regex(run.stdout, /BELOW FLOOR codec\.encode vs fastlib: 1\.60x, floor 2x/);
  t.deepEqual(JSON.parse(readFileSync(run.baselinePath, 'utf8')), sampleBaseline());
});

test('--update-baseline writes the run and keeps the floors, the tolerance and the by-value list', async (t) => {
  const baseline = { ...sampleBaseline(), compareByValue: { 'queue.step': 'a test reason' } };
  const faster = [figure('codec.encode', 'records/s', 2000, { fastlib: 250, slowlib: 100 }), figure('queue.step', 'events/s', 3000)];
  const run = await check(baseline, faster, ['--update-baseline']);
  t.is(run.code, 0, run.stdout + run.stderr);
  const written = JSON.parse(readFileSync(run.baselinePath, 'utf8')) as typeof baseline;
  t.deepEqual(written.floors, baseline.floors);
  t.deepEqual(written.tolerance, baseline.tolerance);
  t.deepEqual(written.compareByValue, baseline.compareByValue);
  t.deepEqual(written.results.map((r) => r.value), [2000, 3000]);
});

test('a misspelt key of the baseline file is refused with the key it meant, before anything runs', async (t) => {
  const { floors, ...rest } = sampleBaseline();
  const run = await check({ ...rest, flors: floors }, sampleRun());
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stderr, /unknown key "flors" \(did you mean floors\?\)/);
  t.notRegex(run.stderr + run.stdout, STACK_FRAME);
});

test('a --results file that is not JSON is a usage error without a stack trace', async (t) => {
  const files = writeJsonFiles({ 'baseline.json': sampleBaseline(), 'bench.json': '{"results": [' });
  const run = await runCli('bench/check', ['--baseline', files['baseline.json'], '--results', files['bench.json']]);
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stderr, /bench\.json is not JSON/);
  t.notRegex(run.stderr + run.stdout, STACK_FRAME);
});

test('measuring options reach the benchmarks whatever their place on the command line', async (t) => {
  // A scheduler figure of 1 event/s cannot regress: the test is that the options parse and the check runs.
  const baseline = { tolerance: { ratio: 0.4, absolute: 0.5 }, floors: {}, compareByValue: {}, results: [figure('scheduler', 'events/s', 1)] };
  const files = writeJsonFiles({ 'baseline.json': baseline });
  const run = await runCli('bench/check', ['--rounds', '1', '--time', '10', '--only', 'scheduler', '--out', files.dir, '--baseline', files['baseline.json']]);
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /ok {3}scheduler: /);
});

test('importing bench/check.ts runs nothing', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "await import('./bench/check.ts'); console.log('imported');"], { cwd: ROOT, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 0, stdout + stderr);
  t.is(stdout, 'imported\n');
  t.notRegex(stderr, /measuring/);
});

// A broken engine invariant ends the run cleanly: an `invariant` anomaly that names the invariant and its
// sentence, the node and its event, the partition, the time and the reproduce command; every checker not
// judged; a swarm seed that comes back as a result, not a crash; a CLI that says FAILED without a stack.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVARIANTS } from '../../engine/invariants.ts';
import { openSeedPool } from '../../cli/seed-pool.ts';
import { CHECKER_KINDS } from '../../sim/checkers/anomaly.ts';
import { runScenario } from '../../sim/run.ts';
import { runCli, STACK_FRAME } from '../cli/run-cli.ts';
import { BROKEN_DETAIL, INVARIANT_SCENARIO } from '../support/invariant-scenario.ts';

const FILE = fileURLToPath(new URL('../support/invariant-scenario-file.ts', import.meta.url));

test('a broken invariant ends the run with an invariant anomaly naming what broke, where, when and how to reproduce it', (t) => {
  const result = runScenario(INVARIANT_SCENARIO, 3, { mode: 'scenario', source: 'broken' });
  t.false(result.ok);
  t.deepEqual(result.anomalyCounts, { invariant: 1 });
  t.is(result.anomalies.length, 1);
  const [found] = result.anomalies;
  t.is(found!.kind, 'invariant');
  t.is(found!.topic, 'orders');
  t.is(found!.partition, 0);
  t.is(found!.detail['invariant'], 'high-watermark-within-log');
  t.is(found!.detail['asserts'], INVARIANTS['high-watermark-within-log']);
  t.is(found!.detail['values'], BROKEN_DETAIL);
  t.regex(String(found!.detail['node']), /^broker-\d$/);
  t.regex(String(found!.detail['event']), /^a FetchRequest message from broker-\d$/);
  t.is(found!.detail['reproduce'], 'npm run scenario -- broken --seed 3');
  t.true(found!.timeMs >= result.phases.readyAtMs + 2_000 && found!.timeMs < result.phases.readyAtMs + 2_500, `broke at ${found!.timeMs}`);
  t.regex(found!.message, new RegExp(
    `^Invariant high-watermark-within-log broke on broker-\\d \\(life 0\\) at ${Math.round(found!.timeMs)} ms while it handled a FetchRequest message from broker-\\d, ` +
    `for orders-0: high watermark 12 outside \\[log start 0, log end 9\\] \\(provoked by the test\\)\\. It asserts that a replica's high watermark lies within its log: .*\\. ` +
    'The run stopped there\\. Reproduce: npm run scenario -- broken --seed 3$'));
  t.true(found!.samples.length > 0, 'the partition as its replicas last saw it');
  // The run stopped there: nothing after it, and no checker can judge a run cut short.
  t.is(result.stats.simulatedMs, found!.timeMs);
  t.deepEqual(result.notJudged!.map((entry) => entry.checker), [...CHECKER_KINDS]);
  t.regex(result.notJudged![0]!.why, /the run stopped at \d+ ms when an engine invariant broke/);
  t.regex(result.why, /^expected no anomaly, found invariant; not judged: every checker \(the run stopped at \d+ ms when an engine invariant broke; a run cut short cannot be judged\)$/);
  t.true(result.stats.produced.acked > 0, 'what happened before the break is kept');
});

test('the same seed breaks the same invariant at the same event, with the same trace hash', (t) => {
  const a = runScenario(INVARIANT_SCENARIO, 4, { mode: 'scenario', source: 'broken' });
  const b = runScenario(INVARIANT_SCENARIO, 4, { mode: 'scenario', source: 'broken' });
  t.is(a.traceHash, b.traceHash);
  t.deepEqual(a.anomalies, b.anomalies);
});

test('a swarm seed that breaks an invariant comes back from the seed pool as a failing result, not a crash', async (t) => {
  const pool = await openSeedPool({ workers: 1, scenarioPath: FILE });
  try {
    const outcome = await pool.run({ seed: 3, mode: 'scenario', settings: [], source: 'broken' });
    t.is(outcome.crash, null);
    t.false(outcome.seed.ok);
    t.deepEqual(outcome.seed.anomalies, { invariant: 1 });
    t.deepEqual(outcome.seed.notJudged, [...CHECKER_KINDS]);
    t.not(outcome.result, null, 'the whole result comes back, for its report');
    t.is(outcome.result!.anomalies[0]!.kind, 'invariant');
  } finally {
    await pool.close();
  }
});

test('the CLI ends a run on a broken invariant with FAILED and the anomaly, no stack trace', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const run = await runCli('scenario', [FILE, '--seed', '3', '--out', out]);
  rmSync(out, { recursive: true, force: true });
  t.is(run.code, 1, run.stderr);
  t.regex(run.stdout, /invariant x1: Invariant high-watermark-within-log broke on broker-\d/);
  t.regex(run.stdout, /\nFAILED: expected no anomaly, found invariant; not judged: every checker/);
  t.false(STACK_FRAME.test(run.stdout + run.stderr), run.stdout + run.stderr);
});

import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, STACK_FRAME } from './run-cli.ts';

function refused(t: import('ava').ExecutionContext, run: Awaited<ReturnType<typeof runCli>>, pattern: RegExp): void {
  t.is(run.code, 2, run.stderr + run.stdout);
  t.regex(run.stderr, pattern);
  t.notRegex(run.stderr + run.stdout, STACK_FRAME, 'no stack trace for a user mistake');
}

test('an unknown scenario is refused with the nearest catalogue names', async (t) => {
  refused(t, await runCli('scenario', ['steady-lod-with-no-faults']), /no scenario named "steady-lod-with-no-faults".*Nearest: steady-load-with-no-faults/);
});

test('a bad seed is refused', async (t) => {
  refused(t, await runCli('scenario', ['steady-load-with-no-faults', '--seed', 'banana']), /--seed must be a whole number/);
});

test('an unknown config key in --set is refused with the key Kafka has', async (t) => {
  refused(t, await runCli('scenario', ['steady-load-with-no-faults', '--set', 'min.insync.replica=1']), /min\.insync\.replicas/);
});

test('a Kafka key the engine does not model is refused in --set with one clear message', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const run = await runCli('scenario', ['steady-load-with-no-faults', '--set', 'auto.leader.rebalance.enable=true', '--out', out]);
  refused(t, run, /auto\.leader\.rebalance\.enable is a Kafka broker config that Tributary does not model: .*never moves leadership back to the preferred replica/);
  t.is(run.stderr.trim().split('\n').length, 1, run.stderr);
});

test('a key in --set prefixed with the wrong kind names the kind it belongs to', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  refused(t, await runCli('scenario', ['steady-load-with-no-faults', '--set', 'broker.acks=1', '--out', out]),
    /--set broker\.acks=1: acks is a producer config key, not a broker one; write --set producer\.acks=1 or --set acks=1/);
});

test('settings that used to crash the run inside the simulation are refused before it starts', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const cases: [string, RegExp][] = [
    ['consumer.group.id=g', /group\.id is a Kafka consumer config that Tributary does not model/],
    ['producer.compression.type=lz4', /compression\.type = "lz4" is refused: .*writes only none and gzip/],
    ['controller.quorum.election.timeout.ms=0', /controller\.quorum\.election\.timeout\.ms = "0" is not valid: below the minimum 1/],
  ];
  for (const [setting, message] of cases) {
    refused(t, await runCli('scenario', ['steady-load-with-no-faults', '--set', setting, '--out', out]), message);
  }
});

test('a bad value in --set is refused', async (t) => {
  refused(t, await runCli('scenario', ['steady-load-with-no-faults', '--set', 'acks=banana']), /--set acks=banana/);
});

test('a malformed scenario file is refused naming every bad field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const api = fileURLToPath(new URL('../../sim/scenario.ts', import.meta.url));
  const file = join(dir, 'broken.ts');
  writeFileSync(file, `import { defineScenario } from ${JSON.stringify(api)};
export default defineScenario({
  name: 'broken', summary: 'a broken scenario', teaching: 'Broken on purpose. It has bad fields. The runner must say which ones, all of them.',
  cluster: { brokers: 3, controllers: 2 },
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  workload: { producers: [{ ratePerSec: 0 }], consumers: 1 },
  phases: { faultsMs: 0, livenessMs: 1000, quiesceMs: 1000 },
  expect: 'no-anomalies',
} as never);
`);
  const run = await runCli('scenario', [file]);
  refused(t, run, /cluster\.controllers: a KRaft quorum has 1, 3 or 5 controllers/);
  t.regex(run.stderr, /workload\.producers\[0\]\.ratePerSec/);
});

test('a scenario file with misspelt keys is refused naming each with the key it was meant to be', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const api = fileURLToPath(new URL('../../sim/scenario.ts', import.meta.url));
  const file = join(dir, 'misspelt.ts');
  // As a file may be written without an editor's help (or with `as never`): the runner must refuse it anyway.
  writeFileSync(file, `import { defineScenario } from ${JSON.stringify(api)};
export default defineScenario({
  name: 'misspelt', summary: 'a scenario with misspelt keys', teaching: 'Misspelt on purpose. Each key must be refused, with the key it was meant to be.',
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  workload: { producers: [{ ratePerSec: 100 }, { ratePerSec: 100, valuebytes: 1000 }], consumers: 1 },
  phases: { faultsMs: 1000, livenessMS: 20000, quiesceMs: 1000 },
  expect: 'no-anomalies',
  defaultSed: 7,
} as never);
`);
  const run = await runCli('scenario', [file]);
  refused(t, run, /misspelt\.ts is not a valid scenario:/);
  t.regex(run.stderr, /- workload\.producers\[1\]\.valuebytes: unknown key; did you mean valueBytes\?/);
  t.regex(run.stderr, /- phases\.livenessMS: unknown key; did you mean livenessMs\?/);
  t.regex(run.stderr, /- defaultSed: unknown key; did you mean defaultSeed\?/);
  t.notRegex(run.stderr, /phases\.livenessMs: missing/, 'the misspelling is one problem, not two');
});

test('a scenario file that does not compile is refused with the compiler\'s whole message: line, column and the line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const file = join(dir, 'syntax.ts');
  writeFileSync(file, "import { defineScenario } from 'tributary';\n\nexport default defineScenario({\n  name: 'x',\n  cluster: { brokers: 3, controllers: 3 \n});\n");
  const run = await runCli('scenario', [file]);
  refused(t, run, /could not be loaded/);
  t.regex(run.stderr, /Expected "}" but found "\)"/, 'what is wrong');
  t.regex(run.stderr, /syntax\.ts:6:\d+/, 'where: the line and the column');
  t.regex(run.stderr, /6 │ \}\);/, 'the line itself');
});

test('a scenario file that throws while it loads is refused with the error and where it was thrown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const file = join(dir, 'throws.ts');
  writeFileSync(file, "const rate = 100;\nexport default { rate: rate * undefinedFactor };\n");
  const run = await runCli('scenario', [file]);
  refused(t, run, /could not be loaded: ReferenceError: undefinedFactor is not defined/);
  t.regex(run.stderr, /throws\.ts:2:\d+/);
});

test('a shard like 3/2 is refused', async (t) => {
  refused(t, await runCli('swarm', ['steady-load-with-no-faults', '--seeds', '4', '--shard', '3/2']), /--shard 3\/2: k must be between 1 and n/);
});

test('the worker speedup benchmark refuses an unknown scenario and a bad round count before running anything', async (t) => {
  refused(t, await runCli('worker-speedup', ['steady-lod-with-no-faults']), /Nearest: steady-load-with-no-faults/);
  refused(t, await runCli('worker-speedup', ['--rounds', '0']), /--rounds must be a whole number >= 1/);
});

test('a swarm without --seeds is refused with the usage', async (t) => {
  refused(t, await runCli('swarm', ['steady-load-with-no-faults']), /--seeds N/);
});

test('replay of a file that is not a result is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const file = join(dir, 'result.json');
  writeFileSync(file, '{"hello": 1}');
  refused(t, await runCli('replay', [file]), /not a Tributary result\.json/);
});

const RESULT = {
  scenario: 'steady-load-with-no-faults', source: 'steady-load-with-no-faults', seed: 1, mode: 'scenario', traceHash: 'ab12',
  set: {}, why: 'no anomaly, as expected', expected: 'no-anomalies', anomalyCounts: {}, schedule: [],
};

test('replay of a result.json with a field of the wrong type is refused naming the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const source = join(dir, 'source.json');
  writeFileSync(source, JSON.stringify({ ...RESULT, source: 5 }));
  refused(t, await runCli('replay', [source]), /source must be a non-empty string, not 5 \(a number\)/);
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({ ...RESULT, seed: 'seven' }));
  refused(t, await runCli('replay', [seed]), /seed must be a whole number >= 0, not "seven" \(a string\)/);
  const set = join(dir, 'set.json');
  writeFileSync(set, JSON.stringify({ ...RESULT, set: { acks: 1 } }));
  refused(t, await runCli('replay', [set]), /set\.acks must be a string, not 1 \(a number\)/);
});

test('shrink of a result.json whose schedule holds a malformed fault is refused naming the entry', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const file = join(dir, 'result.json');
  writeFileSync(file, JSON.stringify({ ...RESULT, anomalyCounts: { 'lost-write': 1 }, schedule: [{ kind: 'crash', target: 'broker-1', atMs: 'soon', durationMs: 100 }] }));
  refused(t, await runCli('shrink', [file]), /schedule\[0\]/);
});

test('merge of a swarm.json with a field of the wrong type is refused naming the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const file = join(dir, 'swarm.json');
  writeFileSync(file, JSON.stringify({
    scenario: 'x', summary: 'x', source: 'x', mode: 'swarm', set: {}, range: { from: '1', count: 2 }, shards: [{ k: 1, n: 2 }], workers: 1,
    wallSeconds: 1, expected: 'no-anomalies', failing: [], firstByKind: {}, seeds: [],
  }));
  refused(t, await runCli('merge', [file, '--out', dir]), /range\.from must be a whole number >= 0, not "1" \(a string\)/);
});

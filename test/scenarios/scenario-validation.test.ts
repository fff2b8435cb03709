import test from 'ava';
import { defineScenario, judge, scenarioProblems, validateScenario, ScenarioError, type Scenario } from '../../sim/scenario.ts';

const valid: Scenario = defineScenario({
  name: 'a-valid-scenario',
  summary: 'one line',
  teaching: 'A scenario for tests. It has a cluster. It has a load. It expects nothing bad to happen here.',
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
  config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all' } },
  workload: { producers: [{ ratePerSec: 100 }], consumers: 1 },
  faults: { timeline: [{ kind: 'crash', target: 'leader:orders-0', atMs: 1_000, durationMs: 2_000 }] },
  phases: { faultsMs: 5_000, livenessMs: 5_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
});

function problemsOf(changes: Record<string, unknown>): string[] {
  return scenarioProblems({ ...valid, ...changes });
}

test('a valid scenario has no problems', (t) => {
  t.deepEqual(scenarioProblems(valid), []);
});

test('a bad cluster shape is refused naming the field', (t) => {
  const problems = problemsOf({ cluster: { brokers: 0, controllers: 2 } });
  t.true(problems.some((p) => p.startsWith('cluster.brokers:')));
  t.true(problems.some((p) => p.startsWith('cluster.controllers:') && p.includes('1, 3 or 5')));
});

test('an unknown config key is refused with the key Kafka has', (t) => {
  const problems = problemsOf({ config: { producer: { 'linger.msec': 5 } } });
  t.is(problems.length, 1);
  t.regex(problems[0]!, /^config\.producer: .*linger\.msec.*linger\.ms/);
});

test('a fault of an unknown kind, or one that outlasts the fault phase, is refused', (t) => {
  t.true(problemsOf({ faults: { timeline: [{ kind: 'meteor', target: 'broker-1', atMs: 0, durationMs: 1 }] } }).some((p) => p.includes('faults.timeline[0].kind')));
  t.true(problemsOf({ faults: { timeline: [{ kind: 'crash', target: 'broker-1', atMs: 4_000, durationMs: 2_000 }] } }).some((p) => p.includes('every fault ends by the heal')));
});

test('an unknown anomaly kind in expect is refused with the valid kinds', (t) => {
  const problems = problemsOf({ expect: { shows: ['data-loss'] } });
  t.true(problems.some((p) => p.includes('"data-loss"') && p.includes('lost-write')));
});

test('a replication factor above the number of brokers is refused', (t) => {
  t.true(problemsOf({ topic: { name: 'orders', partitions: 1, replicationFactor: 4 } }).some((p) => p.startsWith('topic.replicationFactor')));
});

test('validateScenario throws one ScenarioError listing every problem', (t) => {
  const error = t.throws(() => validateScenario({ ...valid, name: 'Bad Name', workload: { producers: [{ ratePerSec: -1 }], consumers: 1 } }, 'my-file.ts'), { instanceOf: ScenarioError });
  t.regex(error!.message, /^my-file\.ts is not a valid scenario/);
  t.regex(error!.message, /name: must be kebab-case/);
  t.regex(error!.message, /workload\.producers\[0\]\.ratePerSec/);
});

test('something that is not a scenario at all is refused', (t) => {
  t.deepEqual(scenarioProblems(undefined), ['the file must `export default defineScenario({...})`']);
});

test('judge: a safe scenario passes only without anomalies; an unsafe one must show its anomaly and nothing unexpected', (t) => {
  t.true(judge('no-anomalies', new Set()).ok);
  t.false(judge('no-anomalies', new Set(['duplicate'])).ok);
  const unsafe = { shows: ['lost-write' as const], mayShow: ['poll-skip' as const] };
  t.false(judge(unsafe, new Set()).ok);
  t.true(judge(unsafe, new Set(['lost-write', 'poll-skip'])).ok);
  t.false(judge(unsafe, new Set(['lost-write', 'duplicate'])).ok);
});

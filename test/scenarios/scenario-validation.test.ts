import test from 'ava';
import { defineScenario, judge, scenarioProblems, validateScenario, ScenarioError, type Scenario } from '../../sim/scenario.ts';
import { FAULT_KINDS } from '../../sim/nemesis.ts';

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

// Misspelt keys: each was accepted and ignored before the schema, the run going on as if the key were absent.

test('a misspelt top-level key is refused with the key it was meant to be', (t) => {
  const problems = problemsOf({ defaultSed: 7, extraLatencyMS: 2 });
  t.is(problems.length, 2, problems.join('\n'));
  t.regex(problems[0]!, /^defaultSed: unknown key; did you mean defaultSeed\? \(a scenario has \{ name, summary, .*defaultSeed\? \}\)$/);
  t.regex(problems[1]!, /^extraLatencyMS: unknown key; did you mean extraLatencyMs\?/);
});

test('a misspelt phase is refused once, without also calling the phase it was meant to be missing', (t) => {
  t.deepEqual(problemsOf({ phases: { faultsMs: 5_000, livenessMS: 5_000, quiesceMs: 5_000 } }), [
    'phases.livenessMS: unknown key; did you mean livenessMs? (phases has { faultsMs, livenessMs, quiesceMs })',
  ]);
});

test('a misspelt producer key is refused at its own path', (t) => {
  const problems = problemsOf({ workload: { producers: [{ ratePerSec: 100 }, { ratePerSec: 100, valuebytes: 1_000 }], consumers: 1 } });
  t.is(problems.length, 1, problems.join('\n'));
  t.regex(problems[0]!, /^workload\.producers\[1\]\.valuebytes: unknown key; did you mean valueBytes\? \(workload\.producers\[1\] has \{ ratePerSec, count\?, keys\?, keyDistribution\?, valueBytes\?, config\? \}\)$/);
});

test('a misspelt key inside a timeline fault is refused with the field a fault has', (t) => {
  const problems = problemsOf({ faults: { timeline: [{ kind: 'crash', target: 'broker-1', atMs: 0, durationMs: 1_000, intensty: 0.5 }] } });
  t.is(problems.length, 1, problems.join('\n'));
  t.regex(problems[0]!, /^faults\.timeline\[0\]\.intensty: unknown key; did you mean intensity\? \(faults\.timeline\[0\] has \{ kind, target, atMs, durationMs, intensity\? \}\)$/);
});

test('a misspelt key inside a story step is refused, and the step\'s functions are accepted as functions', (t) => {
  const steps = [{ label: 'wait', when: () => true, timeoutMs: 1_000 }, { label: 'crash', whn: () => true, do: () => undefined }];
  t.deepEqual(problemsOf({ faults: { steps } }), [
    'faults.steps[1].whn: unknown key; did you mean when? (faults.steps[1] has { label, atMs?, afterMs?, when?, timeoutMs?, do? })',
  ]);
  t.deepEqual(problemsOf({ faults: { steps: [{ label: 'crash', when: true, do: 'crash broker-1' }] } }), [
    'faults.steps[0].when: must be a function (ctx) => boolean, got true',
    'faults.steps[0].do: must be a function (ctx) => void, got "crash broker-1"',
  ]);
});

test('misspelt keys in the swarm section are refused, at every depth', (t) => {
  const swarm = {
    faults: { mix: { crash: 1, powerloss: 1 }, targets: 'brokers', meanGapMS: 2_000, meanGapMs: 2_000, durationMs: [500, 1_000] },
    vary: { rateFactr: [0.5, 2] },
    expect: 'no-anomalies',
    expct: 'no-anomalies',
  };
  t.deepEqual(problemsOf({ swarm }), [
    'swarm.faults.mix: unknown fault kind "powerloss"; did you mean power-loss? (one of ' + FAULT_KINDS.join(', ') + ')',
    'swarm.faults.meanGapMS: unknown key; did you mean meanGapMs? (swarm.faults has { mix, targets, aimAtLeaders?, meanGapMs, durationMs, intensity?, targetsByKind?, maxConcurrent?, waitForRecovery? })',
    'swarm.vary.rateFactr: unknown key; did you mean rateFactor? (swarm.vary has { rateFactor?, extraLatencyMs?, config?, thinFaultMix? })',
    'swarm.expct: unknown key; did you mean expect? (swarm has { faults, vary?, expect })',
  ]);
});

test('a misspelt config section is refused; the Kafka keys inside a section are judged by engine/config', (t) => {
  const problems = problemsOf({ config: { brokers: { 'min.insync.replicas': 2 }, producer: { 'linger.msec': 5 } } });
  t.deepEqual(problems, [
    'config.producer: linger.msec is not a producer config; did you mean linger.ms?',
    'config.brokers: unknown key; did you mean broker? (config has { broker?, topic?, producer?, consumer? })',
  ]);
});

test('a misspelt key in an expectation is judged against the object form, not the string one', (t) => {
  t.deepEqual(problemsOf({ expect: { show: ['lost-write'] } }), ['expect.show: unknown key; did you mean shows? (expect has { shows, mayShow? })']);
  t.deepEqual(problemsOf({ expect: 'no-anomaly' }), ["expect: must be 'no-anomalies' or { shows: ['lost-write', ...], mayShow?: [...] }, got \"no-anomaly\""]);
});

test('a misspelt name from a closed set is answered with the nearest one and the whole set', (t) => {
  const problems = problemsOf({ faults: { timeline: [{ kind: 'crsh', target: 'broker-1', atMs: 0, durationMs: 1 }] }, hardware: 'lan-nvm' });
  t.is(problems[0], 'hardware: unknown hardware profile "lan-nvm"; did you mean lan-nvme? (one of lan-nvme, cloud, linkedin-2014)');
  t.is(problems[1], `faults.timeline[0].kind: unknown fault kind "crsh"; did you mean crash? (one of ${FAULT_KINDS.join(', ')})`);
});

test('every fault kind the nemesis has is a kind a timeline may use', (t) => {
  for (const kind of FAULT_KINDS) t.deepEqual(problemsOf({ faults: { timeline: [{ kind, target: 'broker-1', atMs: 0, durationMs: 1 }] } }), [], kind);
});

test('a value that fits no form of a field is judged against the form its type fits', (t) => {
  t.deepEqual(problemsOf({ workload: { producers: [{ ratePerSec: 100, valueBytes: [8, 'big'] }, { ratePerSec: 100, valueBytes: 'big' }], consumers: 1 } }), [
    'workload.producers[0].valueBytes[0]: must be a whole number >= 16, got 8',
    'workload.producers[0].valueBytes[1]: must be a whole number >= 16, got "big"',
    'workload.producers[1].valueBytes: must be a whole number >= 16 or a [min, max] range of them, got "big"',
  ]);
});

test('every problem is listed at once: field problems, and the rules across fields beside them', (t) => {
  const problems = problemsOf({
    cluster: { brokers: 3, controllers: 3, rack: ['a'] },
    topic: { name: 'orders', partitions: 1, replicationFactor: 4 },
    workload: { producers: [{ ratePerSec: 100, config: { acks: '1', 'enable.idempotence': true } }], consumers: 1.5 },
    defaultSed: 1,
  });
  t.deepEqual(problems.map((p) => p.slice(0, p.indexOf(':'))), [
    'cluster.rack',
    'workload.consumers',
    'defaultSed',
    'topic.replicationFactor',
    'workload.producers[0].config',
  ]);
});

test('judge: a safe scenario passes only without anomalies; an unsafe one must show its anomaly and nothing unexpected', (t) => {
  t.true(judge('no-anomalies', new Set()).ok);
  t.false(judge('no-anomalies', new Set(['duplicate'])).ok);
  const unsafe = { shows: ['lost-write' as const], mayShow: ['poll-skip' as const] };
  t.false(judge(unsafe, new Set()).ok);
  t.true(judge(unsafe, new Set(['lost-write', 'poll-skip'])).ok);
  t.false(judge(unsafe, new Set(['lost-write', 'duplicate'])).ok);
});

test("a producer's own config is judged merged over config.producer, and what that section is told is not repeated", (t) => {
  t.deepEqual(problemsOf({
    config: { producer: { acks: 'all', 'enable.idempotence': true, 'linger.msec': 5 } },
    workload: { producers: [{ ratePerSec: 100, config: { acks: '1' } }], consumers: 1 },
  }), [
    'config.producer: linger.msec is not a producer config; did you mean linger.ms?',
    'workload.producers[0].config: enable.idempotence=true needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5, but acks=1 (must be all); fix those or set enable.idempotence=false',
  ]);
});

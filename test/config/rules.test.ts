import test from 'ava';
import type { ConfigKind } from '../../engine/config/definition.ts';
import { ConfigError } from '../../engine/config/errors.ts';
import type { ConflictProblem } from '../../engine/config/errors.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import type { ConfigOverrides } from '../../engine/config/types.ts';

const NODE = { 'node.id': 1, 'process.roles': 'broker,controller', 'controller.quorum.voters': '1@broker-1:9093' };

function conflictOf(kind: ConfigKind, overrides: ConfigOverrides): ConflictProblem {
  const error = (() => {
    try {
      parseConfig(kind, overrides);
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError for ${JSON.stringify(overrides)}`);
  const conflicts = error.problems.filter((problem): problem is ConflictProblem => problem.type === 'conflict');
  if (conflicts.length !== 1 || error.problems.length !== 1) throw new Error(`expected one conflict, got: ${error.message}`);
  return conflicts[0]!;
}

test('explicit idempotence with acks other than all is an error, as in Kafka', (t) => {
  const problem = conflictOf('producer', { 'enable.idempotence': true, acks: '1' });
  t.deepEqual(problem.keys, ['enable.idempotence', 'acks']);
  t.regex(problem.message, /enable\.idempotence=true needs acks=all.* but acks=1 \(must be all\)/);
});

test('explicit idempotence with retries=0 or more than 5 requests in flight is an error', (t) => {
  t.deepEqual(conflictOf('producer', { 'enable.idempotence': 'true', retries: 0 }).keys, ['enable.idempotence', 'retries']);
  const problem = conflictOf('producer', { 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 6, acks: 0 });
  t.deepEqual(problem.keys, ['enable.idempotence', 'acks', 'max.in.flight.requests.per.connection']);
  t.regex(problem.message, /max\.in\.flight\.requests\.per\.connection=6 \(must be at most 5\)/);
  t.true(parseConfig('producer', { 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5 })['enable.idempotence']);
});

test('default idempotence turns itself off when acks, retries or in-flight contradict it', (t) => {
  t.false(parseConfig('producer', { acks: '1' })['enable.idempotence']);
  t.false(parseConfig('producer', { acks: 0 })['enable.idempotence']);
  t.false(parseConfig('producer', { retries: 0 })['enable.idempotence']);
  t.false(parseConfig('producer', { 'max.in.flight.requests.per.connection': 10 })['enable.idempotence']);
  t.true(parseConfig('producer', { acks: '-1' })['enable.idempotence']);
  t.false(parseConfig('producer', { 'enable.idempotence': false, acks: 1 })['enable.idempotence']);
});

test('delivery.timeout.ms below linger.ms + request.timeout.ms is an error when set and raised when not', (t) => {
  const problem = conflictOf('producer', { 'delivery.timeout.ms': 30_000 });
  t.deepEqual(problem.keys, ['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms']);
  t.is(problem.message, 'delivery.timeout.ms=30000 must be at least linger.ms + request.timeout.ms = 5 + 30000 = 30005');
  t.is(parseConfig('producer', { 'linger.ms': 100_000, 'request.timeout.ms': 60_000 })['delivery.timeout.ms'], 160_000);
  t.is(parseConfig('producer', { 'delivery.timeout.ms': 30_005 })['delivery.timeout.ms'], 30_005);
});

test('a controller must be one of the quorum voters and a pure broker must not', (t) => {
  const notVoter = conflictOf('broker', { ...NODE, 'node.id': 4 });
  t.regex(notVoter.message, /node\.id=4 must be one of controller\.quorum\.voters \(voter ids: 1\)/);
  const brokerVoter = conflictOf('broker', { ...NODE, 'process.roles': 'broker' });
  t.regex(brokerVoter.message, /process\.roles must include controller/);
  t.regex(conflictOf('broker', { ...NODE, 'controller.quorum.voters': '' }).message, /controller\.quorum\.voters is empty/);
  t.regex(conflictOf('broker', { ...NODE, 'controller.quorum.voters': '1@a:9093,1@b:9093' }).message, /voter 1 twice/);
  t.regex(conflictOf('broker', { ...NODE, 'controller.quorum.voters': '1@a:70000' }).message, /port 70000 > 65535/);
  const broker = parseConfig('broker', { ...NODE, 'node.id': 4, 'process.roles': 'broker',
    'controller.quorum.voters': '1@c-1:9093, 2@c-2:9093, 3@[::1]:9093' });
  t.deepEqual(broker['controller.quorum.voters'], ['1@c-1:9093', '2@c-2:9093', '3@[::1]:9093']);
});

test('replica.fetch.wait.max.ms must fit inside the socket timeout and the ISR lag time', (t) => {
  t.deepEqual(conflictOf('broker', { ...NODE, 'replica.fetch.wait.max.ms': 31_000, 'replica.lag.time.max.ms': 60_000 }).keys,
    ['replica.fetch.wait.max.ms', 'replica.socket.timeout.ms']);
  t.deepEqual(conflictOf('broker', { ...NODE, 'replica.fetch.wait.max.ms': 1000, 'replica.lag.time.max.ms': 500 }).keys,
    ['replica.fetch.wait.max.ms', 'replica.lag.time.max.ms']);
});

test('a rule that reads an invalid value is skipped rather than reported twice', (t) => {
  const error = t.throws(() => parseConfig('producer', { 'enable.idempotence': true, acks: 'most' }), { instanceOf: ConfigError });
  t.deepEqual(error.problems.map((p) => p.type), ['invalid-value']);
});

// Issue 9, item 4: every Kafka key the project accepts does what Kafka does, or is refused saying it is not
// modelled, why, and what the engine does instead. Nothing is accepted in silence.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigKind } from '../../engine/config/definition.ts';
import { CONFIG_KINDS } from '../../engine/config/definition.ts';
import { describeConfig } from '../../engine/config/describe.ts';
import type { ConfigProblem } from '../../engine/config/errors.ts';
import { ConfigError } from '../../engine/config/errors.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import { CONFIG_KEYS, definitionOf } from '../../engine/config/registry.ts';
import type { ConfigInputValue, ConfigOverrides } from '../../engine/config/types.ts';

const NODE = { 'node.id': 1, 'process.roles': 'broker,controller', 'controller.quorum.voters': '1@broker-1:9093' };

function problemsOf(kind: ConfigKind, overrides: ConfigOverrides): readonly ConfigProblem[] {
  try {
    parseConfig(kind, kind === 'broker' ? { ...NODE, ...overrides } : overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

// Keys Kafka has that the engine would ignore, each at its Kafka default: refused even there, because the
// default is not what the engine does (or would be listed as a working default).
const REFUSED_KEYS: [ConfigKind, string, ConfigInputValue, RegExp][] = [
  ['broker', 'auto.leader.rebalance.enable', true, /never moves leadership back to the preferred replica/],
  ['broker', 'leader.imbalance.check.interval.seconds', 300, /no preferred-leader election/],
  ['broker', 'leader.imbalance.per.broker.percentage', 10, /no preferred-leader election/],
  ['broker', 'delete.topic.enable', true, /topics are never deleted/],
  ['broker', 'controller.quorum.append.linger.ms', 25, /does not linger/],
  ['broker', 'log.cleaner.enable', true, /log compaction comes in a later issue/],
  ['broker', 'log.cleaner.backoff.ms', 15_000, /log compaction comes in a later issue/],
  ['broker', 'log.cleaner.min.cleanable.ratio', 0.5, /log compaction comes in a later issue/],
  ['broker', 'log.cleaner.delete.retention.ms', 86_400_000, /log compaction comes in a later issue/],
  ['broker', 'log.cleaner.min.compaction.lag.ms', 0, /log compaction comes in a later issue/],
  ['broker', 'log.cleaner.max.compaction.lag.ms', '9223372036854775807', /log compaction comes in a later issue/],
  ['broker', 'log.roll.jitter.hours', 0, /without jitter/],
  ['broker', 'log.roll.jitter.ms', 0, /without jitter/],
  ['broker', 'log.preallocate', false, /not preallocated/],
  ['broker', 'log.flush.start.offset.checkpoint.interval.ms', 60_000, /no log-start-offset-checkpoint/],
  ['broker', 'offsets.topic.replication.factor', 3, /consumer groups come in a later issue/],
  ['broker', 'offsets.topic.num.partitions', 50, /consumer groups come in a later issue/],
  ['broker', 'offsets.topic.segment.bytes', 104_857_600, /consumer groups come in a later issue/],
  ['broker', 'offsets.retention.minutes', 10_080, /consumer groups come in a later issue/],
  ['broker', 'offsets.retention.check.interval.ms', 600_000, /consumer groups come in a later issue/],
  ['broker', 'offsets.commit.timeout.ms', 5000, /consumer groups come in a later issue/],
  ['broker', 'group.initial.rebalance.delay.ms', 3000, /consumer groups come in a later issue/],
  ['broker', 'group.min.session.timeout.ms', 6000, /consumer groups come in a later issue/],
  ['broker', 'group.max.session.timeout.ms', 1_800_000, /consumer groups come in a later issue/],
  ['broker', 'group.max.size', 2_147_483_647, /consumer groups come in a later issue/],
  ['topic', 'segment.jitter.ms', 0, /without jitter/],
  ['topic', 'preallocate', false, /not preallocated/],
  ['topic', 'delete.retention.ms', 86_400_000, /log compaction comes in a later issue/],
  ['topic', 'min.compaction.lag.ms', 0, /log compaction comes in a later issue/],
  ['topic', 'max.compaction.lag.ms', '9223372036854775807', /log compaction comes in a later issue/],
  ['topic', 'min.cleanable.dirty.ratio', 0.5, /log compaction comes in a later issue/],
  ['producer', 'transactional.id', 'tx-1', /transactions come in a later issue/],
  ['producer', 'transaction.timeout.ms', 60_000, /transactions come in a later issue/],
  ['consumer', 'group.id', 'g', /consumer groups come in a later issue/],
  ['consumer', 'group.instance.id', 'member-1', /consumer groups come in a later issue/],
  ['consumer', 'enable.auto.commit', true, /commits nothing/],
  ['consumer', 'auto.commit.interval.ms', 5000, /consumer groups come in a later issue/],
  ['consumer', 'max.poll.interval.ms', 300_000, /consumer groups come in a later issue/],
  ['consumer', 'session.timeout.ms', 45_000, /consumer groups come in a later issue/],
  ['consumer', 'heartbeat.interval.ms', 3000, /consumer groups come in a later issue/],
  ['consumer', 'partition.assignment.strategy', 'RangeAssignor', /consumer groups come in a later issue/],
  ['consumer', 'default.api.timeout.ms', 60_000, /no blocking calls/],
];

test('a Kafka key the engine does not model is refused at any value, its default too, saying why', (t) => {
  for (const [kind, key, value, why] of REFUSED_KEYS) {
    const problems = problemsOf(kind, { [key]: value });
    t.is(problems.length, 1, `${kind} ${key}`);
    const [problem] = problems;
    t.is(problem?.type, 'unknown-key', `${kind} ${key}`);
    if (problem?.type !== 'unknown-key') continue;
    t.regex(problem.message, new RegExp(`^${key.replaceAll('.', '\\.')} is a Kafka ${kind} config that Tributary does not model: `), key);
    t.regex(problem.notModelled ?? '', why, key);
    t.is(definitionOf(kind, key), undefined, `${kind} ${key} is in no table, so no default of it is listed`);
    t.false(describeConfig(kind).some((row) => row.key === key), `describeConfig('${kind}') does not list ${key}`);
  }
});

// Keys some of whose values are modelled: those are accepted, the others refused saying why.
const REFUSED_VALUES: [ConfigKind, string, ConfigInputValue, RegExp][] = [
  ['topic', 'cleanup.policy', 'compact', /log compaction comes in a later issue/],
  ['topic', 'cleanup.policy', 'delete,compact', /delete,compact does both/],
  ['broker', 'log.cleanup.policy', 'compact', /log compaction comes in a later issue/],
  ['topic', 'compression.type', 'gzip', /does not recompress/],
  ['broker', 'compression.type', 'uncompressed', /does not recompress/],
  ['producer', 'compression.type', 'lz4', /writes only none and gzip/],
  ['producer', 'compression.type', 'zstd', /writes only none and gzip/],
  ['broker', 'log.dirs', '/data/a,/data/b', /there is no JBOD/],
];

test('a Kafka value the engine does not model is refused saying why, and the modelled values still parse', (t) => {
  for (const [kind, key, value, why] of REFUSED_VALUES) {
    const [problem, ...more] = problemsOf(kind, { [key]: value });
    t.is(more.length, 0, `${kind} ${key}=${String(value)}`);
    t.is(problem?.type, 'invalid-value');
    if (problem?.type !== 'invalid-value') continue;
    t.regex(problem.message, /is refused: Kafka allows .*, but Tributary (does not model it|models at most 1)\. /);
    t.regex(problem.notModelled ?? '', why);
  }
  t.deepEqual(parseConfig('topic', { 'cleanup.policy': 'delete' })['cleanup.policy'], ['delete']);
  t.is(parseConfig('topic', { 'compression.type': 'producer' })['compression.type'], 'producer');
  t.is(parseConfig('producer', { 'compression.type': 'gzip' })['compression.type'], 'gzip');
  t.is(parseConfig('consumer', { 'isolation.level': 'read_committed' })['isolation.level'], 'read_committed');
  t.regex(problemsOf('topic', { 'cleanup.policy': 'compcat' })[0]!.message, /is not valid: item "compcat" is not allowed/);
});

test('the Raft timeouts refuse 0, which the Raft client cannot run with, at parse time', (t) => {
  for (const key of ['controller.quorum.election.timeout.ms', 'controller.quorum.fetch.timeout.ms',
    'controller.quorum.election.backoff.max.ms', 'controller.quorum.request.timeout.ms',
    'replica.high.watermark.checkpoint.interval.ms', 'log.flush.offset.checkpoint.interval.ms', 'log.flush.scheduler.interval.ms']) {
    const [problem] = problemsOf('broker', { [key]: 0 });
    t.regex(problem?.message ?? '', new RegExp(`^${key.replaceAll('.', '\\.')} = 0 is not valid: below the minimum 1`), key);
  }
});

// ---- The source audit: every key left in a table is read by the engine.

const ENGINE = fileURLToPath(new URL('../../engine/', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'config' && dir === ENGINE ? [] : sourcesUnder(path);
    return name.endsWith('.ts') ? [readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')] : [];
  });
}

/**
 * Keys the engine honours without naming them: only the value that is the engine's behaviour is allowed (the
 * others are refused as not modelled), or every value behaves the same.
 */
const HONOURED_UNREAD: Readonly<Record<string, string>> = {
  'topic cleanup.policy': 'only delete is allowed, and retention runs on every log',
  'broker log.cleanup.policy': 'only delete is allowed, and retention runs on every log',
  'topic compression.type': 'only producer is allowed: the broker stores batches as produced',
  'broker compression.type': 'only producer is allowed: the broker stores batches as produced',
  'consumer isolation.level': 'no transactions, so the last stable offset is the high watermark at both levels',
};

test('every key in the tables is read by the engine, inherited by a topic key it reads, or a unit of one', (t) => {
  const code = sourcesUnder(ENGINE).join('\n');
  const named = (key: string): boolean => code.includes(`'${key}'`) || code.includes(`"${key}"`) ||
    (/^[a-z]+$/i.test(key) && new RegExp(`\\.${key}\\b`).test(code));
  const read = new Map<string, boolean>();
  const isRead = (kind: ConfigKind, key: string): boolean => {
    const id = `${kind} ${key}`;
    const known = read.get(id);
    if (known !== undefined) return known;
    read.set(id, false); // no cycles
    let result = named(key);
    const keys = CONFIG_KEYS[kind];
    // A broker key that gives a topic key its cluster-wide default is read when the topic key is.
    if (!result && kind === 'broker') {
      result = Object.entries(CONFIG_KEYS.topic).some(([topicKey, def]) => def.brokerKey === key && isRead('topic', topicKey));
    }
    // A coarser unit (log.retention.hours) is read through the key it falls back to.
    if (!result) {
      result = Object.entries(keys).some(([other, def]) => (def.fallback ?? []).some((step) => step.key === key) && isRead(kind, other));
    }
    read.set(id, result);
    return result;
  };
  const silent: string[] = [];
  for (const kind of CONFIG_KINDS) {
    for (const key of Object.keys(CONFIG_KEYS[kind])) {
      if (!isRead(kind, key) && !Object.hasOwn(HONOURED_UNREAD, `${kind} ${key}`)) silent.push(`${kind} ${key}`);
    }
  }
  t.deepEqual(silent, [], 'keys accepted that no engine code reads: make them work or move them to not-modelled.ts');
  for (const id of Object.keys(HONOURED_UNREAD)) {
    const [kind, key] = id.split(' ') as [ConfigKind, string];
    t.truthy(definitionOf(kind, key), `${id} is still a key`);
  }
});

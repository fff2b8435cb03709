import test from 'ava';
import { coerceValue } from '../../engine/config/coerce.ts';
import type { ConfigKind } from '../../engine/config/definition.ts';
import { CONFIG_KINDS, LONG_MAX } from '../../engine/config/definition.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import { BROKER_KEYS } from '../../engine/config/broker-keys.ts';
import { TOPIC_KEYS } from '../../engine/config/topic-keys.ts';
import { CONFIG_KEYS } from '../../engine/config/registry.ts';
import type { BrokerConfig, ConfigInputValue, ConsumerConfig, ProducerConfig, TopicConfig } from '../../engine/config/types.ts';

/** The least a KRaft node needs: an id, its roles and the controller quorum. */
const NODE = { 'node.id': 1, 'process.roles': 'broker,controller', 'controller.quorum.voters': '1@broker-1:9093' };

const configs = {
  broker: parseConfig('broker', NODE),
  topic: parseConfig('topic', {}),
  producer: parseConfig('producer', {}),
  consumer: parseConfig('consumer', {}),
};

// Kafka 4.0's documented defaults (docs "Broker/Topic/Producer/Consumer Configs", KIP-1030 for 4.0 changes).
const KAFKA_DEFAULTS: [ConfigKind, string, unknown][] = [
  ['producer', 'acks', 'all'],
  ['producer', 'enable.idempotence', true],
  ['producer', 'linger.ms', 5],
  ['producer', 'batch.size', 16_384],
  ['producer', 'buffer.memory', 33_554_432],
  ['producer', 'delivery.timeout.ms', 120_000],
  ['producer', 'request.timeout.ms', 30_000],
  ['producer', 'retries', 2_147_483_647],
  ['producer', 'retry.backoff.ms', 100],
  ['producer', 'retry.backoff.max.ms', 1000],
  ['producer', 'max.in.flight.requests.per.connection', 5],
  ['producer', 'max.request.size', 1_048_576],
  ['producer', 'compression.type', 'none'],
  ['producer', 'partitioner.ignore.keys', false],
  ['producer', 'partitioner.adaptive.partitioning.enable', true],
  ['producer', 'partitioner.availability.timeout.ms', 0],
  ['producer', 'metadata.max.age.ms', 300_000],
  ['producer', 'max.block.ms', 60_000],
  ['producer', 'client.id', ''],
  ['consumer', 'auto.offset.reset', 'latest'],
  ['consumer', 'fetch.min.bytes', 1],
  ['consumer', 'fetch.max.bytes', 52_428_800],
  ['consumer', 'fetch.max.wait.ms', 500],
  ['consumer', 'max.partition.fetch.bytes', 1_048_576],
  ['consumer', 'max.poll.records', 500],
  ['consumer', 'check.crcs', true],
  ['consumer', 'isolation.level', 'read_uncommitted'],
  ['consumer', 'request.timeout.ms', 30_000],
  ['consumer', 'retry.backoff.ms', 100],
  ['broker', 'controller.quorum.election.timeout.ms', 1000],
  ['broker', 'controller.quorum.fetch.timeout.ms', 2000],
  ['broker', 'controller.quorum.election.backoff.max.ms', 1000],
  ['broker', 'controller.quorum.request.timeout.ms', 2000],
  ['broker', 'controller.quorum.retry.backoff.ms', 20],
  ['broker', 'broker.session.timeout.ms', 9000],
  ['broker', 'broker.heartbeat.interval.ms', 2000],
  ['broker', 'num.partitions', 1],
  ['broker', 'default.replication.factor', 1],
  ['broker', 'min.insync.replicas', 1],
  ['broker', 'unclean.leader.election.enable', false],
  ['broker', 'replica.lag.time.max.ms', 30_000],
  ['broker', 'replica.fetch.max.bytes', 1_048_576],
  ['broker', 'replica.fetch.wait.max.ms', 500],
  ['broker', 'replica.fetch.min.bytes', 1],
  ['broker', 'replica.fetch.backoff.ms', 1000],
  ['broker', 'replica.socket.timeout.ms', 30_000],
  ['broker', 'replica.high.watermark.checkpoint.interval.ms', 5000],
  ['broker', 'log.dirs', ['/tmp/kafka-logs']],
  ['broker', 'log.segment.bytes', 1_073_741_824],
  ['broker', 'log.roll.hours', 168],
  ['broker', 'log.roll.ms', 604_800_000],
  ['broker', 'log.retention.hours', 168],
  ['broker', 'log.retention.minutes', null],
  ['broker', 'log.retention.ms', 604_800_000],
  ['broker', 'log.retention.bytes', -1],
  ['broker', 'log.retention.check.interval.ms', 300_000],
  ['broker', 'log.flush.interval.messages', LONG_MAX],
  ['broker', 'log.flush.interval.ms', LONG_MAX],
  ['broker', 'log.index.interval.bytes', 4096],
  ['broker', 'log.index.size.max.bytes', 10_485_760],
  ['broker', 'log.segment.delete.delay.ms', 60_000],
  ['broker', 'log.message.timestamp.before.max.ms', LONG_MAX],
  ['broker', 'log.message.timestamp.after.max.ms', 3_600_000],
  ['broker', 'log.cleanup.policy', ['delete']],
  ['broker', 'message.max.bytes', 1_048_588],
  ['broker', 'auto.create.topics.enable', true],
  ['broker', 'controlled.shutdown.enable', true],
  ['broker', 'replication.truncation', 'leader-epoch'],
  ['topic', 'cleanup.policy', ['delete']],
  ['topic', 'retention.ms', 604_800_000],
  ['topic', 'retention.bytes', -1],
  ['topic', 'segment.bytes', 1_073_741_824],
  ['topic', 'segment.ms', 604_800_000],
  ['topic', 'segment.index.bytes', 10_485_760],
  ['topic', 'index.interval.bytes', 4096],
  ['topic', 'min.insync.replicas', 1],
  ['topic', 'unclean.leader.election.enable', false],
  ['topic', 'flush.messages', LONG_MAX],
  ['topic', 'flush.ms', LONG_MAX],
  ['topic', 'file.delete.delay.ms', 60_000],
  ['topic', 'max.message.bytes', 1_048_588],
  ['topic', 'message.timestamp.type', 'CreateTime'],
  ['topic', 'message.timestamp.before.max.ms', LONG_MAX],
  ['topic', 'message.timestamp.after.max.ms', 3_600_000],
  ['topic', 'compression.type', 'producer'],
];

test('defaults match Kafka 4.0 for a table of keys', (t) => {
  for (const [kind, key, expected] of KAFKA_DEFAULTS) {
    const config = configs[kind] as unknown as Record<string, unknown>;
    t.true(Object.hasOwn(config, key), `${kind} has ${key}`);
    t.deepEqual(config[key], expected, `${kind} ${key}`);
  }
});

test('every default is a value its own key accepts', (t) => {
  for (const kind of CONFIG_KINDS) {
    for (const [key, def] of Object.entries(CONFIG_KEYS[kind])) {
      if (def.default === null) continue;
      const coerced = coerceValue(def, def.default as ConfigInputValue);
      t.true(coerced.ok, `${kind} ${key} default ${String(def.default)}: ${coerced.ok ? '' : coerced.reason}`);
      if (coerced.ok) t.deepEqual(coerced.value, def.default, `${kind} ${key}`);
    }
  }
});

test('every topic key takes its default from a broker key that has the same default', (t) => {
  const brokerDefaults = configs.broker as unknown as Record<string, unknown>;
  for (const [key, def] of Object.entries(TOPIC_KEYS)) {
    t.truthy(def.brokerKey, `${key} names its broker key`);
    t.true(Object.hasOwn(BROKER_KEYS, def.brokerKey), `${def.brokerKey} is a broker key`);
    t.deepEqual(brokerDefaults[def.brokerKey], (configs.topic as unknown as Record<string, unknown>)[key], key);
  }
});

test('every parsed config has exactly the keys of its table', (t) => {
  for (const kind of CONFIG_KINDS) {
    t.deepEqual(Object.keys(configs[kind]), Object.keys(CONFIG_KEYS[kind]), kind);
  }
});

test('the config types are derived from the key tables', (t) => {
  // These lines are checked by tsc (npm test runs it first): the types follow the tables' literals.
  const acks: 'all' | '0' | '1' = configs.producer.acks;
  const roles: readonly ('broker' | 'controller')[] = configs.broker['process.roles'];
  const retentionMs: number = configs.broker['log.retention.ms'];
  const minutes: number | null = configs.broker['log.retention.minutes'];
  const policy: readonly 'delete'[] = configs.topic['cleanup.policy'];
  const isolation: ConsumerConfig['isolation.level'] = 'read_committed';
  // @ts-expect-error: compact is refused (not modelled), so the parsed policy never holds it
  const compact: TopicConfig['cleanup.policy'] = ['compact'];
  // @ts-expect-error: transactions are not modelled: a producer config has no transactional.id
  const transactionalId: unknown = configs.producer['transactional.id'];
  // @ts-expect-error: a producer has no min.insync.replicas
  const missing: unknown = (configs.producer satisfies ProducerConfig)['min.insync.replicas'];
  // @ts-expect-error: acks is never 'none'
  const wrong: ProducerConfig['acks'] = 'none';
  // @ts-expect-error: node.id is required, so never null once parsed
  const nodeId: BrokerConfig['node.id'] = null;
  const topicRetention: TopicConfig['retention.ms'] = 1;
  t.deepEqual([acks, roles, retentionMs, minutes, transactionalId, policy, compact, isolation, missing, wrong, nodeId, topicRetention],
    ['all', ['broker', 'controller'], 604_800_000, null, undefined, ['delete'], ['compact'], 'read_committed', undefined, 'none', null, 1]);
});

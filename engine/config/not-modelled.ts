// Real Kafka keys that Tributary deliberately does not model, with the reason and what the engine does
// instead: a user who brings them from a Kafka properties file learns why, instead of reading "unknown key",
// and a key the engine would ignore is refused instead of accepted in silence. Such a key is refused at any
// value, its Kafka default included, so no table lists a default the engine does not honour.
//
// A key some of whose values are modelled stays in its table and refuses only the others (see
// NotModelledValues in definition.ts: cleanup.policy=compact, compression.type=lz4).

import type { ConfigKind, NotModelledValues } from './definition.ts';
import { CONFIG_KINDS } from './definition.ts';

const NETWORK = 'the simulator owns the network; nodes address each other by node id';
const THREADS = 'threads are not modelled: each node is one single-threaded state machine';
const BYTES = 'records are bytes in Tributary; there are no (de)serializer classes';
const FORMAT = 'message format versions were removed in Kafka 4.0; Tributary writes RecordBatch v2 only';
const GROUPS = 'consumer groups come in a later issue: there is no group coordinator and no __consumer_offsets ' +
  'topic; a consumer assign()s its partitions, commits nothing and keeps its positions in memory';
const REBALANCE = 'there is no preferred-leader election: the controller never moves leadership back to the ' +
  'preferred replica, so a leader keeps its partitions until it fails, is fenced or shuts down (what Kafka does ' +
  'with auto.leader.rebalance.enable=false)';
const CLEANER = 'log compaction comes in a later issue: there is no log cleaner, cleanup.policy=compact is ' +
  'refused, and old segments are deleted by retention (cleanup.policy=delete)';
const JITTER = 'a segment rolls exactly when its first batch is segment.ms old, without jitter (Kafka with its ' +
  'default jitter of 0)';
const PREALLOCATE = 'segment files are not preallocated: a segment file grows as batches are appended (Kafka with ' +
  'its default preallocate=false)';
const TRANSACTIONS = 'transactions come in a later issue: a producer is at most idempotent (enable.idempotence) ' +
  'and there is no transaction coordinator';
const INTERCEPTORS = 'the clients have no interceptor hooks';

const COMPACT = 'log compaction comes in a later issue; the engine deletes old segments by retention, which is ' +
  'cleanup.policy=delete; in Kafka, delete,compact does both';
const RECOMPRESS = 'the broker does not recompress: it stores batches as the producer compressed them, which is ' +
  'compression.type=producer';
const CODEC = 'the records codec writes only none and gzip';

/** cleanup.policy and log.cleanup.policy. */
export const COMPACTION_NOT_MODELLED: NotModelledValues = { compact: COMPACT };
/** The topic's and the broker's compression.type: every codec but `producer`. */
export const RECOMPRESSION_NOT_MODELLED: NotModelledValues = {
  uncompressed: RECOMPRESS, gzip: RECOMPRESS, snappy: RECOMPRESS, lz4: RECOMPRESS, zstd: RECOMPRESS,
};
/** The producer's compression.type. */
export const PRODUCER_CODECS_NOT_MODELLED: NotModelledValues = { snappy: CODEC, lz4: CODEC, zstd: CODEC };

const NOT_MODELLED: { readonly [K in ConfigKind]: Readonly<Record<string, string>> } = {
  broker: {
    'zookeeper.connect': 'ZooKeeper mode was removed in Kafka 4.0; Tributary runs KRaft only (controller.quorum.voters)',
    'controller.quorum.bootstrap.servers': 'dynamic quorums (KIP-853) are not modelled; give controller.quorum.voters',
    'controller.quorum.append.linger.ms': 'the quorum leader does not linger: it appends each batch of metadata ' +
      'records to the metadata log as soon as the controller writes it',
    'listeners': NETWORK,
    'advertised.listeners': NETWORK,
    'controller.listener.names': NETWORK,
    'listener.security.protocol.map': NETWORK,
    'inter.broker.listener.name': NETWORK,
    'num.network.threads': THREADS,
    'num.io.threads': THREADS,
    'num.replica.fetchers': THREADS,
    'num.recovery.threads.per.data.dir': THREADS,
    'log.message.format.version': FORMAT,
    'delete.topic.enable': 'there is no DeleteTopics request, so topics are never deleted',
    'auto.leader.rebalance.enable': REBALANCE,
    'leader.imbalance.check.interval.seconds': REBALANCE,
    'leader.imbalance.per.broker.percentage': REBALANCE,
    'log.roll.jitter.hours': JITTER,
    'log.roll.jitter.ms': JITTER,
    'log.preallocate': PREALLOCATE,
    'log.flush.start.offset.checkpoint.interval.ms': 'no log-start-offset-checkpoint file is written: without ' +
      'DeleteRecords a log starts at the base offset of its first segment, which recovery reads from the segment files',
    'log.cleaner.enable': CLEANER,
    'log.cleaner.threads': CLEANER,
    'log.cleaner.backoff.ms': CLEANER,
    'log.cleaner.min.cleanable.ratio': CLEANER,
    'log.cleaner.delete.retention.ms': CLEANER,
    'log.cleaner.min.compaction.lag.ms': CLEANER,
    'log.cleaner.max.compaction.lag.ms': CLEANER,
    'log.cleaner.dedupe.buffer.size': CLEANER,
    'log.cleaner.io.buffer.size': CLEANER,
    'log.cleaner.io.max.bytes.per.second': CLEANER,
    'offsets.topic.replication.factor': GROUPS,
    'offsets.topic.num.partitions': GROUPS,
    'offsets.topic.segment.bytes': GROUPS,
    'offsets.retention.minutes': GROUPS,
    'offsets.retention.check.interval.ms': GROUPS,
    'offsets.commit.timeout.ms': GROUPS,
    'group.initial.rebalance.delay.ms': GROUPS,
    'group.min.session.timeout.ms': GROUPS,
    'group.max.session.timeout.ms': GROUPS,
    'group.max.size': GROUPS,
    'transaction.state.log.replication.factor': TRANSACTIONS,
    'transaction.state.log.min.isr': TRANSACTIONS,
    'transaction.state.log.num.partitions': TRANSACTIONS,
  },
  topic: {
    'message.format.version': FORMAT,
    'message.downconversion.enable': FORMAT,
    'segment.jitter.ms': JITTER,
    'preallocate': PREALLOCATE,
    'delete.retention.ms': CLEANER,
    'min.compaction.lag.ms': CLEANER,
    'max.compaction.lag.ms': CLEANER,
    'min.cleanable.dirty.ratio': CLEANER,
  },
  producer: {
    'key.serializer': BYTES,
    'value.serializer': BYTES,
    'partitioner.class': 'the built-in partitioner is the only one; see partitioner.ignore.keys',
    'interceptor.classes': INTERCEPTORS,
    'transactional.id': TRANSACTIONS,
    'transaction.timeout.ms': TRANSACTIONS,
  },
  consumer: {
    'key.deserializer': BYTES,
    'value.deserializer': BYTES,
    'interceptor.classes': INTERCEPTORS,
    'group.id': GROUPS,
    'group.instance.id': GROUPS,
    'group.protocol': GROUPS,
    'group.remote.assignor': GROUPS,
    'partition.assignment.strategy': GROUPS,
    'session.timeout.ms': GROUPS,
    'heartbeat.interval.ms': GROUPS,
    'max.poll.interval.ms': GROUPS,
    'enable.auto.commit': GROUPS,
    'auto.commit.interval.ms': GROUPS,
    'default.api.timeout.ms': 'the consumer makes no blocking calls (assign, seek and position return at once), ' +
      'so there is nothing for this timeout to bound',
  },
};

/** Why Tributary does not model this Kafka key of `kind`, or undefined when it is no Kafka key we know of. */
export function notModelledReason(kind: ConfigKind, key: string): string | undefined {
  const table = NOT_MODELLED[kind];
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The kinds for which `key` is a Kafka key that Tributary does not model. */
export function notModelledKinds(key: string): ConfigKind[] {
  return CONFIG_KINDS.filter((kind) => notModelledReason(kind, key) !== undefined);
}

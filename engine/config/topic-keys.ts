// Topic configuration keys: Kafka's names and defaults, each with the broker key that sets its cluster-wide
// default (Kafka's "Server Default Property"). parseConfig('topic', overrides, broker) takes a key's value
// from that broker key when the topic does not set it.
//
// A default here equals the default of its broker key (a test checks it), so a topic parsed without a broker
// config gets what a broker with no overrides would give.

import { LONG_MAX, defineKeys } from './definition.ts';
import { COMPACTION_NOT_MODELLED, RECOMPRESSION_NOT_MODELLED } from './not-modelled.ts';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export const TOPIC_KEYS = defineKeys({
  'cleanup.policy': {
    type: 'list', values: ['delete'], default: ['delete'], nonEmpty: true, notModelledValues: COMPACTION_NOT_MODELLED,
    brokerKey: 'log.cleanup.policy',
    doc: 'delete drops old segments by retention.ms and retention.bytes.',
    note: 'Kafka also takes compact (keep the latest record per key) and delete,compact (both); Tributary has ' +
      'no log cleaner yet, so compact is refused.',
  },
  'retention.ms': {
    type: 'long', default: WEEK_MS, min: -1,
    brokerKey: 'log.retention.ms',
    doc: 'A segment whose newest record is older than this is deleted; -1 keeps data forever.',
  },
  'retention.bytes': {
    type: 'long', default: -1, min: -1,
    brokerKey: 'log.retention.bytes',
    doc: 'The oldest segments are deleted while a partition is bigger than this; -1 = no limit.',
  },
  'segment.bytes': {
    type: 'int', default: 1_073_741_824, min: 14,
    brokerKey: 'log.segment.bytes',
    doc: 'The active segment rolls before it would grow past this size.',
    note: 'Kafka 4.0 raised the minimum to 1048576 (KIP-1030); Tributary keeps 3.x\'s 14 so that short ' +
      'simulations can show rolling and retention over many small segments.',
  },
  'segment.ms': {
    type: 'long', default: WEEK_MS, min: 1,
    brokerKey: 'log.roll.ms',
    doc: 'The active segment rolls once its first record is this old, even if not full.',
  },
  'segment.index.bytes': {
    type: 'int', default: 10_485_760, min: 4,
    brokerKey: 'log.index.size.max.bytes',
    doc: 'Size of a segment\'s offset and time index files; a full index rolls the segment.',
  },
  'index.interval.bytes': {
    type: 'int', default: 4096, min: 0,
    brokerKey: 'log.index.interval.bytes',
    doc: 'Bytes of batches between two offset index entries.',
  },
  'min.insync.replicas': {
    type: 'int', default: 1, min: 1,
    brokerKey: 'min.insync.replicas',
    doc: 'An acks=all write fails (NotEnoughReplicas) unless the ISR holds at least this many replicas.',
  },
  'unclean.leader.election.enable': {
    type: 'boolean', default: false,
    brokerKey: 'unclean.leader.election.enable',
    doc: 'A replica outside the ISR may become leader when no ISR member is alive, losing acked data.',
  },
  'flush.messages': {
    type: 'long', default: LONG_MAX, min: 1,
    brokerKey: 'log.flush.interval.messages',
    doc: 'fsync after this many appended records (1 = every write); Kafka leaves it to the OS by default.',
  },
  'flush.ms': {
    type: 'long', default: LONG_MAX, min: 0,
    brokerKey: 'log.flush.interval.ms',
    doc: 'fsync when unflushed data is this old; Kafka leaves it to the OS by default.',
  },
  'file.delete.delay.ms': {
    type: 'long', default: 60_000, min: 0,
    brokerKey: 'log.segment.delete.delay.ms',
    doc: 'A deleted segment waits this long, renamed .deleted, before its files are removed.',
  },
  'max.message.bytes': {
    type: 'int', default: 1_048_588, min: 0,
    brokerKey: 'message.max.bytes',
    doc: 'Largest record batch (after compression, with its log overhead) the topic accepts.',
  },
  'message.timestamp.type': {
    type: 'enum', values: ['CreateTime', 'LogAppendTime'], default: 'CreateTime',
    brokerKey: 'log.message.timestamp.type',
    doc: 'CreateTime keeps the producer\'s timestamps; LogAppendTime stamps batches with the broker\'s clock.',
  },
  'message.timestamp.before.max.ms': {
    type: 'long', default: LONG_MAX, min: 0,
    brokerKey: 'log.message.timestamp.before.max.ms',
    doc: 'A CreateTime batch stamped further than this in the past is rejected.',
  },
  'message.timestamp.after.max.ms': {
    type: 'long', default: 3_600_000, min: 0,
    brokerKey: 'log.message.timestamp.after.max.ms',
    doc: 'A CreateTime batch stamped further than this in the future is rejected.',
    note: 'Kafka 4.0 changed the default from Long.MAX_VALUE to one hour (KIP-1030).',
  },
  'compression.type': {
    type: 'enum', values: ['producer'], default: 'producer', notModelledValues: RECOMPRESSION_NOT_MODELLED,
    brokerKey: 'compression.type',
    doc: 'Codec batches are stored with: producer keeps the producer\'s codec.',
    note: 'Kafka also takes uncompressed, gzip, snappy, lz4 and zstd (the broker recompresses); Tributary ' +
      'stores batches as the producer compressed them.',
  },
} as const);

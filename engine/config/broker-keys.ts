// Broker (and KRaft controller) configuration keys: Kafka's names and Kafka 4.0's defaults.
//
// Time-unit families resolve as in Kafka: `log.retention.ms` if set, else `log.retention.minutes`, else
// `log.retention.hours`; the parsed config's `.ms` key always holds the resulting value, while the coarser
// keys keep what was given (or their defaults). Likewise log.roll.*, log.flush.interval.ms
// (← log.flush.scheduler.interval.ms) and log.dirs (← log.dir).
//
// Kafka keys the engine does not model (groups, compaction, preferred-leader rebalancing, ...) are not here
// but in not-modelled.ts, which refuses them saying why.

import { LONG_MAX, SHORT_MAX, defineKeys } from './definition.ts';
import { COMPACTION_NOT_MODELLED, RECOMPRESSION_NOT_MODELLED } from './not-modelled.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const BROKER_KEYS = defineKeys({
  // ---- identity and the KRaft quorum
  'node.id': {
    type: 'int', default: null, required: true, min: 0,
    doc: 'This node\'s id, unique in the cluster (brokers and controllers alike).',
  },
  'process.roles': {
    type: 'list', values: ['broker', 'controller'], default: null, required: true, nonEmpty: true,
    doc: 'What this process runs: broker, controller, or both (combined mode).',
  },
  'controller.quorum.voters': {
    type: 'list', default: [], itemPattern: /^\d+@(\[[0-9A-Fa-f:.]+\]|[^\s:@[\]]+):\d{1,5}$/,
    itemDoc: 'id@host:port entries',
    doc: 'The controller quorum\'s voters, as id@host:port.',
    note: 'Kafka 4.0 also offers controller.quorum.bootstrap.servers (dynamic quorums, KIP-853); Tributary ' +
      'models the static voter set only, so it must be given.',
  },
  'controller.quorum.election.timeout.ms': {
    type: 'int', default: 1000, min: 1,
    doc: 'A voter that hears nothing from a leader for this long (randomised up to twice it) starts an election.',
    note: 'Kafka sets no lower bound; Tributary\'s Raft client needs at least 1 ms (0 would make it spin), so 0 is refused.',
  },
  'controller.quorum.fetch.timeout.ms': {
    type: 'int', default: 2000, min: 1,
    doc: 'A voter that cannot fetch from the leader for this long becomes a candidate.',
    note: 'Kafka sets no lower bound; Tributary\'s Raft client needs at least 1 ms (0 would make it spin), so 0 is refused.',
  },
  'controller.quorum.election.backoff.max.ms': {
    type: 'int', default: 1000, min: 1,
    doc: 'Ceiling of the exponential backoff between elections.',
    note: 'Kafka sets no lower bound; Tributary\'s Raft client needs at least 1 ms (0 would make it spin), so 0 is refused.',
  },
  'controller.quorum.request.timeout.ms': {
    type: 'int', default: 2000, min: 1,
    doc: 'How long a quorum request waits for a response before it is retried.',
    note: 'Kafka sets no lower bound; Tributary\'s Raft client needs at least 1 ms (0 would make it spin), so 0 is refused.',
  },
  'controller.quorum.retry.backoff.ms': {
    type: 'int', default: 20, min: 0,
    doc: 'Wait before a failed quorum request is retried.',
  },
  'broker.session.timeout.ms': {
    type: 'int', default: 9000, min: 1,
    doc: 'The controller fences a broker whose heartbeats stop for this long.',
  },
  'broker.heartbeat.interval.ms': {
    type: 'int', default: 2000, min: 1,
    doc: 'Time between a broker\'s heartbeats to the active controller.',
  },

  // ---- topics and replication
  'num.partitions': {
    type: 'int', default: 1, min: 1,
    doc: 'Partitions of a topic created without a count (auto-created topics too).',
  },
  'default.replication.factor': {
    type: 'int', default: 1, min: 1, max: SHORT_MAX,
    doc: 'Replication factor of a topic created without one (auto-created topics too).',
  },
  'min.insync.replicas': {
    type: 'int', default: 1, min: 1,
    doc: 'Cluster default of the topic key: an acks=all write needs at least this many in-sync replicas.',
  },
  'unclean.leader.election.enable': {
    type: 'boolean', default: false,
    doc: 'Cluster default of the topic key: a replica outside the ISR may become leader, losing acked data.',
  },
  'eligible.leader.replicas.version': {
    type: 'int', default: 0, min: 0, max: 1,
    doc: 'KIP-966 on the controllers (1): eligible leader replicas, and unclean restarts leave every ISR and ELR.',
    note: 'In Kafka this is a feature level (kafka-storage format --feature, kafka-features upgrade), not a ' +
      'property; Tributary reads it from the controllers\' config. 0 is Kafka 4.0\'s default; 4.1 turns it on ' +
      'for new clusters.',
  },
  'replica.lag.time.max.ms': {
    type: 'long', default: 30_000, min: 0,
    doc: 'A follower that has not caught up to the leader\'s log end within this long leaves the ISR.',
    note: 'Kafka 2.5 raised the default from 10000 to 30000 (KIP-537).',
  },
  'replica.fetch.max.bytes': {
    type: 'int', default: 1_048_576, min: 0,
    doc: 'Bytes a follower asks for per partition in one fetch (a larger first batch still comes back).',
  },
  'replica.fetch.response.max.bytes': {
    type: 'int', default: 10_485_760, min: 0,
    doc: 'Bytes a follower accepts in one whole fetch response.',
  },
  'replica.fetch.wait.max.ms': {
    type: 'int', default: 500,
    doc: 'How long the leader may hold a follower\'s fetch waiting for replica.fetch.min.bytes.',
  },
  'replica.fetch.min.bytes': {
    type: 'int', default: 1,
    doc: 'The leader holds a follower\'s fetch until this many bytes are available.',
  },
  'replica.fetch.backoff.ms': {
    type: 'int', default: 1000, min: 0,
    doc: 'A follower waits this long after a failed fetch before it fetches again.',
  },
  'replica.socket.timeout.ms': {
    type: 'int', default: 30_000,
    doc: 'A follower\'s fetch request times out after this long.',
  },
  'replica.high.watermark.checkpoint.interval.ms': {
    type: 'long', default: 5000, min: 1,
    doc: 'How often each log dir\'s replication-offset-checkpoint (high watermarks) is written.',
    note: 'Kafka sets no lower bound (a period of 0 runs the task only once); Tributary refuses values below 1.',
  },
  'replication.truncation': {
    type: 'enum', values: ['leader-epoch', 'high-watermark'], default: 'leader-epoch', tributaryOnly: true,
    doc: 'How a follower truncates after a leader change: leader-epoch asks the leader for the divergence ' +
      'point (KIP-101/KIP-320, modern Kafka); high-watermark truncates to its own high watermark, restoring ' +
      'pre-KIP-101 Kafka and the data loss and divergence it allowed.',
  },
  'auto.create.topics.enable': {
    type: 'boolean', default: true,
    doc: 'A produce or metadata request for a missing topic creates it with the defaults above.',
  },
  'controlled.shutdown.enable': {
    type: 'boolean', default: true,
    doc: 'A stopping broker first asks the controller to move its leaderships away.',
  },
  'message.max.bytes': {
    type: 'int', default: 1_048_588, min: 0,
    doc: 'Cluster default of max.message.bytes: the largest record batch a topic accepts.',
  },
  'compression.type': {
    type: 'enum', values: ['producer'], default: 'producer', notModelledValues: RECOMPRESSION_NOT_MODELLED,
    doc: 'Cluster default of the topic key: the codec batches are stored with.',
    note: 'Kafka also takes uncompressed, gzip, snappy, lz4 and zstd (the broker recompresses); Tributary ' +
      'stores batches as the producer compressed them.',
  },

  // ---- the log
  'log.dir': {
    type: 'string', default: '/tmp/kafka-logs',
    doc: 'The log directory, used when log.dirs is not set.',
  },
  'log.dirs': {
    type: 'list', default: null, nonEmpty: true, fallback: [{ key: 'log.dir', scale: 1 }],
    itemPattern: /^\//, itemDoc: 'absolute paths',
    maxItems: { count: 1, notModelled: 'a broker keeps every partition in one directory: there is no JBOD' },
    doc: 'The log directory; unset = log.dir.',
    note: 'Kafka spreads partitions over several directories (JBOD); Tributary models one.',
  },
  'log.segment.bytes': {
    type: 'int', default: 1_073_741_824, min: 14,
    doc: 'Cluster default of segment.bytes: the active segment rolls before it would pass this size.',
    note: 'Kafka 4.0 raised the minimum to 1048576 (KIP-1030); Tributary keeps 3.x\'s 14 so that short ' +
      'simulations can show rolling and retention over many small segments.',
  },
  'log.roll.hours': {
    type: 'int', default: 168, min: 1,
    doc: 'Cluster default of segment.ms, in hours (log.roll.ms wins when set).',
  },
  'log.roll.ms': {
    type: 'long', default: null, min: 1, fallback: [{ key: 'log.roll.hours', scale: HOUR_MS }],
    doc: 'Cluster default of segment.ms: the active segment rolls once its first record is this old.',
  },
  'log.retention.hours': {
    type: 'int', default: 168,
    doc: 'Cluster default of retention.ms, in hours (log.retention.minutes and .ms win when set).',
  },
  'log.retention.minutes': {
    type: 'int', default: null,
    doc: 'Cluster default of retention.ms, in minutes (log.retention.ms wins when set).',
  },
  'log.retention.ms': {
    type: 'long', default: null, min: -1,
    fallback: [{ key: 'log.retention.minutes', scale: MINUTE_MS }, { key: 'log.retention.hours', scale: HOUR_MS }],
    doc: 'Cluster default of retention.ms: segments older than this are deleted; -1 keeps data forever.',
  },
  'log.retention.bytes': {
    type: 'long', default: -1, min: -1,
    doc: 'Cluster default of retention.bytes: -1 = no size limit.',
  },
  'log.retention.check.interval.ms': {
    type: 'long', default: 300_000, min: 1,
    doc: 'How often the broker looks for segments to delete by retention.',
  },
  'log.cleanup.policy': {
    type: 'list', values: ['delete'], default: ['delete'], nonEmpty: true, notModelledValues: COMPACTION_NOT_MODELLED,
    doc: 'Cluster default of cleanup.policy.',
    note: 'Kafka also takes compact; Tributary has no log cleaner yet.',
  },
  'log.flush.interval.messages': {
    type: 'long', default: LONG_MAX, min: 1,
    doc: 'Cluster default of flush.messages: fsync after this many records (1 = every write).',
  },
  'log.flush.scheduler.interval.ms': {
    type: 'long', default: LONG_MAX, min: 1,
    doc: 'How often the flusher checks for logs to fsync; the default of log.flush.interval.ms.',
    note: 'Kafka sets no lower bound (a period of 0 runs the task only once); Tributary refuses values below 1.',
  },
  'log.flush.interval.ms': {
    type: 'long', default: null, min: 0, fallback: [{ key: 'log.flush.scheduler.interval.ms', scale: 1 }],
    doc: 'Cluster default of flush.ms: fsync when unflushed data is this old.',
  },
  'log.flush.offset.checkpoint.interval.ms': {
    type: 'int', default: 60_000, min: 1,
    doc: 'How often the recovery-point-offset-checkpoint file is written.',
    note: 'Kafka allows 0 (the task then runs only once); Tributary refuses values below 1.',
  },
  'log.index.interval.bytes': {
    type: 'int', default: 4096, min: 0,
    doc: 'Cluster default of index.interval.bytes.',
  },
  'log.index.size.max.bytes': {
    type: 'int', default: 10_485_760, min: 4,
    doc: 'Cluster default of segment.index.bytes.',
  },
  'log.segment.delete.delay.ms': {
    type: 'long', default: 60_000, min: 0,
    doc: 'Cluster default of file.delete.delay.ms.',
  },
  'log.message.timestamp.type': {
    type: 'enum', values: ['CreateTime', 'LogAppendTime'], default: 'CreateTime',
    doc: 'Cluster default of message.timestamp.type.',
  },
  'log.message.timestamp.before.max.ms': {
    type: 'long', default: LONG_MAX, min: 0,
    doc: 'Cluster default of message.timestamp.before.max.ms.',
  },
  'log.message.timestamp.after.max.ms': {
    type: 'long', default: 3_600_000, min: 0,
    doc: 'Cluster default of message.timestamp.after.max.ms.',
    note: 'Kafka 4.0 changed the default from Long.MAX_VALUE to one hour (KIP-1030).',
  },
} as const);

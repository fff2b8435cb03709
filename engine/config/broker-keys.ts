// Broker (and KRaft controller) configuration keys: Kafka's names and Kafka 4.0's defaults.
//
// Time-unit families resolve as in Kafka: `log.retention.ms` if set, else `log.retention.minutes`, else
// `log.retention.hours`; the parsed config's `.ms` key always holds the resulting value, while the coarser
// keys keep what was given (or their defaults). Likewise log.roll.*, log.roll.jitter.*, log.flush.interval.ms
// (← log.flush.scheduler.interval.ms) and log.dirs (← log.dir).

import { INT_MAX, LONG_MAX, SHORT_MAX, defineKeys } from './definition.ts';

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
    type: 'int', default: 1000, min: 0,
    doc: 'A voter that hears nothing from a leader for this long (randomised up to twice it) starts an election.',
  },
  'controller.quorum.fetch.timeout.ms': {
    type: 'int', default: 2000, min: 0,
    doc: 'A voter that cannot fetch from the leader for this long becomes a candidate.',
  },
  'controller.quorum.election.backoff.max.ms': {
    type: 'int', default: 1000, min: 0,
    doc: 'Ceiling of the exponential backoff between elections.',
  },
  'controller.quorum.request.timeout.ms': {
    type: 'int', default: 2000, min: 0,
    doc: 'How long a quorum request waits for a response before it is retried.',
  },
  'controller.quorum.retry.backoff.ms': {
    type: 'int', default: 20, min: 0,
    doc: 'Wait before a failed quorum request is retried.',
  },
  'controller.quorum.append.linger.ms': {
    type: 'int', default: 25, min: 0,
    doc: 'How long the quorum leader gathers metadata records before appending them as one batch.',
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
    type: 'long', default: 5000,
    doc: 'How often each log dir\'s replication-offset-checkpoint (high watermarks) is written.',
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
  'delete.topic.enable': {
    type: 'boolean', default: true,
    doc: 'Topics may be deleted.',
  },
  'auto.leader.rebalance.enable': {
    type: 'boolean', default: true,
    doc: 'The controller moves leadership back to preferred replicas when a broker is too imbalanced.',
  },
  'leader.imbalance.check.interval.seconds': {
    type: 'long', default: 300, min: 1,
    doc: 'How often the controller checks leader imbalance.',
  },
  'leader.imbalance.per.broker.percentage': {
    type: 'int', default: 10, min: 0,
    doc: 'Share of a broker\'s partitions led elsewhere that triggers a preferred-leader election.',
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
    type: 'enum', values: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'], default: 'producer',
    doc: 'Cluster default of the topic key: the codec batches are stored with.',
  },

  // ---- the log
  'log.dir': {
    type: 'string', default: '/tmp/kafka-logs',
    doc: 'The log directory, used when log.dirs is not set.',
  },
  'log.dirs': {
    type: 'list', default: null, nonEmpty: true, fallback: [{ key: 'log.dir', scale: 1 }],
    itemPattern: /^\//, itemDoc: 'absolute paths',
    doc: 'The log directories; unset = log.dir.',
  },
  'log.segment.bytes': {
    type: 'int', default: 1_073_741_824, min: 14,
    doc: 'Cluster default of segment.bytes: the active segment rolls before it would pass this size.',
    note: 'Kafka 4.0 raised the minimum to 1048576 (KIP-1030); Tributary keeps 3.x\'s 14 so that short ' +
      'simulations can show rolling, retention and compaction over many small segments.',
  },
  'log.roll.hours': {
    type: 'int', default: 168, min: 1,
    doc: 'Cluster default of segment.ms, in hours (log.roll.ms wins when set).',
  },
  'log.roll.ms': {
    type: 'long', default: null, min: 1, fallback: [{ key: 'log.roll.hours', scale: HOUR_MS }],
    doc: 'Cluster default of segment.ms: the active segment rolls once its first record is this old.',
  },
  'log.roll.jitter.hours': {
    type: 'int', default: 0, min: 0,
    doc: 'Cluster default of segment.jitter.ms, in hours (log.roll.jitter.ms wins when set).',
  },
  'log.roll.jitter.ms': {
    type: 'long', default: null, min: 0, fallback: [{ key: 'log.roll.jitter.hours', scale: HOUR_MS }],
    doc: 'Cluster default of segment.jitter.ms.',
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
    type: 'list', values: ['delete', 'compact'], default: ['delete'], nonEmpty: true,
    doc: 'Cluster default of cleanup.policy.',
  },
  'log.cleaner.enable': {
    type: 'boolean', default: true,
    doc: 'Run the log cleaner, which compacts topics whose cleanup.policy includes compact.',
  },
  'log.cleaner.backoff.ms': {
    type: 'long', default: 15_000, min: 0,
    doc: 'How long the cleaner sleeps when no log needs cleaning.',
  },
  'log.cleaner.min.cleanable.ratio': {
    type: 'double', default: 0.5, min: 0, max: 1,
    doc: 'Cluster default of min.cleanable.dirty.ratio.',
  },
  'log.cleaner.delete.retention.ms': {
    type: 'long', default: 86_400_000, min: 0,
    doc: 'Cluster default of delete.retention.ms: how long tombstones survive compaction.',
  },
  'log.cleaner.min.compaction.lag.ms': {
    type: 'long', default: 0, min: 0,
    doc: 'Cluster default of min.compaction.lag.ms.',
  },
  'log.cleaner.max.compaction.lag.ms': {
    type: 'long', default: LONG_MAX, min: 1,
    doc: 'Cluster default of max.compaction.lag.ms.',
  },
  'log.flush.interval.messages': {
    type: 'long', default: LONG_MAX, min: 1,
    doc: 'Cluster default of flush.messages: fsync after this many records (1 = every write).',
  },
  'log.flush.scheduler.interval.ms': {
    type: 'long', default: LONG_MAX,
    doc: 'How often the flusher checks for logs to fsync; the default of log.flush.interval.ms.',
  },
  'log.flush.interval.ms': {
    type: 'long', default: null, min: 0, fallback: [{ key: 'log.flush.scheduler.interval.ms', scale: 1 }],
    doc: 'Cluster default of flush.ms: fsync when unflushed data is this old.',
  },
  'log.flush.offset.checkpoint.interval.ms': {
    type: 'int', default: 60_000, min: 0,
    doc: 'How often the recovery-point-offset-checkpoint file is written.',
  },
  'log.flush.start.offset.checkpoint.interval.ms': {
    type: 'int', default: 60_000, min: 0,
    doc: 'How often the log-start-offset-checkpoint file is written.',
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
  'log.preallocate': {
    type: 'boolean', default: false,
    doc: 'Cluster default of preallocate.',
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

  // ---- groups and committed offsets
  'offsets.topic.replication.factor': {
    type: 'int', default: 3, min: 1, max: SHORT_MAX,
    doc: 'Replication factor of __consumer_offsets; creating it fails until this many brokers are alive.',
  },
  'offsets.topic.num.partitions': {
    type: 'int', default: 50, min: 1,
    doc: 'Partitions of __consumer_offsets (a group\'s coordinator leads partition hash(group.id) mod this).',
  },
  'offsets.topic.segment.bytes': {
    type: 'int', default: 104_857_600, min: 1,
    doc: 'segment.bytes of __consumer_offsets.',
  },
  'offsets.retention.minutes': {
    type: 'int', default: 10_080, min: 1,
    doc: 'Committed offsets of an empty group are dropped after this long.',
  },
  'offsets.retention.check.interval.ms': {
    type: 'long', default: 600_000, min: 1,
    doc: 'How often expired committed offsets are looked for.',
  },
  'offsets.commit.timeout.ms': {
    type: 'int', default: 5000, min: 1,
    doc: 'An offset commit waits this long for __consumer_offsets replication before it fails.',
  },
  'group.initial.rebalance.delay.ms': {
    type: 'int', default: 3000, min: 0,
    doc: 'The first rebalance of a new group waits this long for more members to join.',
  },
  'group.min.session.timeout.ms': {
    type: 'int', default: 6000,
    doc: 'Smallest session.timeout.ms a consumer may ask for.',
  },
  'group.max.session.timeout.ms': {
    type: 'int', default: 1_800_000,
    doc: 'Largest session.timeout.ms a consumer may ask for.',
  },
  'group.max.size': {
    type: 'int', default: INT_MAX, min: 1,
    doc: 'Most members one consumer group may have.',
  },
} as const);

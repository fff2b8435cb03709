// Consumer configuration keys: Kafka's names and Kafka 4.0's defaults (classic group protocol).
//
// partition.assignment.strategy takes Kafka's assignor class names; the simple class name (`RangeAssignor`)
// is accepted too and normalised to the full one. ASSIGNOR_PROTOCOL_NAMES gives the name a JoinGroup carries.

import { defineKeys } from './definition.ts';

const RANGE = 'org.apache.kafka.clients.consumer.RangeAssignor';
const ROUND_ROBIN = 'org.apache.kafka.clients.consumer.RoundRobinAssignor';
const STICKY = 'org.apache.kafka.clients.consumer.StickyAssignor';
const COOPERATIVE_STICKY = 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor';

/** Kafka's built-in assignors: class name → the protocol name they announce in JoinGroup. */
export const ASSIGNOR_PROTOCOL_NAMES = {
  [RANGE]: 'range',
  [ROUND_ROBIN]: 'roundrobin',
  [STICKY]: 'sticky',
  [COOPERATIVE_STICKY]: 'cooperative-sticky',
} as const;

export const CONSUMER_KEYS = defineKeys({
  'group.id': {
    type: 'string', default: null,
    doc: 'The consumer group; unset = no group: no subscribe(), no committed offsets.',
  },
  'group.instance.id': {
    type: 'string', default: null,
    doc: 'A static member id: a restart within session.timeout.ms keeps the assignment without a rebalance.',
  },
  'auto.offset.reset': {
    type: 'enum', values: ['latest', 'earliest', 'none'], default: 'latest',
    doc: 'Where to start when there is no committed offset (or it is out of range): latest, earliest, or fail.',
  },
  'enable.auto.commit': {
    type: 'boolean', default: true,
    doc: 'Commit the consumed offsets in the background every auto.commit.interval.ms.',
    note: 'Without group.id it resolves to false, as in Kafka; set true without group.id it is an error.',
  },
  'auto.commit.interval.ms': {
    type: 'int', default: 5000, min: 0,
    doc: 'How often offsets are auto-committed.',
  },
  'fetch.min.bytes': {
    type: 'int', default: 1, min: 0,
    doc: 'The broker holds a fetch until this many bytes are available (or fetch.max.wait.ms passes).',
  },
  'fetch.max.bytes': {
    type: 'int', default: 52_428_800, min: 0,
    doc: 'Upper bound of bytes one fetch response returns (a first batch larger than it still comes back).',
  },
  'fetch.max.wait.ms': {
    type: 'int', default: 500, min: 0,
    doc: 'How long the broker may hold a fetch waiting for fetch.min.bytes.',
  },
  'max.partition.fetch.bytes': {
    type: 'int', default: 1_048_576, min: 0,
    doc: 'Upper bound of bytes returned per partition in one fetch.',
  },
  'max.poll.records': {
    type: 'int', default: 500, min: 1,
    doc: 'Most records one poll() returns.',
  },
  'max.poll.interval.ms': {
    type: 'int', default: 300_000, min: 1,
    doc: 'A member that does not poll for this long leaves the group, which rebalances.',
  },
  'session.timeout.ms': {
    type: 'int', default: 45_000,
    doc: 'The coordinator removes a member whose heartbeats stop for this long.',
    note: 'Kafka 3.0 changed the default from 10000 to 45000 (KIP-735).',
  },
  'heartbeat.interval.ms': {
    type: 'int', default: 3000,
    doc: 'Time between heartbeats to the group coordinator; must be below session.timeout.ms.',
  },
  'isolation.level': {
    type: 'enum', values: ['read_uncommitted', 'read_committed'], default: 'read_uncommitted',
    doc: 'read_committed reads only up to the last stable offset and skips aborted transactions.',
  },
  'partition.assignment.strategy': {
    type: 'list',
    values: [RANGE, ROUND_ROBIN, STICKY, COOPERATIVE_STICKY],
    aliases: {
      RangeAssignor: RANGE,
      RoundRobinAssignor: ROUND_ROBIN,
      StickyAssignor: STICKY,
      CooperativeStickyAssignor: COOPERATIVE_STICKY,
    },
    default: [RANGE, COOPERATIVE_STICKY],
    nonEmpty: true,
    doc: 'Assignors the member supports, in order of preference; the group uses the first all members share.',
  },
  'client.id': {
    type: 'string', default: '',
    doc: 'Name sent with every request, for logs and quotas.',
  },
  'bootstrap.servers': {
    type: 'list', default: [],
    doc: 'Brokers to fetch the first metadata from.',
    note: 'Kafka requires it; in Tributary an empty list means every broker of the simulated cluster.',
  },
  'request.timeout.ms': {
    type: 'int', default: 30_000, min: 0,
    doc: 'How long the consumer waits for a response before it retries or fails the request.',
  },
  'default.api.timeout.ms': {
    type: 'int', default: 60_000, min: 0,
    doc: 'Timeout of blocking consumer calls (commitSync, position, ...) that take none.',
  },
  'retry.backoff.ms': {
    type: 'long', default: 100, min: 0,
    doc: 'Initial wait before a failed request is retried.',
  },
  'retry.backoff.max.ms': {
    type: 'long', default: 1000, min: 0,
    doc: 'Ceiling of the exponential retry backoff.',
  },
  'metadata.max.age.ms': {
    type: 'long', default: 300_000, min: 0,
    doc: 'Metadata is refreshed at least this often, even without leadership errors.',
  },
  'check.crcs': {
    type: 'boolean', default: true,
    doc: 'Verify the CRC-32C of every fetched record batch.',
  },
  'allow.auto.create.topics': {
    type: 'boolean', default: true,
    doc: 'Subscribing to a missing topic may create it, if the broker\'s auto.create.topics.enable allows.',
  },
} as const);

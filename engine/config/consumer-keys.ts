// Consumer configuration keys: Kafka's names and Kafka 4.0's defaults, for a consumer without a group (it
// assign()s its partitions). The group keys (group.id, session.timeout.ms, partition.assignment.strategy, ...)
// come with consumer groups; until then not-modelled.ts refuses them.

import { defineKeys } from './definition.ts';

export const CONSUMER_KEYS = defineKeys({
  'auto.offset.reset': {
    type: 'enum', values: ['latest', 'earliest', 'none'], default: 'latest',
    doc: 'Where to start when there is no committed offset (or it is out of range): latest, earliest, or fail.',
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
    doc: 'Most records one poll() returns (one onRecords call: the rest of a fetch comes in further calls).',
  },
  'isolation.level': {
    type: 'enum', values: ['read_uncommitted', 'read_committed'], default: 'read_uncommitted',
    doc: 'read_committed reads only up to the last stable offset and skips aborted transactions.',
    note: 'Transactions are not modelled (transactional.id is refused), so no transaction is ever open or ' +
      'aborted: the last stable offset is the high watermark and both levels read the same records, as in Kafka.',
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
    doc: 'Verify the CRC-32C of every fetched record batch; false hands on whatever the bytes say.',
  },
  'allow.auto.create.topics': {
    type: 'boolean', default: true,
    doc: 'Subscribing to a missing topic may create it, if the broker\'s auto.create.topics.enable allows.',
  },
} as const);

// Producer configuration keys: Kafka's names and Kafka 4.0's defaults.
//
// acks is held in the parsed config as 'all' | '0' | '1' (Kafka's documented spellings); `-1` and the numbers
// -1, 0, 1 are accepted and normalised. acksOnWire gives the int16 a ProduceRequest carries.

import { INT_MAX, defineKeys } from './definition.ts';
import { PRODUCER_CODECS_NOT_MODELLED } from './not-modelled.ts';

export const PRODUCER_KEYS = defineKeys({
  'acks': {
    type: 'enum', values: ['all', '0', '1'], aliases: { '-1': 'all' }, default: 'all',
    doc: 'Acknowledgements the leader waits for before answering: 0 none, 1 its own log, all every in-sync replica.',
    note: 'Kafka 3.0 changed the default from 1 to all.',
  },
  'enable.idempotence': {
    type: 'boolean', default: true,
    doc: 'Producer id and per-partition sequence numbers, so that retries write each record exactly once.',
    note: 'Default true since Kafka 3.0. Left at its default and contradicted by acks, retries or ' +
      'max.in.flight.requests.per.connection, it turns itself off (as in Kafka 3.2+); set explicitly, the ' +
      'contradiction is an error.',
  },
  'linger.ms': {
    type: 'long', default: 5, min: 0,
    doc: 'How long a batch waits for more records before it is sent (unless it fills first).',
    note: 'Kafka 4.0 changed the default from 0 to 5 (KIP-1030).',
  },
  'batch.size': {
    type: 'int', default: 16_384, min: 0,
    doc: 'Upper bound in bytes of one partition batch; 0 disables batching.',
  },
  'buffer.memory': {
    type: 'long', default: 33_554_432, min: 0,
    doc: 'Bytes the producer may hold in unsent batches before send() blocks for max.block.ms.',
  },
  'max.block.ms': {
    type: 'long', default: 60_000, min: 0,
    doc: 'How long send() may block on a full buffer or missing metadata before it fails.',
  },
  'max.in.flight.requests.per.connection': {
    type: 'int', default: 5, min: 1,
    doc: 'Unanswered produce requests per broker connection; with idempotence at most 5 keeps ordering.',
  },
  'retries': {
    type: 'int', default: INT_MAX, min: 0,
    doc: 'How many times a failed batch is resent; delivery.timeout.ms usually ends retrying first.',
  },
  'retry.backoff.ms': {
    type: 'long', default: 100, min: 0,
    doc: 'Initial wait before a failed request is retried.',
  },
  'retry.backoff.max.ms': {
    type: 'long', default: 1000, min: 0,
    doc: 'Ceiling of the exponential retry backoff.',
  },
  'delivery.timeout.ms': {
    type: 'int', default: 120_000, min: 0,
    doc: 'Upper bound on the time from send() to success or failure, retries included.',
  },
  'request.timeout.ms': {
    type: 'int', default: 30_000, min: 0,
    doc: 'How long the producer waits for a response before it retries or fails the request.',
  },
  'max.request.size': {
    type: 'int', default: 1_048_576, min: 0,
    doc: 'Largest produce request in bytes; also caps the largest record batch.',
  },
  'compression.type': {
    type: 'enum', values: ['none', 'gzip'], default: 'none', notModelledValues: PRODUCER_CODECS_NOT_MODELLED,
    doc: 'Codec for the producer\'s record batches.',
    note: 'Kafka also takes snappy, lz4 and zstd; Tributary\'s records codec writes none and gzip.',
  },
  'partitioner.ignore.keys': {
    type: 'boolean', default: false,
    doc: 'When true, keyed records are spread like unkeyed ones instead of hashed to a partition.',
  },
  'partitioner.adaptive.partitioning.enable': {
    type: 'boolean', default: true,
    doc: 'Unkeyed records go more often to partitions whose brokers drain faster (KIP-794).',
  },
  'partitioner.availability.timeout.ms': {
    type: 'long', default: 0, min: 0,
    doc: 'With adaptive partitioning, a partition whose leader could not take a batch for this long is skipped; 0 = never.',
  },
  'metadata.max.age.ms': {
    type: 'long', default: 300_000, min: 0,
    doc: 'Metadata is refreshed at least this often, even without leadership errors.',
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
} as const);

/** A producer's acks as the int16 of a ProduceRequest: all → -1. */
export function acksOnWire(acks: 'all' | '0' | '1'): -1 | 0 | 1 {
  return acks === 'all' ? -1 : acks === '0' ? 0 : 1;
}

/** Kafka's fixed cap of in-flight requests that idempotence can keep in order. */
export const MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

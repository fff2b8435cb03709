// The settings replication reads, taken from the broker config (Kafka's keys) and a topic's config.
//
// Replication code reads these plain fields rather than the whole config, so that tests can build them with
// a few overrides and the hot paths read no string-keyed properties.

import type { BrokerConfig, TopicConfig } from '../config/types.ts';
import type { LogConfig } from '../log/log-config.ts';
import { LOG_CONFIG_KEYS, LONG_MAX, parseLogConfig } from '../log/log-config.ts';

export type TruncationMode = 'leader-epoch' | 'high-watermark';

export interface ReplicationConfig {
  /** node.id */
  readonly brokerId: number;
  /** replica.lag.time.max.ms */
  readonly replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms */
  readonly replicaFetchWaitMaxMs: number;
  /** replica.fetch.min.bytes */
  readonly replicaFetchMinBytes: number;
  /** replica.fetch.max.bytes (per partition) */
  readonly replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes */
  readonly replicaFetchResponseMaxBytes: number;
  /** replica.fetch.backoff.ms */
  readonly replicaFetchBackoffMs: number;
  /** replica.socket.timeout.ms: a follower's fetch that gets no answer for this long is retried. */
  readonly replicaSocketTimeoutMs: number;
  /** replica.high.watermark.checkpoint.interval.ms */
  readonly highWatermarkCheckpointIntervalMs: number;
  /** replication.truncation (Tributary's teaching switch) */
  readonly truncation: TruncationMode;
}

/** Per-topic settings a replica applies (topic overrides on top of the broker's defaults). */
export interface PartitionSettings {
  /** min.insync.replicas */
  readonly minInsyncReplicas: number;
  /** flush.messages: fsync after this many records; the produce answer waits for it. */
  readonly flushMessages: number;
  /** message.timestamp.type */
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  /** message.timestamp.before.max.ms: how far in the past a CreateTime may lie (LONG_MAX: no bound). */
  readonly timestampBeforeMaxMs: number;
  /** message.timestamp.after.max.ms: how far in the future a CreateTime may lie (LONG_MAX: no bound). */
  readonly timestampAfterMaxMs: number;
}

export function replicationConfigFrom(broker: BrokerConfig): ReplicationConfig {
  return {
    brokerId: broker['node.id'] as number,
    replicaLagTimeMaxMs: broker['replica.lag.time.max.ms'],
    replicaFetchWaitMaxMs: broker['replica.fetch.wait.max.ms'],
    replicaFetchMinBytes: broker['replica.fetch.min.bytes'],
    replicaFetchMaxBytes: broker['replica.fetch.max.bytes'],
    replicaFetchResponseMaxBytes: broker['replica.fetch.response.max.bytes'],
    replicaFetchBackoffMs: broker['replica.fetch.backoff.ms'],
    replicaSocketTimeoutMs: broker['replica.socket.timeout.ms'],
    highWatermarkCheckpointIntervalMs: broker['replica.high.watermark.checkpoint.interval.ms'],
    truncation: broker['replication.truncation'],
  };
}

export function partitionSettingsFrom(topic: TopicConfig): PartitionSettings {
  return {
    minInsyncReplicas: topic['min.insync.replicas'],
    flushMessages: topic['flush.messages'],
    timestampType: topic['message.timestamp.type'],
    timestampBeforeMaxMs: topic['message.timestamp.before.max.ms'],
    timestampAfterMaxMs: topic['message.timestamp.after.max.ms'],
  };
}

/**
 * The log's own config for a topic. flush.messages is handed to the replica instead (see PartitionSettings):
 * the replica issues those fsyncs itself so that a produce answer can wait for the one its append started.
 */
export function logConfigFrom(topic: TopicConfig): LogConfig {
  const input: Record<string, unknown> = {};
  const values = topic as unknown as Readonly<Record<string, unknown>>;
  for (const key of LOG_CONFIG_KEYS) if (Object.hasOwn(values, key)) input[key] = values[key];
  input['flush.messages'] = LONG_MAX;
  return parseLogConfig(input);
}

/** Kafka's defaults (message.timestamp.after.max.ms: one hour since Kafka 4.0). */
export const DEFAULT_PARTITION_SETTINGS: PartitionSettings = {
  minInsyncReplicas: 1, flushMessages: LONG_MAX, timestampType: 'CreateTime', timestampBeforeMaxMs: LONG_MAX, timestampAfterMaxMs: 3_600_000,
};

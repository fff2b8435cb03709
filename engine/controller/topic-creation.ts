// CreateTopics as the controller answers it (the topic side of Kafka's ReplicationControlManager).
//
// A topic is checked (legal name, not existing, partitions and replication factor, a manual assignment if one
// is given, config overrides against engine/config's topic keys), then written as TopicRecord, its
// ConfigRecords, and one PartitionRecord per partition. Replicas are placed by the striped placer over the
// registered brokers; the ISR is the assigned replicas that are active (unfenced, not shutting down), and the
// leader the first of those.

import { ConfigError, parseConfig } from '../config/index.ts';
import { isActiveBroker } from '../metadata/image.ts';
import type { MetadataImage } from '../metadata/image.ts';
import { ConfigResourceType, LeaderRecoveryState } from '../metadata/records.ts';
import type { MetadataRecord } from '../metadata/records.ts';
import type { CreatableTopic, CreatableTopicResult } from '../protocol/create-topics.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ControllerConfig } from './controller-config.ts';
import { randomUuid } from './random-id.ts';
import { placeReplicas, ReplicaPlacementError } from './replica-placer.ts';
import type { RandomSource, UsableBroker } from './replica-placer.ts';

export interface TopicCreation {
  readonly records: MetadataRecord[];
  readonly result: CreatableTopicResult;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;

class TopicRejection extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

export function createTopic(
  image: MetadataImage,
  config: ControllerConfig,
  topic: CreatableTopic,
  random: RandomSource,
  validateOnly: boolean,
): TopicCreation {
  try {
    checkName(image, topic.name);
    const assignment = topic.assignments.length > 0 ? manualAssignment(image, topic) : place(image, topic, config, random);
    const configs = topicConfigs(topic, config);
    const isrs = assignment.map((replicas, partitionId) => initialIsr(image, topic.name, partitionId, replicas));
    const result: CreatableTopicResult = {
      name: topic.name,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: assignment.length,
      replicationFactor: assignment[0].length,
    };
    if (validateOnly) return { records: [], result };
    return { records: topicRecords(topic.name, randomUuid(random), assignment, isrs, configs), result };
  } catch (error) {
    if (!(error instanceof TopicRejection)) throw error;
    return {
      records: [],
      result: { name: topic.name, errorCode: error.errorCode, errorMessage: error.message, numPartitions: -1, replicationFactor: -1 },
    };
  }
}

function checkName(image: MetadataImage, name: string): void {
  if (name.length === 0 || name === '.' || name === '..' || name.length > MAX_NAME_LENGTH || !LEGAL_NAME.test(name)) {
    throw new TopicRejection(ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic name "${name}" is illegal: it must be 1 to ${MAX_NAME_LENGTH} of [a-zA-Z0-9._-], and not "." or "..".`);
  }
  if (image.topics.has(name)) throw new TopicRejection(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
}

function place(image: MetadataImage, topic: CreatableTopic, config: ControllerConfig, random: RandomSource): number[][] {
  const partitions = partitionCount(topic, config);
  try {
    return placeReplicas(usableBrokers(image), partitions, replicationFactor(topic, config), random);
  } catch (error) {
    if (error instanceof ReplicaPlacementError) throw new TopicRejection(ErrorCode.INVALID_REPLICATION_FACTOR, error.message);
    throw error;
  }
}

function partitionCount(topic: CreatableTopic, config: ControllerConfig): number {
  const count = topic.numPartitions === -1 ? config['num.partitions'] : topic.numPartitions;
  if (!Number.isInteger(count) || count <= 0) {
    throw new TopicRejection(ErrorCode.INVALID_PARTITIONS, `Number of partitions was set to an invalid non-positive value (${count}).`);
  }
  return count;
}

function replicationFactor(topic: CreatableTopic, config: ControllerConfig): number {
  return topic.replicationFactor === -1 ? config['default.replication.factor'] : topic.replicationFactor;
}

/** Registered brokers; fenced and shutting-down ones are placed only when the others run out. */
function usableBrokers(image: MetadataImage): UsableBroker[] {
  const brokers: UsableBroker[] = [];
  for (const broker of image.brokers.values()) {
    brokers.push({ id: broker.brokerId, rack: broker.rack, fenced: broker.fenced || broker.inControlledShutdown });
  }
  return brokers;
}

function manualAssignment(image: MetadataImage, topic: CreatableTopic): number[][] {
  if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
    throw new TopicRejection(ErrorCode.INVALID_REQUEST,
      'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
  }
  const byIndex = [...topic.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
  return byIndex.map((entry, index) => {
    const replicas = entry.brokerIds;
    const reject = (why: string): never => {
      throw new TopicRejection(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${entry.partitionIndex}: ${why}`);
    };
    if (entry.partitionIndex !== index) reject(`partitions must be numbered 0 to ${byIndex.length - 1} without gaps.`);
    if (replicas.length === 0) reject('the replica list is empty.');
    if (new Set(replicas).size !== replicas.length) reject(`the replica list ${replicas.join(',')} repeats a broker.`);
    const unknown = replicas.find((id) => !image.brokers.has(id));
    if (unknown !== undefined) reject(`broker ${unknown} is not registered.`);
    if (replicas.length !== byIndex[0].brokerIds.length) {
      reject(`${replicas.length} replica(s), but partition 0 has ${byIndex[0].brokerIds.length}; all partitions need as many.`);
    }
    return [...replicas];
  });
}

/** The overrides, checked and normalised by engine/config, as the strings a ConfigRecord holds. */
function topicConfigs(topic: CreatableTopic, config: ControllerConfig): Array<[string, string]> {
  const overrides: Record<string, string> = {};
  for (const entry of topic.configs) overrides[entry.name] = entry.value;
  try {
    const parsed = parseConfig('topic', overrides, config) as unknown as Readonly<Record<string, unknown>>;
    return Object.keys(overrides).map((key) => {
      const value = parsed[key];
      return [key, Array.isArray(value) ? value.join(',') : String(value)];
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new TopicRejection(ErrorCode.INVALID_CONFIG, error.message);
    throw error;
  }
}

/** The assigned replicas that are active, in assignment order; the first one leads. */
function initialIsr(image: MetadataImage, name: string, partitionId: number, replicas: readonly number[]): number[] {
  const isr = replicas.filter((id) => isActiveBroker(image, id));
  if (isr.length === 0) {
    throw new TopicRejection(ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to create topic ${name}: no replica of partition ${partitionId} (${replicas.join(',')}) is an active broker.`);
  }
  return isr;
}

function topicRecords(
  name: string,
  topicId: string,
  assignment: readonly number[][],
  isrs: readonly number[][],
  configs: ReadonlyArray<[string, string]>,
): MetadataRecord[] {
  const records: MetadataRecord[] = [{ type: 'TopicRecord', name, topicId }];
  for (const [key, value] of configs) {
    records.push({ type: 'ConfigRecord', resourceType: ConfigResourceType.TOPIC, resourceName: name, name: key, value });
  }
  assignment.forEach((replicas, partitionId) => {
    const isr = isrs[partitionId];
    records.push({
      type: 'PartitionRecord',
      partitionId,
      topicId,
      replicas,
      isr,
      leader: isr[0],
      leaderEpoch: 0,
      partitionEpoch: 0,
      leaderRecoveryState: LeaderRecoveryState.RECOVERED,
    });
  });
  return records;
}

// Metadata: the cluster as this broker's metadata image shows it.
//
// Brokers listed are the unfenced ones (clients can reach them); a partition without a leader answers
// LEADER_NOT_AVAILABLE; offline replicas are those whose broker is fenced or unregistered. A topic that does
// not exist answers UNKNOWN_TOPIC_OR_PARTITION — or, when the request allows it and auto.create.topics.enable
// is on, LEADER_NOT_AVAILABLE while the broker asks the controller to create it with the defaults
// (num.partitions, default.replication.factor), as Kafka does. The controllerId is a live broker, as KRaft
// brokers answer.

import { BROKER_PORT } from '../controller/broker-lifecycle.ts';
import type { MetadataImage, PartitionRegistration } from '../metadata/image.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { MetadataBroker, MetadataPartition, MetadataRequest, MetadataResponse, MetadataTopic } from '../protocol/metadata.ts';

export interface MetadataAnswer {
  readonly response: MetadataResponse;
  /** Topics to create (auto.create.topics.enable). */
  readonly toCreate: readonly string[];
}

export function answerMetadata(request: MetadataRequest, image: MetadataImage | undefined, clusterId: string, autoCreate: boolean): MetadataAnswer {
  const brokers: MetadataBroker[] = [];
  const topics: MetadataTopic[] = [];
  const toCreate: string[] = [];
  let sizeBytes = HEADER_BYTES + clusterId.length;
  if (image !== undefined) {
    for (const broker of image.brokers.values()) {
      if (broker.fenced) continue;
      brokers.push({ nodeId: broker.brokerId, host: broker.host, port: broker.endPoints[0]?.port ?? BROKER_PORT, rack: broker.rack });
      sizeBytes += 12 + broker.host.length;
    }
    brokers.sort((a, b) => a.nodeId - b.nodeId);
  }
  const names = request.topics ?? (image === undefined ? [] : [...image.topics.keys()].sort());
  for (const name of names) {
    const topic = image?.topics.get(name);
    sizeBytes += 4 + name.length;
    if (topic === undefined) {
      const create = autoCreate && request.allowAutoTopicCreation && request.topics !== null && isValidTopicName(name) && image !== undefined;
      if (create) toCreate.push(name);
      const errorCode = !isValidTopicName(name) ? ErrorCode.INVALID_TOPIC_EXCEPTION : create ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      topics.push({ errorCode, name, partitions: [] });
      continue;
    }
    const partitions = topic.partitions.map((registration) => describePartition(registration, image as MetadataImage));
    sizeBytes += partitions.length * (PARTITION_ENTRY_BYTES + 8);
    topics.push({ errorCode: ErrorCode.NONE, name, partitions });
  }
  const response: MetadataResponse = {
    type: 'MetadataResponse',
    sizeBytes,
    correlationId: request.correlationId,
    brokers,
    clusterId,
    // KRaft brokers name a live broker as the controller: clients cannot reach the quorum, and a broker
    // forwards their admin requests (Kafka picks one at random; the lowest id keeps answers deterministic).
    controllerId: brokers[0]?.nodeId ?? -1,
    topics,
  };
  return { response, toCreate };
}

function describePartition(registration: PartitionRegistration, image: MetadataImage): MetadataPartition {
  const offline = registration.replicas.filter((id) => {
    const broker = image.brokers.get(id);
    return broker === undefined || broker.fenced;
  });
  return {
    errorCode: registration.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex: registration.partition,
    leaderId: registration.leader,
    leaderEpoch: registration.leaderEpoch,
    replicaNodes: registration.replicas,
    isrNodes: registration.isr,
    offlineReplicas: offline,
  };
}

/** Kafka's rule: 1 to 249 characters of [a-zA-Z0-9._-], not "." or "..". */
export function isValidTopicName(name: string): boolean {
  return name.length > 0 && name.length <= 249 && name !== '.' && name !== '..' && /^[a-zA-Z0-9._-]+$/.test(name);
}

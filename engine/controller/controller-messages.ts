// The requests the active controller answers, and how their responses are built and priced.
//
// A node that hosts a controller routes these message types to it (isControllerRequest); everything the
// controller sends back is one of the matching responses, echoing the request's correlationId.

import type { Message } from '../runtime.ts';
import type { AllocateProducerIdsRequest } from '../protocol/allocate-producer-ids.ts';
import { allocateProducerIdsResponse } from '../protocol/allocate-producer-ids.ts';
import type { AlterPartitionRequest, AlterPartitionResponse, AlterPartitionResult } from '../protocol/alter-partition.ts';
import type { BrokerHeartbeatRequest } from '../protocol/broker-heartbeat.ts';
import { brokerHeartbeatResponse } from '../protocol/broker-heartbeat.ts';
import type { BrokerRegistrationRequest } from '../protocol/broker-registration.ts';
import { brokerRegistrationResponse } from '../protocol/broker-registration.ts';
import type { CreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse } from '../protocol/create-topics.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import type { Response } from '../protocol/envelope.ts';

export type ControllerRequest =
  | BrokerRegistrationRequest
  | BrokerHeartbeatRequest
  | AlterPartitionRequest
  | CreateTopicsRequest
  | AllocateProducerIdsRequest;

const CONTROLLER_REQUEST_TYPES: ReadonlySet<string> = new Set<ControllerRequest['type']>([
  'BrokerRegistrationRequest', 'BrokerHeartbeatRequest', 'AlterPartitionRequest', 'CreateTopicsRequest',
  'AllocateProducerIdsRequest',
]);

/** True for the requests a QuorumController answers, so that a node can route them. */
export function isControllerRequest(message: Message): message is ControllerRequest {
  return CONTROLLER_REQUEST_TYPES.has(message.type);
}

export function alterPartitionResponse(
  correlationId: number,
  errorCode: number,
  topics: AlterPartitionResponse['topics'],
): AlterPartitionResponse {
  let sizeBytes = HEADER_BYTES + 2;
  for (const topic of topics) {
    sizeBytes += 2 + topic.topicName.length;
    for (const partition of topic.partitions) sizeBytes += PARTITION_ENTRY_BYTES + 4 * partition.isr.length;
  }
  return { type: 'AlterPartitionResponse', sizeBytes, correlationId, errorCode, topics };
}

export function createTopicsResponse(correlationId: number, topics: readonly CreatableTopicResult[]): CreateTopicsResponse {
  let sizeBytes = HEADER_BYTES;
  for (const topic of topics) sizeBytes += 12 + topic.name.length + (topic.errorMessage?.length ?? 0);
  return { type: 'CreateTopicsResponse', sizeBytes, correlationId, topics };
}

/** The answer to `request` when it fails as a whole with `errorCode` (NOT_CONTROLLER, mostly). */
export function errorResponse(request: ControllerRequest, errorCode: number): Response {
  const correlationId = request.correlationId;
  switch (request.type) {
    case 'BrokerRegistrationRequest':
      return brokerRegistrationResponse({ correlationId, throttleTimeMs: 0, errorCode, brokerEpoch: -1 });
    case 'BrokerHeartbeatRequest':
      return brokerHeartbeatResponse({
        correlationId, throttleTimeMs: 0, errorCode, isCaughtUp: false, isFenced: true, shouldShutDown: false,
      });
    case 'AllocateProducerIdsRequest':
      return allocateProducerIdsResponse({ correlationId, throttleTimeMs: 0, errorCode, producerIdStart: -1, producerIdLen: 0 });
    case 'AlterPartitionRequest':
      return alterPartitionResponse(correlationId, errorCode, request.topics.map((topic) => ({
        topicName: topic.topicName,
        partitions: topic.partitions.map((partition): AlterPartitionResult => ({
          partitionIndex: partition.partitionIndex, errorCode, leaderId: -1, leaderEpoch: -1, isr: [], partitionEpoch: -1,
        })),
      })));
    case 'CreateTopicsRequest':
      return createTopicsResponse(correlationId, request.topics.map((topic) => ({
        name: topic.name, errorCode, errorMessage: null, numPartitions: -1, replicationFactor: -1,
      })));
  }
}

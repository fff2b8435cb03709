// AllocateProducerIds (API key 67, KIP-730). A broker asks the active controller for a block of producer ids
// to hand out on InitProducerId; the controller writes a ProducerIdsRecord, so no id is given twice, even
// across controller failovers.
//
//   AllocateProducerIdsRequest  => brokerId brokerEpoch
//   AllocateProducerIdsResponse => throttleTimeMs errorCode producerIdStart producerIdLen
//
// Errors: NOT_CONTROLLER, STALE_BROKER_EPOCH.

import { HEADER_BYTES } from './envelope.ts';
import type { Request, Response } from './envelope.ts';

/** Ids per block, as Kafka's controller hands them out. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

export interface AllocateProducerIdsRequest extends Request {
  readonly type: 'AllocateProducerIdsRequest';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface AllocateProducerIdsResponse extends Response {
  readonly type: 'AllocateProducerIdsResponse';
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  /** The first id of the block; -1 on error. */
  readonly producerIdStart: number;
  readonly producerIdLen: number;
}

type Fields<M> = Omit<M, 'type' | 'sizeBytes'>;

export function allocateProducerIdsRequest(fields: Fields<AllocateProducerIdsRequest>): AllocateProducerIdsRequest {
  return { type: 'AllocateProducerIdsRequest', sizeBytes: HEADER_BYTES + fields.clientId.length + 12, ...fields };
}

export function allocateProducerIdsResponse(fields: Fields<AllocateProducerIdsResponse>): AllocateProducerIdsResponse {
  return { type: 'AllocateProducerIdsResponse', sizeBytes: HEADER_BYTES + 18, ...fields };
}

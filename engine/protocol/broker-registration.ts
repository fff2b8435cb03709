// BrokerRegistration (API key 62, KIP-631). A starting broker registers with the active controller, which
// writes a RegisterBrokerRecord and answers with the broker's new epoch: the offset of that record. The
// broker starts fenced and is unfenced once its heartbeats show it has replayed the log up to that record.
//
//   BrokerRegistrationRequest  => brokerId clusterId incarnationId [listeners] rack isMigratingZkBroker
//                                 previousBrokerEpoch
//     listeners                => name host port securityProtocol
//   BrokerRegistrationResponse => throttleTimeMs errorCode brokerEpoch
//
// Kafka's request also lists the broker's supported feature versions; there are no features here.
// Errors: NOT_CONTROLLER, INCONSISTENT_CLUSTER_ID, DUPLICATE_BROKER_REGISTRATION (another incarnation of this
// broker id still holds a live session: the broker retries until the old session expires).

import type { BrokerEndpoint } from '../metadata/records.ts';
import { HEADER_BYTES } from './envelope.ts';
import type { Request, Response } from './envelope.ts';

export interface BrokerRegistrationRequest extends Request {
  readonly type: 'BrokerRegistrationRequest';
  readonly brokerId: number;
  readonly clusterId: string;
  readonly incarnationId: string;
  readonly listeners: readonly BrokerEndpoint[];
  readonly rack: string | null;
  readonly isMigratingZkBroker: false;
  /** The epoch of this broker's previous incarnation if it shut down cleanly, else -1 (KIP-966). */
  readonly previousBrokerEpoch: number;
}

export interface BrokerRegistrationResponse extends Response {
  readonly type: 'BrokerRegistrationResponse';
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  /** -1 on error. */
  readonly brokerEpoch: number;
}

type Fields<M> = Omit<M, 'type' | 'sizeBytes'>;

export function brokerRegistrationRequest(fields: Fields<BrokerRegistrationRequest>): BrokerRegistrationRequest {
  let sizeBytes = HEADER_BYTES + fields.clientId.length + 4 + fields.clusterId.length + 16 + 8 + 10 + (fields.rack?.length ?? 0);
  for (const listener of fields.listeners) sizeBytes += 8 + listener.name.length + listener.host.length;
  return { type: 'BrokerRegistrationRequest', sizeBytes, ...fields };
}

export function brokerRegistrationResponse(fields: Fields<BrokerRegistrationResponse>): BrokerRegistrationResponse {
  return { type: 'BrokerRegistrationResponse', sizeBytes: HEADER_BYTES + 14, ...fields };
}

// BrokerHeartbeat (API key 63, KIP-631). A registered broker heartbeats the active controller every
// broker.heartbeat.interval.ms; a broker unheard of for broker.session.timeout.ms is fenced.
//
//   BrokerHeartbeatRequest  => brokerId brokerEpoch currentMetadataOffset wantFence wantShutDown
//   BrokerHeartbeatResponse => throttleTimeMs errorCode isCaughtUp isFenced shouldShutDown
//
// currentMetadataOffset is the offset of the last metadata record the broker has applied. A fenced broker
// that does not want to be fenced is unfenced once that offset reaches its RegisterBrokerRecord (isCaughtUp).
// wantShutDown starts a controlled shutdown: the controller moves the broker's leaderships away and answers
// shouldShutDown once the other brokers have seen that. Errors: NOT_CONTROLLER, STALE_BROKER_EPOCH (the
// registration is gone or newer: register again).

import { HEADER_BYTES } from './envelope.ts';
import type { Request, Response } from './envelope.ts';

export interface BrokerHeartbeatRequest extends Request {
  readonly type: 'BrokerHeartbeatRequest';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly currentMetadataOffset: number;
  readonly wantFence: boolean;
  readonly wantShutDown: boolean;
}

export interface BrokerHeartbeatResponse extends Response {
  readonly type: 'BrokerHeartbeatResponse';
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  readonly isCaughtUp: boolean;
  readonly isFenced: boolean;
  readonly shouldShutDown: boolean;
}

type Fields<M> = Omit<M, 'type' | 'sizeBytes'>;

export function brokerHeartbeatRequest(fields: Fields<BrokerHeartbeatRequest>): BrokerHeartbeatRequest {
  return { type: 'BrokerHeartbeatRequest', sizeBytes: HEADER_BYTES + fields.clientId.length + 22, ...fields };
}

export function brokerHeartbeatResponse(fields: Fields<BrokerHeartbeatResponse>): BrokerHeartbeatResponse {
  return { type: 'BrokerHeartbeatResponse', sizeBytes: HEADER_BYTES + 9, ...fields };
}

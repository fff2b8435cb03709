// InitProducerId (API key 22), for idempotent producers (no transactional id).
//
//   InitProducerIdRequest  => transactionalId transactionTimeoutMs producerId producerEpoch
//   InitProducerIdResponse => errorCode producerId producerEpoch
//
// Any broker answers for a producer without a transactional id; ids come from blocks the controller hands
// out (AllocateProducerIds in KRaft), so two brokers never give out the same id.

import type { Request, Response } from './envelope.ts';

export interface InitProducerIdRequest extends Request {
  readonly type: 'InitProducerIdRequest';
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  /** -1, or the current id and epoch when bumping the epoch after an error (KIP-360). */
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface InitProducerIdResponse extends Response {
  readonly type: 'InitProducerIdResponse';
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

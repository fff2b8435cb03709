// KRaft's LeaderChange control record: the first batch a new leader appends in its epoch. Committing it is
// what lets the leader commit anything (see LeaderState).
//
// The batch is a control batch (attributes bit 5) holding one record whose key is Kafka's control record key
// (int16 version 0, int16 type 2 = LEADER_CHANGE), so Kafka's tools see a LEADER_CHANGE control record. Its
// value is our JSON rendering of Kafka's LeaderChangeMessage fields, not Kafka's binary schema.

import { encodeBatch } from '../records/batch.ts';
import type { ReplicaId } from './raft-client.ts';

export const LEADER_CHANGE_CONTROL_TYPE = 2;
const LEADER_CHANGE_KEY = new Uint8Array([0, 0, 0, LEADER_CHANGE_CONTROL_TYPE]);
const encoder = new TextEncoder();

export interface LeaderChangeMessage {
  readonly version: 0;
  readonly leaderId: ReplicaId;
  readonly voters: readonly { readonly voterId: ReplicaId }[];
  readonly grantingVoters: readonly { readonly voterId: ReplicaId }[];
}

export function encodeLeaderChangeBatch(message: LeaderChangeMessage, timestampMs: number): Uint8Array {
  return encodeBatch({
    isControl: true,
    timestamp: timestampMs,
    records: [{ key: LEADER_CHANGE_KEY, value: encoder.encode(JSON.stringify(message)) }],
  });
}

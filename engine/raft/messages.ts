// The messages of the KRaft metadata quorum (KIP-595, pre-vote KIP-996), with Kafka's names and fields.
//
//   VoteRequest              => voterId candidateEpoch candidateId lastOffsetEpoch lastOffset preVote
//   VoteResponse             => errorCode leaderId leaderEpoch voteGranted
//   BeginQuorumEpochRequest  => voterId leaderId leaderEpoch
//   BeginQuorumEpochResponse => errorCode leaderId leaderEpoch
//   EndQuorumEpochRequest    => leaderId leaderEpoch [preferredSuccessors]
//   EndQuorumEpochResponse   => errorCode leaderId leaderEpoch
//   RaftFetchRequest         => replicaId maxWaitMs maxBytes currentLeaderEpoch fetchOffset lastFetchedEpoch
//   RaftFetchResponse        => errorCode highWatermark logStartOffset divergingEpoch currentLeader records
//     divergingEpoch         => epoch endOffset          (null when the fetch position is on the leader's log)
//     currentLeader          => leaderId leaderEpoch     (the responder's view: -1 when it knows no leader)
//
// Kafka nests each of these in topics and partitions; the quorum replicates one partition,
// `__cluster_metadata-0`, so the nesting is left out. Kafka replicates the quorum's log with the Fetch API on
// that partition; here that message is RaftFetchRequest / RaftFetchResponse so that its name does not collide
// with the broker's FetchRequest. Every response carries the responder's (leaderId, leaderEpoch): a replica
// that hears of a newer epoch moves to it, whatever the request was.
//
// lastOffset and fetchOffset are log END offsets (one past the last record), as in Kafka's raft client;
// lastOffsetEpoch / lastFetchedEpoch are the epoch of the last batch in the log (0 for an empty log).
// records are RecordBatch v2 bytes, as the leader's log holds them.

import type { Message } from '../runtime.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import type { Request, Response } from '../protocol/envelope.ts';
import type { ReplicaId } from './raft-client.ts';

export const METADATA_TOPIC = '__cluster_metadata';
export const METADATA_PARTITION = 0;
/** `__cluster_metadata`'s length and the fields around it on the wire, roughly. */
const TOPIC_ENTRY_BYTES = 2 + METADATA_TOPIC.length + PARTITION_ENTRY_BYTES;

export interface VoteRequest extends Request {
  readonly type: 'VoteRequest';
  /** The replica the request is for (KIP-853): a voter that is not this replica rejects it. */
  readonly voterId: ReplicaId;
  /** The epoch the candidate asks votes for; for a pre-vote, the epoch it would take (its epoch + 1). */
  readonly candidateEpoch: number;
  readonly candidateId: ReplicaId;
  readonly lastOffsetEpoch: number;
  readonly lastOffset: number;
  /** KIP-996: true asks "would you vote for me?" and changes no one's epoch or vote. */
  readonly preVote: boolean;
}

export interface LeaderView {
  /** -1 when the responder knows no leader. */
  readonly leaderId: ReplicaId;
  readonly leaderEpoch: number;
}

export interface VoteResponse extends Response, LeaderView {
  readonly type: 'VoteResponse';
  readonly errorCode: number;
  readonly voteGranted: boolean;
}

export interface BeginQuorumEpochRequest extends Request {
  readonly type: 'BeginQuorumEpochRequest';
  readonly voterId: ReplicaId;
  readonly leaderId: ReplicaId;
  readonly leaderEpoch: number;
}

export interface BeginQuorumEpochResponse extends Response, LeaderView {
  readonly type: 'BeginQuorumEpochResponse';
  readonly errorCode: number;
}

export interface EndQuorumEpochRequest extends Request {
  readonly type: 'EndQuorumEpochRequest';
  readonly leaderId: ReplicaId;
  readonly leaderEpoch: number;
  /** Voters ordered by how far their logs reach, furthest first: the first should stand first. */
  readonly preferredSuccessors: readonly ReplicaId[];
}

export interface EndQuorumEpochResponse extends Response, LeaderView {
  readonly type: 'EndQuorumEpochResponse';
  readonly errorCode: number;
}

export interface RaftFetchRequest extends Request {
  readonly type: 'RaftFetchRequest';
  /** The fetching replica: a voter (counted towards the high watermark) or an observer. */
  readonly replicaId: ReplicaId;
  /** How long the leader may hold the fetch when it has nothing new. */
  readonly maxWaitMs: number;
  readonly maxBytes: number;
  /** The fetcher's epoch: older than the leader's is FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH. */
  readonly currentLeaderEpoch: number;
  /** The fetcher's log end offset; everything below it is durable on the fetcher (it fsyncs first). */
  readonly fetchOffset: number;
  readonly lastFetchedEpoch: number;
}

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export interface RaftFetchResponse extends Response {
  readonly type: 'RaftFetchResponse';
  readonly errorCode: number;
  /** -1 while the leader has not committed an entry of its epoch yet. */
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Set when the fetcher's log diverges from the leader's: truncate to endOffset (at most), then fetch again. */
  readonly divergingEpoch: EpochEndOffset | null;
  readonly currentLeader: LeaderView;
  readonly records: Uint8Array;
}

export type RaftRequest = VoteRequest | BeginQuorumEpochRequest | EndQuorumEpochRequest | RaftFetchRequest;
export type RaftResponse = VoteResponse | BeginQuorumEpochResponse | EndQuorumEpochResponse | RaftFetchResponse;
export type RaftMessage = RaftRequest | RaftResponse;

const RAFT_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'VoteRequest', 'VoteResponse', 'BeginQuorumEpochRequest', 'BeginQuorumEpochResponse',
  'EndQuorumEpochRequest', 'EndQuorumEpochResponse', 'RaftFetchRequest', 'RaftFetchResponse',
]);

/** True for the messages a RaftClient handles, so that a node can route them. */
export function isRaftMessage(message: Message): message is RaftMessage {
  return RAFT_MESSAGE_TYPES.has(message.type);
}

// ---------------------------------------------------------------------------------------------------------
// Builders: they fill `type` and price the message (a header, one topic-partition entry, ~4-8 bytes a field).

type Fields<M extends Message> = Omit<M, 'type' | 'sizeBytes'>;

const REQUEST_OVERHEAD_BYTES = HEADER_BYTES + TOPIC_ENTRY_BYTES;

export function voteRequest(fields: Fields<VoteRequest>): VoteRequest {
  return { type: 'VoteRequest', sizeBytes: REQUEST_OVERHEAD_BYTES + fields.clientId.length + 29, ...fields };
}

export function voteResponse(fields: Fields<VoteResponse>): VoteResponse {
  return { type: 'VoteResponse', sizeBytes: HEADER_BYTES + TOPIC_ENTRY_BYTES + 11, ...fields };
}

export function beginQuorumEpochRequest(fields: Fields<BeginQuorumEpochRequest>): BeginQuorumEpochRequest {
  return { type: 'BeginQuorumEpochRequest', sizeBytes: REQUEST_OVERHEAD_BYTES + fields.clientId.length + 12, ...fields };
}

export function beginQuorumEpochResponse(fields: Fields<BeginQuorumEpochResponse>): BeginQuorumEpochResponse {
  return { type: 'BeginQuorumEpochResponse', sizeBytes: HEADER_BYTES + TOPIC_ENTRY_BYTES + 10, ...fields };
}

export function endQuorumEpochRequest(fields: Fields<EndQuorumEpochRequest>): EndQuorumEpochRequest {
  const sizeBytes = REQUEST_OVERHEAD_BYTES + fields.clientId.length + 12 + 4 * fields.preferredSuccessors.length;
  return { type: 'EndQuorumEpochRequest', sizeBytes, ...fields };
}

export function endQuorumEpochResponse(fields: Fields<EndQuorumEpochResponse>): EndQuorumEpochResponse {
  return { type: 'EndQuorumEpochResponse', sizeBytes: HEADER_BYTES + TOPIC_ENTRY_BYTES + 10, ...fields };
}

export function raftFetchRequest(fields: Fields<RaftFetchRequest>): RaftFetchRequest {
  return { type: 'RaftFetchRequest', sizeBytes: REQUEST_OVERHEAD_BYTES + fields.clientId.length + 36, ...fields };
}

export function raftFetchResponse(fields: Fields<RaftFetchResponse>): RaftFetchResponse {
  const sizeBytes = HEADER_BYTES + TOPIC_ENTRY_BYTES + 42 + fields.records.length;
  return { type: 'RaftFetchResponse', sizeBytes, ...fields };
}

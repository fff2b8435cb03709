// What a KRaft-style Raft replica offers the state machine above it (the controller, or a broker following
// the metadata log). The Raft module knows nothing of metadata: it replicates opaque records.
//
// Voters elect a leader (pre-vote, randomised election timeouts, the quorum state fsynced before a vote is
// cast) and replicate the log by Fetch from the leader, as KRaft does; observers (brokers) fetch the same log
// without voting. A record is committed once a majority of voters have it; listeners see committed batches
// in order, exactly once per incarnation, starting from the beginning of the log after a restart.

import type { Message, NodeId } from '../runtime.ts';

/** A replica's node id in the quorum (Kafka's node.id). */
export type ReplicaId = number;

export interface CommittedBatch<T> {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly epoch: number;
  readonly records: readonly T[];
}

export interface LeaderAndEpoch {
  /** -1 when no leader is known. */
  readonly leaderId: ReplicaId;
  readonly epoch: number;
}

export interface RaftListener<T> {
  /** Committed records, in log order, each batch once. */
  handleCommit(batch: CommittedBatch<T>): void;
  /** The known leader or epoch changed (including to "no leader"). */
  handleLeaderChange(leader: LeaderAndEpoch): void;
}

export interface RaftClient<T> {
  readonly replicaId: ReplicaId;
  /** True for a voter, false for an observer. */
  readonly isVoter: boolean;
  leaderAndEpoch(): LeaderAndEpoch;
  /** True while this replica is the leader of the current epoch and may append. */
  isLeader(): boolean;
  /** Appends records as the leader; returns the offset of the last one, or throws NotLeaderError. */
  append(records: readonly T[]): number;
  /** Offset up to which (exclusive) the log is committed. */
  highWatermark(): number;
  register(listener: RaftListener<T>): void;
  /** Routes a Raft message (Vote, BeginQuorumEpoch, EndQuorumEpoch, RaftFetch and their responses). */
  handleMessage(from: NodeId, message: Message): void;
  /** Stops sending and answering; a controlled shutdown (a voter that leads resigns first). */
  shutdown(): void;
}

export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
  constructor(readonly leader: LeaderAndEpoch) {
    super(`not the Raft leader (leader ${leader.leaderId}, epoch ${leader.epoch})`);
  }
}

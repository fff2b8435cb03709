// What a KRaft-style Raft replica offers the state machine above it (the controller, or a broker following
// the metadata log). The Raft module knows nothing of metadata: it replicates opaque records.
//
// Voters elect a leader (pre-vote, randomised election timeouts, the quorum state fsynced before a vote is
// cast) and replicate the log by Fetch from the leader, as KRaft does; observers (brokers) fetch the same log
// without voting. A record is committed once a majority of voters have it durably and the leader has
// committed an entry of its own epoch; listeners see committed batches in order, exactly once per
// incarnation, starting from the beginning of the log after a restart.
//
// Contract for a state machine:
// - handleCommit brings every committed batch, the leader's own appends included (once committed).
// - handleLeaderChange(self) comes only after every batch committed before this epoch was delivered: act as
//   the leader (append) from there. Other leaders (or "no leader", leaderId -1) are announced at once.
// - append() may throw NotLeaderError at any time leadership is lost; records appended by a leader that loses
//   its epoch before they commit may be lost (never delivered) or committed later by the next leader.

import type { Message, NodeId } from '../runtime.ts';
import type { RaftRole } from './epoch-state.ts';

/** A replica's node id in the quorum (Kafka's node.id). */
export type ReplicaId = number;

export interface CommittedBatch<T> {
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** The Raft epoch of the leader that appended the batch. */
  readonly epoch: number;
  readonly records: readonly T[];
}

export interface LeaderAndEpoch {
  /** -1 when no leader is known. */
  readonly leaderId: ReplicaId;
  readonly epoch: number;
}

export interface RaftListener<T> {
  /** Committed records, in log order, each batch once per incarnation. */
  handleCommit(batch: CommittedBatch<T>): void;
  /** The known leader or epoch changed (including to "no leader"). */
  handleLeaderChange(leader: LeaderAndEpoch): void;
}

export interface RaftClient<T> {
  readonly replicaId: ReplicaId;
  /** True for a voter, false for an observer. */
  readonly isVoter: boolean;
  leaderAndEpoch(): LeaderAndEpoch;
  /** The replica's role state: unattached, voted, prospective, candidate, follower, leader or resigned. */
  role(): RaftRole;
  /** True while this replica is the leader of the current epoch and may append. */
  isLeader(): boolean;
  /**
   * Appends records (one batch) as the leader; returns the offset of the last one. Throws NotLeaderError if
   * this replica does not lead, or does not lead `epoch` when given (a state machine's guard against acting
   * on a leadership it has lost and regained since).
   */
  append(records: readonly T[], epoch?: number): number;
  /** Offset up to which (exclusive) the log is committed, as this replica knows it. */
  highWatermark(): number;
  /** Offset after the last record of the local log (committed or not). */
  logEndOffset(): number;
  /** Adds a listener; it is given every committed batch from the log start, then the current leader. */
  register(listener: RaftListener<T>): void;
  /** Routes a Raft message (Vote, BeginQuorumEpoch, EndQuorumEpoch, RaftFetch and their responses); other
   *  messages are ignored (see isRaftMessage). */
  handleMessage(from: NodeId, message: Message): void;
  /** The connection to `peer` was reset: what was in flight to it is lost; requests are re-sent. */
  handleConnectionReset(peer: NodeId): void;
  /** Stops sending and answering; a controlled shutdown (a voter that leads resigns first, with
   *  EndQuorumEpoch to the other voters). */
  shutdown(): void;
}

export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
  constructor(readonly leader: LeaderAndEpoch) {
    super(`not the Raft leader (leader ${leader.leaderId}, epoch ${leader.epoch})`);
  }
}

// What every role state of a replica has in common (Kafka's EpochState).
//
// A replica is in exactly one state per moment; each state belongs to one epoch and holds only what its role
// needs (timers as deadlines, vote tallies, the leader's view of its followers). The states decide the small
// questions of their role — may I grant this vote? — and QuorumState moves between them; the client does the
// talking.
//
//   unattached  -> prospective            (election timeout: ask for pre-votes; an observer never does)
//   voted       -> prospective            (voted in this epoch, no leader heard of yet; election timeout)
//   prospective -> candidate              (a majority would vote for it: bump the epoch, vote for itself)
//   candidate   -> leader                 (a majority voted for it)
//   follower    -> prospective            (no word from the leader for fetch.timeout.ms)
//   leader      -> resigned               (no majority heard from for 1.5 x fetch.timeout.ms, or shutdown)
//   resigned    -> prospective            (election timeout)
//   any         -> unattached / follower  (a newer epoch is heard of: without / with its leader)

import type { ReplicaId } from './raft-client.ts';

export type RaftRole = 'unattached' | 'voted' | 'prospective' | 'candidate' | 'follower' | 'leader' | 'resigned';

export const NO_REPLICA: ReplicaId = -1;

export interface EpochState {
  readonly role: RaftRole;
  readonly epoch: number;
  /** The leader of this epoch as far as this state knows, or -1. */
  readonly leaderId: ReplicaId;
  /** This replica's vote in this epoch, or -1. Kept through every state of the same epoch. */
  readonly votedId: ReplicaId;
  /**
   * Whether this state may grant `candidateId` a vote (or a pre-vote) for this epoch, given whether the
   * candidate's log is at least as up to date as ours. A granted real vote is recorded by the caller.
   */
  canGrantVote(candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean;
}

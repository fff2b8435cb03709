// Prospective (KIP-996): before bumping the epoch, a voter asks the others "would you vote for me?" with
// pre-vote requests for epoch + 1. Pre-votes change no one's state, so a replica cut off from the quorum can
// prospect forever without inflating the epoch; when it comes back it learns the leader from the answers
// instead of forcing an election. A majority of pre-votes makes it a candidate; a lost round backs off.
//
// It keeps the epoch's leader (if it was a follower) and its vote: a leader known for this epoch means no
// one else can win it, so real votes for this epoch are refused.

import type { ReplicaId } from './raft-client.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { EpochState } from './epoch-state.ts';
import type { VoteTally } from './vote-tally.ts';

export class ProspectiveState implements EpochState {
  readonly role = 'prospective';
  /** When the round was lost or timed out: no requests until then; a new round starts there. */
  backoffUntilMs = NaN;

  constructor(
    readonly epoch: number,
    readonly leaderId: ReplicaId,
    readonly votedId: ReplicaId,
    readonly electionDeadlineMs: number,
    readonly tally: VoteTally,
    /** Rounds lost in a row before this one: the backoff grows with it. */
    readonly failedRounds: number,
  ) {}

  get backingOff(): boolean {
    return this.backoffUntilMs === this.backoffUntilMs;
  }

  canGrantVote(candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean {
    if (preVote) return logUpToDate;
    if (this.leaderId !== NO_REPLICA) return false;
    return this.votedId === NO_REPLICA ? logUpToDate : candidateId === this.votedId;
  }
}

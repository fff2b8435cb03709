// Candidate: the epoch is bumped and the vote for itself is on disk before any vote request goes out
// (`durable`). A majority of votes makes it the leader; a lost or timed-out election backs off, then
// prospects again (pre-vote first, KIP-996), keeping this epoch and its vote.

import type { ReplicaId } from './raft-client.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { EpochState } from './epoch-state.ts';
import type { VoteTally } from './vote-tally.ts';

export class CandidateState implements EpochState {
  readonly role = 'candidate';
  readonly leaderId = NO_REPLICA;
  /** The epoch and the vote for itself are on durable storage: vote requests may go out. */
  durable = false;
  backoffUntilMs = NaN;

  constructor(
    readonly epoch: number,
    readonly votedId: ReplicaId,
    readonly electionDeadlineMs: number,
    readonly tally: VoteTally,
    readonly failedRounds: number,
  ) {}

  get backingOff(): boolean {
    return this.backoffUntilMs === this.backoffUntilMs;
  }

  canGrantVote(_candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean {
    return preVote && logUpToDate;
  }
}

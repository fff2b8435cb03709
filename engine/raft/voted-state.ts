// Voted: this replica granted its vote in this epoch (durably) and knows no leader yet. It grants the same
// candidate again (a retried request), no one else; pre-votes it grants on the log alone.

import type { ReplicaId } from './raft-client.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { EpochState } from './epoch-state.ts';

export class VotedState implements EpochState {
  readonly role = 'voted';
  readonly leaderId = NO_REPLICA;

  constructor(
    readonly epoch: number,
    readonly votedId: ReplicaId,
    readonly electionDeadlineMs: number,
  ) {}

  canGrantVote(candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean {
    return preVote ? logUpToDate : candidateId === this.votedId;
  }
}

// Unattached: the replica knows the epoch but neither a leader nor a vote of its own in it. A voter stays
// until its election timeout (then it prospects for votes); an observer stays until it finds the leader.

import type { ReplicaId } from './raft-client.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { EpochState } from './epoch-state.ts';

export class UnattachedState implements EpochState {
  readonly role = 'unattached';
  readonly leaderId = NO_REPLICA;
  readonly votedId = NO_REPLICA;

  constructor(
    readonly epoch: number,
    /** Infinity for an observer. */
    readonly electionDeadlineMs: number,
  ) {}

  canGrantVote(_candidateId: ReplicaId, logUpToDate: boolean): boolean {
    return logUpToDate;
  }
}

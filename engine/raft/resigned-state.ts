// Resigned: the leader gave up its epoch (it lost contact with a majority, or it shuts down, or it restarted
// after leading). It appends nothing, tells the voters with EndQuorumEpoch so that they elect a successor
// without waiting for their fetch timeouts, and prospects itself after an election timeout.

import type { ReplicaId } from './raft-client.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { EpochState } from './epoch-state.ts';

export class ResignedState implements EpochState {
  readonly role = 'resigned';
  readonly leaderId = NO_REPLICA;
  /** Voters that have not acknowledged EndQuorumEpoch yet. */
  readonly unacknowledged: Set<ReplicaId>;

  constructor(
    readonly epoch: number,
    readonly votedId: ReplicaId,
    readonly electionDeadlineMs: number,
    /** Voters by how far their logs reach, furthest first. */
    readonly preferredSuccessors: readonly ReplicaId[],
  ) {
    this.unacknowledged = new Set(preferredSuccessors);
  }

  canGrantVote(_candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean {
    return preVote && logUpToDate;
  }
}

// The votes (or pre-votes) of one election round: who granted, who refused, who has not answered yet.

import type { ReplicaId } from './raft-client.ts';
import type { VoterSet } from './quorum-voters.ts';

export class VoteTally {
  private readonly granted = new Set<ReplicaId>();
  private readonly rejected = new Set<ReplicaId>();

  constructor(
    private readonly voters: VoterSet,
    localId: ReplicaId,
  ) {
    this.granted.add(localId);
  }

  /** Records an answer; the first answer of a voter counts. */
  record(voterId: ReplicaId, granted: boolean): void {
    if (!this.voters.has(voterId) || this.granted.has(voterId) || this.rejected.has(voterId)) return;
    (granted ? this.granted : this.rejected).add(voterId);
  }

  isWon(): boolean {
    return this.granted.size >= this.voters.majority;
  }

  /** A majority can no longer be reached. */
  isLost(): boolean {
    return this.voters.size - this.rejected.size < this.voters.majority;
  }

  /** Voters that have not answered, to (re)send the request to. */
  unanswered(): ReplicaId[] {
    return this.voters.ids().filter((id) => !this.granted.has(id) && !this.rejected.has(id));
  }

  grantingVoters(): ReplicaId[] {
    return [...this.granted].sort((a, b) => a - b);
  }
}

// Follower: the leader of this epoch is known; the replica fetches from it. A successful fetch pushes the
// fetch deadline out by fetch.timeout.ms; passing it makes a voter prospect (an observer looks for the
// leader again).
//
// Pre-votes: refused while the leader is heard from (KIP-996: a live leader must not be disturbed), granted on
// the log alone once the leader resigned (EndQuorumEpoch) or before the first successful fetch.

import type { ReplicaId } from './raft-client.ts';
import type { EpochState } from './epoch-state.ts';

export class FollowerState implements EpochState {
  readonly role = 'follower';
  /** A fetch succeeded in this epoch. */
  hasFetched = false;
  /** The leader announced its resignation (EndQuorumEpoch). */
  leaderResigned = false;

  constructor(
    readonly epoch: number,
    readonly leaderId: ReplicaId,
    readonly votedId: ReplicaId,
    public fetchDeadlineMs: number,
  ) {}

  onFetchSuccess(nowMs: number, fetchTimeoutMs: number): void {
    this.hasFetched = true;
    if (!this.leaderResigned) this.fetchDeadlineMs = nowMs + fetchTimeoutMs;
  }

  /** EndQuorumEpoch: stand for election after `delayMs` (shorter for the leader's preferred successors). */
  onLeaderResigned(nowMs: number, delayMs: number): void {
    this.leaderResigned = true;
    this.fetchDeadlineMs = Math.min(this.fetchDeadlineMs, nowMs + delayMs);
  }

  canGrantVote(_candidateId: ReplicaId, logUpToDate: boolean, preVote: boolean): boolean {
    if (!preVote) return false;
    return (!this.hasFetched || this.leaderResigned) && logUpToDate;
  }
}

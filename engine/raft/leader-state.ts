// Leader: the one replica of this epoch that appends. It tracks how far each voter's log is durable (a
// follower's fetch offset; its own flushed end) and moves the high watermark to the largest offset a majority
// has reached — but only past the start of its own epoch: the LeaderChange record it appended first must be
// committed before anything is, so that no entry of an older epoch is counted as committed by replica count
// alone (Raft's commitment rule; KRaft's epochStartOffset).
//
// Check quorum: if no majority of voters (itself included) has fetched within 1.5 x fetch.timeout.ms, the
// leader resigns, so that a leader cut off from the quorum stops passing itself off as one.

import type { ReplicaId } from './raft-client.ts';
import type { EpochState } from './epoch-state.ts';
import type { VoterSet } from './quorum-voters.ts';

const UNKNOWN_OFFSET = -1;

export class LeaderState implements EpochState {
  readonly role = 'leader';
  /** Durable end offset of each voter's log as this leader knows it (-1 until it fetches). */
  private readonly endOffsets = new Map<ReplicaId, number>();
  /** Voters that have neither fetched nor acknowledged BeginQuorumEpoch in this epoch. */
  readonly unannounced: Set<ReplicaId>;
  /** Voters heard from since the check-quorum timer was last reset. */
  private readonly heardFrom = new Set<ReplicaId>();
  checkQuorumDeadlineMs: number;
  /** The offset a majority has reached, once past epochStartOffset; -1 before. */
  highWatermark = UNKNOWN_OFFSET;

  constructor(
    readonly epoch: number,
    readonly leaderId: ReplicaId,
    /** The leader's log end when it was elected: where its LeaderChange record goes. */
    readonly epochStartOffset: number,
    private readonly voters: VoterSet,
    private readonly checkQuorumTimeoutMs: number,
    nowMs: number,
    readonly grantingVoters: readonly ReplicaId[],
    readonly votedId: ReplicaId,
  ) {
    for (const id of voters.ids()) this.endOffsets.set(id, UNKNOWN_OFFSET);
    this.unannounced = new Set(voters.ids().filter((id) => id !== leaderId));
    this.checkQuorumDeadlineMs = voters.majority === 1 ? Infinity : nowMs + checkQuorumTimeoutMs;
  }

  canGrantVote(): boolean {
    return false;
  }

  /** The leader's own log is durable up to `flushedEndOffset`. Returns true if the high watermark moved. */
  updateLocalEndOffset(flushedEndOffset: number): boolean {
    this.endOffsets.set(this.leaderId, flushedEndOffset);
    return this.maybeAdvanceHighWatermark();
  }

  /** A voter fetched from `fetchOffset` (durable on it). Returns true if the high watermark moved. */
  updateVoterEndOffset(voterId: ReplicaId, fetchOffset: number, nowMs: number): boolean {
    this.recordContact(voterId, nowMs);
    // A fetch offset may go down (a follower truncated); the high watermark never does.
    this.endOffsets.set(voterId, fetchOffset);
    return this.maybeAdvanceHighWatermark();
  }

  /** A voter answered or fetched in this epoch: it knows the leader, and it counts for check quorum. */
  recordContact(voterId: ReplicaId, nowMs: number): void {
    if (!this.voters.has(voterId) || voterId === this.leaderId) return;
    this.unannounced.delete(voterId);
    this.heardFrom.add(voterId);
    if (this.heardFrom.size + 1 >= this.voters.majority) {
      this.heardFrom.clear();
      this.checkQuorumDeadlineMs = nowMs + this.checkQuorumTimeoutMs;
    }
  }

  /** Other voters by how far their logs reach, furthest first (ties by id): successors to propose. */
  preferredSuccessors(): ReplicaId[] {
    return [...this.endOffsets.entries()]
      .filter(([id]) => id !== this.leaderId)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([id]) => id);
  }

  endOffsetOf(voterId: ReplicaId): number {
    return this.endOffsets.get(voterId) ?? UNKNOWN_OFFSET;
  }

  private maybeAdvanceHighWatermark(): boolean {
    const offsets = [...this.endOffsets.values()].sort((a, b) => b - a);
    const majorityOffset = offsets[this.voters.majority - 1];
    if (majorityOffset <= this.epochStartOffset || majorityOffset <= this.highWatermark) return false;
    this.highWatermark = majorityOffset;
    return true;
  }
}

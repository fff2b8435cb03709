// What each role state does when polled: act on a deadline that passed, (re)send what it owes, and say when
// it next needs to be polled (Kafka's pollUnattached / pollProspective / pollCandidate / pollLeader ...).
// A move to another state makes the replica poll again, the new state first.

import type { NodeId } from '../runtime.ts';
import type { CandidateState } from './candidate-state.ts';
import type { FollowerState } from './follower-state.ts';
import type { LeaderState } from './leader-state.ts';
import type { ProspectiveState } from './prospective-state.ts';
import type { RaftContext } from './raft-context.ts';
import { voterNode } from './raft-context.ts';
import type { RaftHandlers } from './raft-handlers.ts';
import type { ResignedState } from './resigned-state.ts';
import type { UnattachedState } from './unattached-state.ts';
import type { VotedState } from './voted-state.ts';

export class RaftPoller {
  /** Round robin over the voters while an observer looks for the leader. */
  private discoveryCursor = 0;
  private discoveryNode: NodeId | undefined;

  constructor(
    private readonly replica: RaftContext,
    private readonly handlers: RaftHandlers,
  ) {}

  /** Runs what is due at `nowMs`; returns when the replica next needs a poll. */
  poll(nowMs: number): number {
    const state = this.replica.quorum.state;
    let wakeMs: number;
    switch (state.role) {
      case 'unattached': wakeMs = this.pollUnattached(state, nowMs); break;
      case 'voted': wakeMs = this.pollVoted(state, nowMs); break;
      case 'prospective': wakeMs = this.pollProspective(state, nowMs); break;
      case 'candidate': wakeMs = this.pollCandidate(state, nowMs); break;
      case 'follower': wakeMs = this.pollFollower(state, nowMs); break;
      case 'leader': wakeMs = this.pollLeader(state, nowMs); break;
      case 'resigned': wakeMs = this.pollResigned(state, nowMs); break;
    }
    return Math.min(wakeMs, this.replica.requests.nextWakeMs(nowMs));
  }

  private pollUnattached(state: UnattachedState, nowMs: number): number {
    if (!this.replica.isVoter) return this.discoverLeader(nowMs);
    if (nowMs >= state.electionDeadlineMs) {
      this.replica.quorum.transitionToProspective();
      return nowMs;
    }
    return state.electionDeadlineMs;
  }

  private pollVoted(state: VotedState, nowMs: number): number {
    if (nowMs >= state.electionDeadlineMs) {
      this.replica.quorum.transitionToProspective();
      return nowMs;
    }
    return state.electionDeadlineMs;
  }

  private pollProspective(state: ProspectiveState, nowMs: number): number {
    const { quorum } = this.replica;
    if (state.backingOff) {
      if (nowMs < state.backoffUntilMs) return state.backoffUntilMs;
      quorum.transitionToProspective(state.failedRounds + 1);
      return nowMs;
    }
    if (state.tally.isWon()) {
      quorum.transitionToCandidate();
      return nowMs;
    }
    if (nowMs >= state.electionDeadlineMs) {
      this.handlers.startBackoff(state);
      return state.backoffUntilMs;
    }
    this.requestVotes(state, nowMs, true);
    return state.electionDeadlineMs;
  }

  private pollCandidate(state: CandidateState, nowMs: number): number {
    const { quorum } = this.replica;
    if (state.backingOff) {
      if (nowMs < state.backoffUntilMs) return state.backoffUntilMs;
      quorum.transitionToProspective(state.failedRounds + 1);
      return nowMs;
    }
    // The epoch and the vote for itself must be durable before anyone is asked (the fsync callback re-polls).
    if (!state.durable) return Infinity;
    if (state.tally.isWon()) {
      this.replica.becomeLeader();
      return nowMs;
    }
    if (nowMs >= state.electionDeadlineMs) {
      this.handlers.startBackoff(state);
      return state.backoffUntilMs;
    }
    this.requestVotes(state, nowMs, false);
    return state.electionDeadlineMs;
  }

  private requestVotes(state: ProspectiveState | CandidateState, nowMs: number, preVote: boolean): void {
    for (const voterId of state.tally.unanswered()) {
      if (voterId === this.replica.replicaId) continue;
      if (this.replica.requests.isReady(voterNode(this.replica, voterId), nowMs)) this.handlers.sendVoteRequest(voterId, preVote);
    }
  }

  private pollFollower(state: FollowerState, nowMs: number): number {
    const { quorum, log, requests } = this.replica;
    if (nowMs >= state.fetchDeadlineMs) {
      this.replica.runtime.trace('raft.fetch-timeout', { epoch: state.epoch, leaderId: state.leaderId, resigned: state.leaderResigned });
      if (this.replica.isVoter) quorum.transitionToProspective();
      else quorum.transitionToUnattached(state.epoch);
      return nowMs;
    }
    // The next fetch reports the log end: it goes only once the log is durable up to there.
    const leaderNode = voterNode(this.replica, state.leaderId);
    if (log.flushedEndOffset >= log.endOffset && requests.isReady(leaderNode, nowMs)) this.handlers.sendFetch(leaderNode);
    return state.fetchDeadlineMs;
  }

  private pollLeader(state: LeaderState, nowMs: number): number {
    const { quorum, log, requests, purgatory } = this.replica;
    if (nowMs >= state.checkQuorumDeadlineMs) {
      this.replica.runtime.trace('raft.check-quorum-failed', { epoch: state.epoch });
      quorum.transitionToResigned(state.preferredSuccessors());
      return nowMs;
    }
    for (const voterId of state.unannounced) {
      if (requests.isReady(voterNode(this.replica, voterId), nowMs)) this.handlers.sendBeginQuorumEpoch(voterId);
    }
    for (const held of purgatory.takeReady(nowMs, log.endOffset, this.replica.highWatermark())) this.handlers.answerFetch(held.from, held.request);
    return Math.min(state.checkQuorumDeadlineMs, purgatory.nextDeadlineMs());
  }

  private pollResigned(state: ResignedState, nowMs: number): number {
    const { quorum, requests } = this.replica;
    if (this.replica.isVoter && nowMs >= state.electionDeadlineMs) {
      quorum.transitionToProspective();
      return nowMs;
    }
    for (const voterId of state.unacknowledged) {
      if (requests.isReady(voterNode(this.replica, voterId), nowMs)) this.handlers.sendEndQuorumEpoch(voterId, state.preferredSuccessors);
    }
    return state.electionDeadlineMs;
  }

  /** An observer asks the voters in turn; any answer names the leader (or the epoch) it knows. */
  private discoverLeader(nowMs: number): number {
    const { config, requests } = this.replica;
    if (this.discoveryNode !== undefined && !requests.isReady(this.discoveryNode, nowMs)) return Infinity;
    const voters = config.voters.voters;
    this.discoveryNode = voters[this.discoveryCursor++ % voters.length].host;
    this.handlers.sendFetch(this.discoveryNode);
    return Infinity;
  }
}

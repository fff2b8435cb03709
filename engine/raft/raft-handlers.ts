// The Raft requests and responses: building and sending them, and handling them (KIP-595, KIP-996).
//
// Every response carries the responder's (leaderId, leaderEpoch); a replica that hears of a newer epoch moves
// to it before anything else (maybeTransitionOnLeaderView). Responses are matched to the one request in flight
// to their sender; anything else is stale and ignored.

import type { Message, NodeId } from '../runtime.ts';
import { LogAppendError } from '../log/log-errors.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { NO_REPLICA } from './epoch-state.ts';
import {
  beginQuorumEpochRequest, beginQuorumEpochResponse, endQuorumEpochRequest, endQuorumEpochResponse,
  isRaftMessage, raftFetchRequest, raftFetchResponse, voteRequest, voteResponse,
} from './messages.ts';
import type {
  BeginQuorumEpochRequest, BeginQuorumEpochResponse, EndQuorumEpochRequest, EndQuorumEpochResponse, EpochEndOffset,
  LeaderView, RaftFetchRequest, RaftFetchResponse, RaftRequest, VoteRequest, VoteResponse,
} from './messages.ts';
import type { RaftContext } from './raft-context.ts';
import { voterNode } from './raft-context.ts';
import type { ReplicaId } from './raft-client.ts';
import type { ProspectiveState } from './prospective-state.ts';
import type { CandidateState } from './candidate-state.ts';

const FETCH_MAX_BYTES = 1024 * 1024;
const EMPTY = new Uint8Array(0);

export class RaftHandlers {
  private readonly clientId: string;

  constructor(
    private readonly replica: RaftContext,
    private nextCorrelationId: number,
  ) {
    this.clientId = `raft-${replica.replicaId}`;
  }

  handle(from: NodeId, message: Message): void {
    if (!isRaftMessage(message)) return;
    switch (message.type) {
      case 'VoteRequest': return this.handleVoteRequest(from, message);
      case 'VoteResponse': return this.handleVoteResponse(from, message);
      case 'BeginQuorumEpochRequest': return this.handleBeginQuorumEpochRequest(from, message);
      case 'BeginQuorumEpochResponse': return this.handleBeginQuorumEpochResponse(from, message);
      case 'EndQuorumEpochRequest': return this.handleEndQuorumEpochRequest(from, message);
      case 'EndQuorumEpochResponse': return this.handleEndQuorumEpochResponse(from, message);
      case 'RaftFetchRequest': return this.handleFetchRequest(from, message);
      case 'RaftFetchResponse': return this.handleFetchResponse(from, message);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Sending requests

  sendVoteRequest(voterId: ReplicaId, preVote: boolean): void {
    const { quorum, log } = this.replica;
    this.send(voterNode(this.replica, voterId), (correlationId) => voteRequest({
      correlationId, clientId: this.clientId, voterId, candidateId: this.replica.replicaId,
      candidateEpoch: preVote ? quorum.epoch + 1 : quorum.epoch,
      lastOffsetEpoch: log.lastEpoch(), lastOffset: log.endOffset, preVote,
    }));
  }

  sendFetch(to: NodeId): void {
    const { quorum, log, config } = this.replica;
    this.send(to, (correlationId) => raftFetchRequest({
      correlationId, clientId: this.clientId, replicaId: this.replica.replicaId,
      maxWaitMs: config.fetchMaxWaitMs, maxBytes: FETCH_MAX_BYTES, currentLeaderEpoch: quorum.epoch,
      fetchOffset: log.endOffset, lastFetchedEpoch: log.lastEpoch(),
    }));
  }

  sendBeginQuorumEpoch(voterId: ReplicaId): void {
    const epoch = this.replica.quorum.epoch;
    this.send(voterNode(this.replica, voterId), (correlationId) => beginQuorumEpochRequest({
      correlationId, clientId: this.clientId, voterId, leaderId: this.replica.replicaId, leaderEpoch: epoch,
    }));
  }

  sendEndQuorumEpoch(voterId: ReplicaId, preferredSuccessors: readonly ReplicaId[]): void {
    const epoch = this.replica.quorum.epoch;
    this.send(voterNode(this.replica, voterId), (correlationId) => endQuorumEpochRequest({
      correlationId, clientId: this.clientId, leaderId: this.replica.replicaId, leaderEpoch: epoch, preferredSuccessors,
    }));
  }

  private send(to: NodeId, build: (correlationId: number) => RaftRequest): void {
    const correlationId = this.nextCorrelationId++;
    const { runtime, requests } = this.replica;
    runtime.send(to, build(correlationId));
    requests.onSent(to, correlationId, runtime.now());
  }

  /** This replica's (leaderId, epoch), as every response carries it. */
  private view(): LeaderView {
    const state = this.replica.quorum.state;
    const leaderId = state.role === 'leader' ? this.replica.replicaId : state.role === 'follower' ? state.leaderId : NO_REPLICA;
    return { leaderId, leaderEpoch: state.epoch };
  }

  // -------------------------------------------------------------------------------------------------------
  // Vote

  private handleVoteRequest(from: NodeId, request: VoteRequest): void {
    const { runtime, quorum, log, config } = this.replica;
    const respond = (errorCode: number, voteGranted: boolean, view: LeaderView = this.view()): void => {
      if (!this.replica.isStopped) runtime.send(from, voteResponse({ correlationId: request.correlationId, errorCode, voteGranted, ...view }));
    };
    if (!this.replica.isVoter || request.voterId !== this.replica.replicaId || !config.voters.has(request.candidateId)) {
      return respond(ErrorCode.INCONSISTENT_VOTER_SET, false);
    }
    if (request.candidateEpoch < quorum.epoch) return respond(ErrorCode.FENCED_LEADER_EPOCH, false);
    // A real vote for a newer epoch moves this replica to it, granted or not; a pre-vote moves no one.
    if (!request.preVote && request.candidateEpoch > quorum.epoch) quorum.transitionToUnattached(request.candidateEpoch);
    const logUpToDate = compareLogPosition(request.lastOffsetEpoch, request.lastOffset, log.lastEpoch(), log.endOffset) >= 0;
    const state = quorum.state;
    const granted = state.canGrantVote(request.candidateId, logUpToDate, request.preVote);
    runtime.trace(granted ? 'raft.vote-granted' : 'raft.vote-rejected', {
      candidateId: request.candidateId, candidateEpoch: request.candidateEpoch, preVote: request.preVote, epoch: state.epoch, role: state.role, logUpToDate,
    });
    if (!granted || request.preVote) return respond(ErrorCode.NONE, granted);
    if (state.role !== 'voted') quorum.transitionToVoted(request.candidateId);
    // The vote goes out only once it is on durable storage: a power loss must not let this replica vote
    // again, differently, in the same epoch.
    const view = this.view();
    quorum.whenDurable((error) => {
      if (error === undefined) respond(ErrorCode.NONE, true, view);
    });
  }

  private handleVoteResponse(from: NodeId, response: VoteResponse): void {
    const { requests, quorum, config } = this.replica;
    if (!requests.onResponse(from, response.correlationId)) return;
    const voterId = config.voters.idOfNode(from);
    if (voterId === undefined) return;
    if (this.replica.maybeTransitionOnLeaderView(response.leaderId, response.leaderEpoch)) return;
    const state = quorum.state;
    if ((state.role !== 'prospective' && state.role !== 'candidate') || state.backingOff) return;
    state.tally.record(voterId, response.errorCode === ErrorCode.NONE && response.voteGranted);
    if (!state.tally.isLost()) return;
    if (state.role === 'prospective' && state.leaderId !== NO_REPLICA) {
      // The voters still hear from the leader this replica lost: follow it again (KIP-996).
      quorum.transitionToFollower(state.epoch, state.leaderId);
    } else {
      this.startBackoff(state);
    }
  }

  /** A lost or timed-out round: pause for a random backoff, then prospect again. */
  startBackoff(state: ProspectiveState | CandidateState): void {
    const { runtime, quorum } = this.replica;
    state.backoffUntilMs = runtime.now() + quorum.electionBackoffMs(state.failedRounds);
    runtime.trace('raft.election-lost', { epoch: state.epoch, preVote: state.role === 'prospective', backoffMs: state.backoffUntilMs - runtime.now() });
  }

  // -------------------------------------------------------------------------------------------------------
  // BeginQuorumEpoch / EndQuorumEpoch

  private handleBeginQuorumEpochRequest(from: NodeId, request: BeginQuorumEpochRequest): void {
    const { runtime, quorum, config } = this.replica;
    let errorCode: number = ErrorCode.NONE;
    if (request.voterId !== this.replica.replicaId || !config.voters.has(request.leaderId) || request.leaderId === this.replica.replicaId) {
      errorCode = ErrorCode.INCONSISTENT_VOTER_SET;
    } else if (request.leaderEpoch < quorum.epoch) {
      errorCode = ErrorCode.FENCED_LEADER_EPOCH;
    } else {
      this.replica.maybeTransitionOnLeaderView(request.leaderId, request.leaderEpoch);
    }
    runtime.send(from, beginQuorumEpochResponse({ correlationId: request.correlationId, errorCode, ...this.view() }));
  }

  private handleBeginQuorumEpochResponse(from: NodeId, response: BeginQuorumEpochResponse): void {
    const { requests, quorum, config, runtime } = this.replica;
    if (!requests.onResponse(from, response.correlationId)) return;
    if (this.replica.maybeTransitionOnLeaderView(response.leaderId, response.leaderEpoch)) return;
    const state = quorum.state;
    const voterId = config.voters.idOfNode(from);
    if (state.role === 'leader' && voterId !== undefined && response.errorCode === ErrorCode.NONE) state.recordContact(voterId, runtime.now());
  }

  private handleEndQuorumEpochRequest(from: NodeId, request: EndQuorumEpochRequest): void {
    const { runtime, quorum, config } = this.replica;
    let errorCode: number = ErrorCode.NONE;
    if (request.leaderEpoch < quorum.epoch) {
      errorCode = ErrorCode.FENCED_LEADER_EPOCH;
    } else if (!config.voters.has(request.leaderId) || request.leaderId === this.replica.replicaId) {
      errorCode = ErrorCode.INCONSISTENT_VOTER_SET;
    } else {
      this.replica.maybeTransitionOnLeaderView(request.leaderId, request.leaderEpoch);
      const state = quorum.state;
      if (state.role === 'follower' && state.leaderId === request.leaderId && state.epoch === request.leaderEpoch) {
        state.onLeaderResigned(runtime.now(), this.successorDelayMs(request.preferredSuccessors));
        runtime.trace('raft.leader-resigned', { epoch: state.epoch, leaderId: request.leaderId });
      }
    }
    runtime.send(from, endQuorumEpochResponse({ correlationId: request.correlationId, errorCode, ...this.view() }));
  }

  /** The first preferred successor stands at once, the next ones a little later (exponentially). */
  private successorDelayMs(preferredSuccessors: readonly ReplicaId[]): number {
    const { config } = this.replica;
    const position = this.replica.isVoter ? preferredSuccessors.indexOf(this.replica.replicaId) : -1;
    if (position < 0) return config.electionBackoffMaxMs;
    if (position === 0) return 0;
    return Math.min(config.electionBackoffMaxMs, Math.max(1, config.retryBackoffMs) * 2 ** position);
  }

  private handleEndQuorumEpochResponse(from: NodeId, response: EndQuorumEpochResponse): void {
    const { requests, quorum, config } = this.replica;
    if (!requests.onResponse(from, response.correlationId)) return;
    if (this.replica.maybeTransitionOnLeaderView(response.leaderId, response.leaderEpoch)) return;
    const state = quorum.state;
    const voterId = config.voters.idOfNode(from);
    if (state.role === 'resigned' && voterId !== undefined) state.unacknowledged.delete(voterId);
  }

  // -------------------------------------------------------------------------------------------------------
  // RaftFetch

  private handleFetchRequest(from: NodeId, request: RaftFetchRequest): void {
    const { runtime, quorum, log, config, purgatory } = this.replica;
    const state = quorum.state;
    const epochError = request.currentLeaderEpoch < state.epoch ? ErrorCode.FENCED_LEADER_EPOCH
      : request.currentLeaderEpoch > state.epoch ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.NONE;
    if (state.role !== 'leader') return this.sendFetchError(from, request, epochError === ErrorCode.NONE ? ErrorCode.NOT_LEADER_OR_FOLLOWER : epochError);
    if (epochError !== ErrorCode.NONE) return this.sendFetchError(from, request, epochError);
    if (request.fetchOffset < log.startOffset || request.lastFetchedEpoch < 0) return this.sendFetchError(from, request, ErrorCode.INVALID_REQUEST);
    const now = runtime.now();
    const voterId = config.voters.has(request.replicaId) && config.voters.nodeOf(request.replicaId) === from && request.replicaId !== this.replica.replicaId
      ? request.replicaId : undefined;
    if (voterId !== undefined) state.recordContact(voterId, now);
    const diverging = log.validateFetchPosition(request.fetchOffset, request.lastFetchedEpoch);
    if (diverging !== null) return this.sendFetchResponse(from, request, diverging, EMPTY);
    if (voterId !== undefined && state.updateVoterEndOffset(voterId, request.fetchOffset, now)) this.replica.advanceHighWatermark(state.highWatermark);
    const idle = log.endOffset <= request.fetchOffset && !purgatory.knowsOlderHighWatermark(from, this.replica.highWatermark());
    if (idle && request.maxWaitMs > 0) {
      purgatory.hold({ from, request, deadlineMs: now + Math.min(request.maxWaitMs, config.fetchMaxWaitMs) });
      return;
    }
    this.answerFetch(from, request);
  }

  /** Answers a fetch at a valid position with what the log holds from there. */
  answerFetch(from: NodeId, request: RaftFetchRequest): void {
    const records = this.replica.log.read(request.fetchOffset, Math.min(request.maxBytes, FETCH_MAX_BYTES));
    this.sendFetchResponse(from, request, null, records);
  }

  /** A leadership ended: the fetches it held are answered with the news. */
  failHeldFetches(): void {
    for (const held of this.replica.purgatory.clear()) this.sendFetchError(held.from, held.request, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  }

  private sendFetchResponse(from: NodeId, request: RaftFetchRequest, divergingEpoch: EpochEndOffset | null, records: Uint8Array): void {
    const { runtime, log, purgatory } = this.replica;
    const view = this.view();
    const highWatermark = this.replica.highWatermark();
    purgatory.recordSent(from, highWatermark);
    runtime.send(from, raftFetchResponse({
      correlationId: request.correlationId, errorCode: ErrorCode.NONE, highWatermark, logStartOffset: log.startOffset,
      divergingEpoch, currentLeader: view, records,
    }));
  }

  private sendFetchError(from: NodeId, request: RaftFetchRequest, errorCode: number): void {
    const { runtime, log } = this.replica;
    runtime.send(from, raftFetchResponse({
      correlationId: request.correlationId, errorCode, highWatermark: -1, logStartOffset: log.startOffset,
      divergingEpoch: null, currentLeader: this.view(), records: EMPTY,
    }));
  }

  private handleFetchResponse(from: NodeId, response: RaftFetchResponse): void {
    const { runtime, requests, quorum, log, config } = this.replica;
    if (!requests.onResponse(from, response.correlationId)) return;
    const now = runtime.now();
    const leader = response.currentLeader;
    if (this.replica.maybeTransitionOnLeaderView(leader.leaderId, leader.leaderEpoch)) return;
    if (response.errorCode !== ErrorCode.NONE) {
      requests.onFailure(from, now);
      return;
    }
    const state = quorum.state;
    if (state.role !== 'follower' || state.epoch !== leader.leaderEpoch || config.voters.nodeOf(state.leaderId) !== from) return;
    state.onFetchSuccess(now, config.fetchTimeoutMs);
    if (response.divergingEpoch !== null) {
      const before = log.endOffset;
      const after = log.truncateToEndOffset(response.divergingEpoch, this.replica.highWatermark());
      runtime.trace('raft.truncate', { epoch: state.epoch, fromOffset: before, toOffset: after, divergingEpoch: response.divergingEpoch.epoch });
      return;
    }
    if (response.records.length > 0) {
      try {
        log.appendAsFollower(response.records);
      } catch (error) {
        if (!(error instanceof LogAppendError)) throw error;
        runtime.trace('raft.fetch-append-failed', { code: error.code, fetchOffset: log.endOffset });
        requests.onFailure(from, now);
        return;
      }
      log.flush();
    }
    // Everything up to the log end matches the leader's log (the fetch position was validated): the part
    // below the leader's high watermark is committed.
    this.replica.advanceHighWatermark(Math.min(response.highWatermark, log.endOffset));
  }
}

/** Orders log positions by (last epoch, end offset): Raft's "at least as up to date". */
export function compareLogPosition(epochA: number, offsetA: number, epochB: number, offsetB: number): number {
  return epochA !== epochB ? epochA - epochB : offsetA - offsetB;
}

// QuorumState: which role state the replica is in, the legal moves between them, and their persistence.
//
// Every move writes the election state (epoch, leader, vote) to `quorum-state` when it changed; whenDurable
// lets the client wait for the disk before it answers a vote or asks for votes. Moves that Raft forbids
// (a second leader in an epoch, an epoch going back, a vote changed within an epoch) throw
// InvariantViolation (engine/invariants.ts): they would be bugs.
//
// At start, the state comes from quorum-state and the log (Kafka's QuorumState.initialize): a replica that
// led never resumes leading the same epoch (it resigns), one that was a candidate prospects again keeping its
// vote, a vote or a known leader is kept, and a log holding a newer epoch than the file moves the epoch up.

import type { Runtime } from '../runtime.ts';
import type { DiskError } from '../runtime.ts';
import { CandidateState } from './candidate-state.ts';
import { NO_REPLICA } from './epoch-state.ts';
import type { RaftRole } from './epoch-state.ts';
import { FollowerState } from './follower-state.ts';
import { LeaderState } from './leader-state.ts';
import { ProspectiveState } from './prospective-state.ts';
import type { RaftConfig } from './raft-config.ts';
import type { ReplicaId } from './raft-client.ts';
import { invariantWith } from '../invariants.ts';
import { NO_ELECTION, QuorumStateFile } from './quorum-state-file.ts';
import type { ElectionState } from './quorum-state-file.ts';
import { ResignedState } from './resigned-state.ts';
import { UnattachedState } from './unattached-state.ts';
import { VotedState } from './voted-state.ts';
import { VoteTally } from './vote-tally.ts';

export type AnyEpochState = UnattachedState | VotedState | ProspectiveState | CandidateState | FollowerState | LeaderState | ResignedState;

/** Told after every move, with the state left and the state entered. */
export type TransitionHook = (from: AnyEpochState, to: AnyEpochState) => void;

export class QuorumState {
  readonly localId: ReplicaId;
  /** Names this replica in invariant messages. */
  private readonly subject: string;
  readonly isVoter: boolean;
  private current: AnyEpochState;
  private readonly file: QuorumStateFile;

  constructor(
    private readonly runtime: Runtime,
    private readonly config: RaftConfig,
    dir: string,
    onDiskError: (error: DiskError) => void,
    private readonly onTransition: TransitionHook,
  ) {
    this.localId = config.nodeId;
    this.subject = `raft-replica-${config.nodeId}`;
    this.isVoter = config.voters.has(config.nodeId);
    this.file = new QuorumStateFile(runtime.disk, dir, config.voters.ids(), onDiskError);
    this.current = new UnattachedState(0, Infinity);
  }

  get state(): AnyEpochState {
    return this.current;
  }

  get epoch(): number {
    return this.current.epoch;
  }

  get role(): RaftRole {
    return this.current.role;
  }

  /** Chooses the state to start in from quorum-state and the log's latest epoch. */
  initialize(logLastEpoch: number): void {
    const stored = this.file.read() ?? NO_ELECTION;
    const election: ElectionState = this.isVoter ? stored : { ...stored, votedId: NO_REPLICA };
    const epoch = election.epoch;
    let state: AnyEpochState;
    if (epoch < logLastEpoch) {
      state = this.unattached(logLastEpoch);
    } else if (this.isVoter && election.leaderId === this.localId) {
      state = new ResignedState(epoch, election.votedId, this.electionDeadlineMs(), this.config.voters.ids().filter((id) => id !== this.localId));
    } else if (election.leaderId !== NO_REPLICA && election.leaderId !== this.localId) {
      state = new FollowerState(epoch, election.leaderId, election.votedId, this.runtime.now() + this.config.fetchTimeoutMs);
    } else if (this.isVoter && election.votedId === this.localId) {
      state = this.prospective(epoch, NO_REPLICA, election.votedId, 0);
    } else if (this.isVoter && election.votedId !== NO_REPLICA) {
      state = new VotedState(epoch, election.votedId, this.electionDeadlineMs());
    } else {
      state = this.unattached(epoch);
    }
    this.current = state;
    this.file.write(this.election(state));
    this.runtime.trace(`raft.start-${state.role}`, { epoch: state.epoch, leaderId: state.leaderId, votedId: state.votedId, fileEpoch: stored.epoch, logEpoch: logLastEpoch });
  }

  /** Runs `done` once every election state written so far is durable. */
  whenDurable(done: (error?: DiskError) => void): void {
    this.file.whenDurable(done);
  }

  randomElectionTimeoutMs(): number {
    const timeoutMs = this.config.electionTimeoutMs;
    return timeoutMs + Math.floor(this.runtime.random() * timeoutMs);
  }

  /** A random pause after `failedRounds` lost rounds: exponential from retry.backoff, capped by election.backoff.max. */
  electionBackoffMs(failedRounds: number): number {
    const boundMs = Math.min(this.config.electionBackoffMaxMs, Math.max(1, this.config.retryBackoffMs) * 2 ** Math.min(failedRounds, 30));
    return Math.floor(this.runtime.random() * boundMs);
  }

  // -------------------------------------------------------------------------------------------------------
  // Moves

  /** A newer epoch without a known leader (observers may also stay in their epoch, having lost the leader). */
  transitionToUnattached(epoch: number): UnattachedState {
    const from = this.current;
    invariantWith(epoch > from.epoch || (epoch === from.epoch && !this.isVoter), 'raft-state-transition', this.subject,
      () => `replica ${this.localId}: unattached at epoch ${epoch} from ${from.role} at epoch ${from.epoch}`);
    return this.enter(this.unattached(epoch));
  }

  /** Grants the vote of this epoch to `candidateId`. */
  transitionToVoted(candidateId: ReplicaId): VotedState {
    const from = this.current;
    invariantWith(this.isVoter && (from.role === 'unattached' || from.role === 'prospective') && from.votedId === NO_REPLICA && from.leaderId === NO_REPLICA, 'raft-state-transition', this.subject,
      () => `replica ${this.localId}: cannot vote for ${candidateId} in epoch ${from.epoch} as ${from.role} (voted ${from.votedId}, leader ${from.leaderId})`);
    return this.enter(new VotedState(from.epoch, candidateId, this.electionDeadlineMs()));
  }

  /** A new pre-vote round in the current epoch, keeping its leader (if any, not itself) and vote. */
  transitionToProspective(failedRounds = 0): ProspectiveState {
    const from = this.current;
    invariantWith(this.isVoter && from.role !== 'leader', 'raft-state-transition', this.subject, () => `replica ${this.localId}: cannot prospect as ${from.role}${this.isVoter ? '' : ' (an observer)'}`);
    const retainedLeader = from.leaderId === this.localId ? NO_REPLICA : from.leaderId;
    return this.enter(this.prospective(from.epoch, retainedLeader, from.votedId, failedRounds));
  }

  /** The pre-vote was won: bump the epoch and vote for itself (requests wait for durability). */
  transitionToCandidate(): CandidateState {
    const from = this.current;
    invariantWith(from.role === 'prospective', 'raft-state-transition', this.subject, () => `replica ${this.localId}: candidacy from ${from.role}, not prospective`);
    const tally = new VoteTally(this.config.voters, this.localId);
    return this.enter(new CandidateState(from.epoch + 1, this.localId, this.electionDeadlineMs(), tally, from.failedRounds));
  }

  transitionToLeader(epochStartOffset: number): LeaderState {
    const from = this.current;
    invariantWith(from.role === 'candidate' && from.durable && from.tally.isWon(), 'raft-state-transition', this.subject,
      () => `replica ${this.localId}: leadership of epoch ${from.epoch} from ${from.role} without a won, durable candidacy`);
    const checkQuorumTimeoutMs = Math.floor(this.config.fetchTimeoutMs * 1.5);
    const grantingVoters = from.role === 'candidate' ? from.tally.grantingVoters() : [];
    return this.enter(new LeaderState(from.epoch, this.localId, epochStartOffset, this.config.voters, checkQuorumTimeoutMs,
      this.runtime.now(), grantingVoters, from.votedId));
  }

  transitionToFollower(epoch: number, leaderId: ReplicaId): FollowerState {
    const from = this.current;
    invariantWith(leaderId !== this.localId && leaderId !== NO_REPLICA, 'raft-state-transition', this.subject, () => `replica ${this.localId}: cannot follow ${leaderId}`);
    invariantWith(epoch > from.epoch || (epoch === from.epoch && from.role !== 'leader' && from.role !== 'resigned' && (from.leaderId === NO_REPLICA || from.leaderId === leaderId)), 'raft-state-transition', this.subject,
      () => `replica ${this.localId}: two leaders in epoch ${epoch}? told of ${leaderId} while ${from.role} with leader ${from.leaderId} in epoch ${from.epoch}`);
    const votedId = epoch === from.epoch ? from.votedId : NO_REPLICA;
    return this.enter(new FollowerState(epoch, leaderId, votedId, this.runtime.now() + this.config.fetchTimeoutMs));
  }

  transitionToResigned(preferredSuccessors: readonly ReplicaId[]): ResignedState {
    const from = this.current;
    invariantWith(from.role === 'leader', 'raft-state-transition', this.subject, () => `replica ${this.localId}: resign as ${from.role}`);
    return this.enter(new ResignedState(from.epoch, from.votedId, this.electionDeadlineMs(), preferredSuccessors));
  }

  // -------------------------------------------------------------------------------------------------------

  private enter<S extends AnyEpochState>(state: S): S {
    const from = this.current;
    this.current = state;
    this.file.write(this.election(state));
    this.runtime.trace(`raft.become-${state.role}`, { epoch: state.epoch, leaderId: state.leaderId, votedId: state.votedId, from: from.role, fromEpoch: from.epoch });
    this.onTransition(from, state);
    return state;
  }

  /** What quorum-state records: a resigned leader stays the epoch's leader on disk, so it never leads it again. */
  private election(state: AnyEpochState): ElectionState {
    const leaderId = state.role === 'resigned' ? this.localId : state.leaderId;
    return { epoch: state.epoch, leaderId, votedId: state.votedId };
  }

  private unattached(epoch: number): UnattachedState {
    return new UnattachedState(epoch, this.isVoter ? this.electionDeadlineMs() : Infinity);
  }

  private prospective(epoch: number, leaderId: ReplicaId, votedId: ReplicaId, failedRounds: number): ProspectiveState {
    return new ProspectiveState(epoch, leaderId, votedId, this.electionDeadlineMs(), new VoteTally(this.config.voters, this.localId), failedRounds);
  }

  /** A lone voter has no one to wait for: it stands at once (Kafka's isOnlyVoter). */
  private electionDeadlineMs(): number {
    if (this.isVoter && this.config.voters.size === 1) return this.runtime.now();
    return this.runtime.now() + this.randomElectionTimeoutMs();
  }
}

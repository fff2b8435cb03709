// A KRaft-style Raft replica of the metadata log (Kafka's KafkaRaftClient), over the engine's Runtime.
//
//   const raft = new KafkaRaftClient<MetadataRecord>(runtime, parseRaftConfig({
//     'node.id': 1, 'controller.quorum.voters': '1@controller-1:9093,2@controller-2:9093,3@controller-3:9093',
//   }));
//   raft.register(listener);                     // handleCommit / handleLeaderChange
//   onMessage: (from, m) => raft.handleMessage(from, m)
//
// Event-driven in Kafka's poll style: every entry point (a message, a timer, a completed fsync, an append)
// changes what it must, then `poll` asks the current role state what is due — a timeout passed, a request to
// (re)send, a held fetch to answer, committed batches to deliver — and arms one timer for the next deadline.
// Role states and their moves live in QuorumState; requests and their answers are handled in raft-handlers.ts.
//
// Durability rules (what makes committed records survive power loss):
// - a vote is answered, and a candidacy asks for votes, only once quorum-state is fsynced;
// - a leader counts its own log in the majority only up to its fsynced end;
// - a follower reports an offset (its next fetch) only once its log is fsynced up to it; at start it fsyncs
//   whatever a crash left in the page cache before its first fetch.
// Any disk error stops the replica (Kafka's raft client halts the process): it answers nothing more.

import { DiskError } from '../runtime.ts';
import type { Message, NodeId, Runtime, TimerId } from '../runtime.ts';
import { partitionDirName, joinPath } from '../log/file-names.ts';
import { encodeBatch } from '../records/batch.ts';
import { CommitListeners, UnreadableCommittedBatch } from './commit-listeners.ts';
import { encodeLeaderChangeBatch } from './control-records.ts';
import type { RaftRole } from './epoch-state.ts';
import { NO_REPLICA } from './epoch-state.ts';
import { FetchPurgatory } from './fetch-purgatory.ts';
import { METADATA_PARTITION, METADATA_TOPIC } from './messages.ts';
import { QuorumState } from './quorum-state.ts';
import type { AnyEpochState } from './quorum-state.ts';
import type { RaftConfig } from './raft-config.ts';
import { NotLeaderError } from './raft-client.ts';
import type { LeaderAndEpoch, RaftClient, RaftListener, ReplicaId } from './raft-client.ts';
import { invariantWith } from '../invariants.ts';
import { RaftHandlers } from './raft-handlers.ts';
import { jsonSerde } from './record-serde.ts';
import type { RecordSerde } from './record-serde.ts';
import { ReplicatedLog } from './replicated-log.ts';
import { RequestManager } from './request-manager.ts';
import { RaftPoller } from './raft-poller.ts';
import type { RaftContext } from './raft-context.ts';

const MAX_POLL_ROUNDS = 1000;

export class KafkaRaftClient<T> implements RaftClient<T>, RaftContext {
  readonly replicaId: ReplicaId;
  /** Names this replica in invariant messages. */
  private readonly subject: string;
  readonly isVoter: boolean;
  readonly quorum: QuorumState;
  readonly log: ReplicatedLog;
  readonly requests: RequestManager;
  readonly purgatory = new FetchPurgatory();
  private readonly listeners: CommitListeners<T>;
  private readonly handlers: RaftHandlers;
  private readonly poller: RaftPoller;
  private hw = 0;
  private stopped = false;
  private failureValue: DiskError | undefined;
  private depth = 0;
  private repoll = false;
  private timer: TimerId | undefined;
  private timerAtMs = Infinity;

  constructor(
    readonly runtime: Runtime,
    readonly config: RaftConfig,
    private readonly serde: RecordSerde<T> = jsonSerde<T>(),
  ) {
    this.replicaId = config.nodeId;
    this.subject = `raft-replica-${config.nodeId}`;
    this.isVoter = config.voters.has(config.nodeId);
    const dir = joinPath(config.metadataLogDir, partitionDirName(METADATA_TOPIC, METADATA_PARTITION));
    // The log first: opening it clears stray `.tmp` files, quorum-state's included.
    this.log = new ReplicatedLog(runtime, dir, config.metadataLogSegmentBytes, () => this.run(() => this.onLogFlushed()), (error) => this.fail(error));
    this.quorum = new QuorumState(runtime, config, dir, (error) => this.fail(error), (from, to) => this.onTransition(from, to));
    this.quorum.initialize(this.log.lastEpoch());
    this.requests = new RequestManager(config.requestTimeoutMs, config.retryBackoffMs);
    this.listeners = new CommitListeners(this.log, serde, this.replicaId);
    this.handlers = new RaftHandlers(this, Math.floor(runtime.random() * 1_000_000));
    this.poller = new RaftPoller(this, this.handlers);
    // What a crash left in the page cache becomes durable before any fetch reports it.
    this.log.flush();
    this.armTimer(runtime.now());
  }

  // -------------------------------------------------------------------------------------------------------
  // RaftClient

  leaderAndEpoch(): LeaderAndEpoch {
    const state = this.quorum.state;
    if (state.role === 'leader') return { leaderId: this.replicaId, epoch: state.epoch };
    if (state.role === 'follower') return { leaderId: state.leaderId, epoch: state.epoch };
    return { leaderId: NO_REPLICA, epoch: state.epoch };
  }

  role(): RaftRole {
    return this.quorum.role;
  }

  isLeader(): boolean {
    return !this.stopped && this.quorum.role === 'leader';
  }

  append(records: readonly T[], epoch?: number): number {
    const state = this.quorum.state;
    if (this.stopped || state.role !== 'leader' || (epoch !== undefined && epoch !== state.epoch)) throw new NotLeaderError(this.leaderAndEpoch());
    if (records.length === 0) throw new RangeError('append needs at least one record');
    const batch = encodeBatch({ timestamp: Math.floor(this.runtime.now()), records: records.map((record) => ({ value: this.serde.serialize(record) })) });
    const info = this.log.appendAsLeader(batch, state.epoch);
    this.run(() => this.log.flush());
    return info.lastOffset;
  }

  highWatermark(): number {
    return this.hw;
  }

  logEndOffset(): number {
    return this.log.endOffset;
  }

  register(listener: RaftListener<T>): void {
    this.listeners.register(listener);
    // Delivered from the next poll, as an event of its own: not from inside the caller's constructor.
    if (!this.stopped) this.armTimer(this.runtime.now());
  }

  handleMessage(from: NodeId, message: Message): void {
    this.run(() => this.handlers.handle(from, message));
  }

  handleConnectionReset(peer: NodeId): void {
    this.run(() => {
      this.requests.onFailure(peer, this.runtime.now());
      this.purgatory.drop(peer);
    });
  }

  shutdown(): void {
    if (this.stopped) return;
    this.run(() => {
      const state = this.quorum.state;
      if (state.role === 'leader') this.quorum.transitionToResigned(state.preferredSuccessors());
    });
    this.runtime.trace('raft.shutdown', { epoch: this.quorum.epoch });
    this.stop();
  }

  /** The disk error that stopped the replica, if one did. */
  failure(): DiskError | undefined {
    return this.failureValue;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  // -------------------------------------------------------------------------------------------------------
  // For the handlers and the poller

  /** Raises the known high watermark (it never goes down). */
  advanceHighWatermark(offset: number): void {
    if (offset > this.hw) this.hw = offset;
  }

  /** A newer (epoch, leader) was heard of: move to it. Returns true if the state changed. */
  maybeTransitionOnLeaderView(leaderId: ReplicaId, epoch: number): boolean {
    const state = this.quorum.state;
    const knownLeader = leaderId !== NO_REPLICA && leaderId !== this.replicaId && this.config.voters.has(leaderId);
    if (epoch > state.epoch) {
      if (knownLeader) this.quorum.transitionToFollower(epoch, leaderId);
      else this.quorum.transitionToUnattached(epoch);
      return true;
    }
    if (epoch === state.epoch && knownLeader && state.leaderId !== leaderId) {
      invariantWith(state.role !== 'leader' && state.role !== 'resigned', 'raft-state-transition', this.subject,
        () => `two leaders in epoch ${epoch}: replica ${this.replicaId} (${state.role}) and replica ${leaderId}`);
      this.quorum.transitionToFollower(epoch, leaderId);
      return true;
    }
    return false;
  }

  /** A candidate won: lead, starting the epoch with a LeaderChange record. */
  becomeLeader(): void {
    const state = this.quorum.state;
    invariantWith(state.role === 'candidate', 'raft-state-transition', this.subject, () => `becomeLeader as ${state.role}`);
    const leader = this.quorum.transitionToLeader(this.log.endOffset);
    const batch = encodeLeaderChangeBatch({
      version: 0,
      leaderId: this.replicaId,
      voters: this.config.voters.ids().map((voterId) => ({ voterId })),
      grantingVoters: leader.grantingVoters.map((voterId) => ({ voterId })),
    }, Math.floor(this.runtime.now()));
    this.log.appendAsLeader(batch, leader.epoch);
    this.runtime.trace('raft.leader-change-appended', { epoch: leader.epoch, offset: leader.epochStartOffset });
    this.log.flush();
  }

  /** Runs `action` as one event: afterwards, poll until nothing more is due. Nested calls just mark a re-poll. */
  run(action: () => void): void {
    if (this.stopped) return;
    if (this.depth > 0) {
      action();
      this.repoll = true;
      return;
    }
    this.depth++;
    try {
      action();
      let rounds = 0;
      do {
        this.repoll = false;
        if (this.stopped) break;
        const wakeMs = this.poller.poll(this.runtime.now());
        if (this.stopped) break;
        this.listeners.deliver(() => this.hw, () => this.stopped);
        const state = this.quorum.state;
        this.listeners.fireLeaderChange(this.leaderAndEpoch(), state.role === 'leader' ? state.epochStartOffset : -1);
        if (!this.repoll) this.armTimer(wakeMs);
        invariantWith(++rounds < MAX_POLL_ROUNDS, 'raft-state-transition', this.subject, () => `replica ${this.replicaId}: poll did not settle in ${MAX_POLL_ROUNDS} rounds (${state.role}, epoch ${state.epoch})`);
      } while (this.repoll);
    } catch (error) {
      // A read of the metadata log failed (writes report through the log's listener first), or gave back
      // something other than what was stored: fatal, as Kafka's raft IO thread's fault handler makes it.
      if (error instanceof UnreadableCommittedBatch) this.failUnreadable(error);
      else if (error instanceof DiskError) this.fail(error);
      else throw error;
    } finally {
      this.depth--;
    }
  }

  // -------------------------------------------------------------------------------------------------------

  private onTransition(from: AnyEpochState, to: AnyEpochState): void {
    this.repoll = true;
    this.requests.resetAll();
    if (from.role === 'leader') this.handlers.failHeldFetches();
    if (to.role === 'candidate') {
      this.quorum.whenDurable((error) => {
        if (error !== undefined) return this.fail(error);
        this.run(() => {
          if (this.quorum.state === to) to.durable = true;
        });
      });
    }
  }

  private onLogFlushed(): void {
    const state = this.quorum.state;
    if (state.role === 'leader' && state.updateLocalEndOffset(this.log.flushedEndOffset)) this.advanceHighWatermark(state.highWatermark);
  }

  private armTimer(atMs: number): void {
    if (this.timer !== undefined && atMs === this.timerAtMs) return;
    if (this.timer !== undefined) this.runtime.cancelTimer(this.timer);
    this.timer = undefined;
    this.timerAtMs = atMs;
    if (atMs === Infinity || this.stopped) return;
    this.timer = this.runtime.setTimer(Math.max(0, atMs - this.runtime.now()), () => {
      this.timer = undefined;
      this.timerAtMs = Infinity;
      this.run(() => {});
    });
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.runtime.cancelTimer(this.timer);
    this.timer = undefined;
    this.purgatory.clear();
  }

  /**
   * A write to the metadata log or quorum-state failed: as in Kafka, where such an error reaches the fatal fault
   * handler, the replica stops and the process halts; a restart recovers from what the disk kept.
   */
  private failUnreadable(error: UnreadableCommittedBatch): void {
    if (this.stopped) return;
    this.runtime.trace('raft.unreadable-committed-batch', { offset: error.offset, detail: error.detail });
    this.stop();
    this.runtime.halt(`metadata log ${this.config.metadataLogDir}: ${error.message}`);
  }

  private fail(error: DiskError): void {
    if (this.stopped) return;
    this.failureValue = error;
    this.runtime.trace('raft.disk-failure', { code: error.code, operation: error.operation, path: error.path });
    this.stop();
    this.runtime.halt(`metadata log directory ${this.config.metadataLogDir} failed: ${error.message}`);
  }
}

// An in-memory stand-in for the metadata quorum, for testing what sits on a RaftClient (the controller, the
// broker lifecycle) without the real Raft module.
//
// One shared log. The test names the leader (`elect`); the leader's appends commit at once unless the test
// holds commits; every client hears of commits and leader changes through its own node's timers (1 ms later),
// so a crashed node hears nothing and a restarted one replays the log from the start. Network partitions do
// not affect it: it models a quorum that always works, so that tests isolate the layer above.

import type { Message, NodeId, Runtime } from '../../engine/runtime.ts';
import { NotLeaderError } from '../../engine/raft/raft-client.ts';
import type { CommittedBatch, LeaderAndEpoch, RaftClient, RaftListener, ReplicaId } from '../../engine/raft/raft-client.ts';
import type { RaftRole } from '../../engine/raft/epoch-state.ts';

const DELIVERY_DELAY_MS = 1;

interface Appended<T> {
  readonly baseOffset: number;
  readonly epoch: number;
  readonly records: readonly T[];
}

export class FakeQuorum<T> {
  private readonly batches: CommittedBatch<T>[] = [];
  private held: Appended<T>[] = [];
  private holding = false;
  private committedEnd = 0;
  private appendEnd = 0;
  private leader: LeaderAndEpoch = { leaderId: -1, epoch: 0 };
  private readonly clients = new Map<ReplicaId, FakeRaftClient<T>>();

  /** A replica for `replicaId` on the node of `runtime`; replaces the one of an earlier incarnation. */
  client(runtime: Runtime, replicaId: ReplicaId, isVoter = true): FakeRaftClient<T> {
    const client = new FakeRaftClient<T>(this, runtime, replicaId, isVoter);
    this.clients.set(replicaId, client);
    return client;
  }

  /** Makes `replicaId` the leader of a new epoch; appends not yet committed are lost. */
  elect(replicaId: ReplicaId): void {
    this.held = [];
    this.appendEnd = this.committedEnd;
    this.leader = { leaderId: replicaId, epoch: this.leader.epoch + 1 };
    this.notifyAll();
  }

  /** No leader (an election in progress). */
  resign(): void {
    this.held = [];
    this.appendEnd = this.committedEnd;
    this.leader = { leaderId: -1, epoch: this.leader.epoch + 1 };
    this.notifyAll();
  }

  /** Appends stay uncommitted until releaseCommits. */
  holdCommits(): void {
    this.holding = true;
  }

  releaseCommits(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const append of held) this.commit(append);
    this.notifyAll();
  }

  leaderAndEpoch(): LeaderAndEpoch {
    return this.leader;
  }

  highWatermark(): number {
    return this.committedEnd;
  }

  logEndOffset(): number {
    return this.appendEnd;
  }

  committedBatches(): readonly CommittedBatch<T>[] {
    return this.batches;
  }

  committedRecords(): T[] {
    return this.batches.flatMap((batch) => batch.records);
  }

  append(records: readonly T[]): number {
    const append = { baseOffset: this.appendEnd, epoch: this.leader.epoch, records: [...records] };
    this.appendEnd += records.length;
    if (this.holding) this.held.push(append);
    else {
      this.commit(append);
      this.notifyAll();
    }
    return this.appendEnd - 1;
  }

  private commit(append: Appended<T>): void {
    this.batches.push({
      baseOffset: append.baseOffset,
      lastOffset: append.baseOffset + append.records.length - 1,
      epoch: append.epoch,
      records: append.records,
    });
    this.committedEnd = append.baseOffset + append.records.length;
  }

  private notifyAll(): void {
    for (const client of this.clients.values()) client.deliverSoon();
  }
}

interface Subscription<T> {
  readonly listener: RaftListener<T>;
  delivered: number;
  leader: LeaderAndEpoch;
}

export class FakeRaftClient<T> implements RaftClient<T> {
  private readonly subscriptions: Subscription<T>[] = [];
  private deliveryScheduled = false;
  private stopped = false;

  constructor(
    private readonly quorum: FakeQuorum<T>,
    private readonly runtime: Runtime,
    readonly replicaId: ReplicaId,
    readonly isVoter: boolean,
  ) {}

  leaderAndEpoch(): LeaderAndEpoch {
    return this.quorum.leaderAndEpoch();
  }

  isLeader(): boolean {
    return !this.stopped && this.quorum.leaderAndEpoch().leaderId === this.replicaId;
  }

  role(): RaftRole {
    if (this.stopped) return 'resigned';
    return this.isLeader() ? 'leader' : this.quorum.leaderAndEpoch().leaderId >= 0 ? 'follower' : 'unattached';
  }

  append(records: readonly T[], epoch?: number): number {
    const leader = this.quorum.leaderAndEpoch();
    if (!this.isLeader() || (epoch !== undefined && epoch !== leader.epoch)) throw new NotLeaderError(leader);
    return this.quorum.append(records);
  }

  highWatermark(): number {
    return this.quorum.highWatermark();
  }

  logEndOffset(): number {
    return this.quorum.logEndOffset();
  }

  handleConnectionReset(_peer: NodeId): void {}

  register(listener: RaftListener<T>): void {
    this.subscriptions.push({ listener, delivered: 0, leader: { leaderId: -1, epoch: -1 } });
    this.deliverSoon();
  }

  handleMessage(_from: NodeId, _message: Message): void {}

  shutdown(): void {
    this.stopped = true;
  }

  deliverSoon(): void {
    if (this.deliveryScheduled || this.stopped) return;
    this.deliveryScheduled = true;
    this.runtime.setTimer(DELIVERY_DELAY_MS, () => {
      this.deliveryScheduled = false;
      this.deliver();
    });
  }

  private deliver(): void {
    if (this.stopped) return;
    const batches = this.quorum.committedBatches();
    const leader = this.quorum.leaderAndEpoch();
    for (const subscription of this.subscriptions) {
      // Like KRaft: a listener hears of its own leadership only after it has replayed what was committed.
      while (subscription.delivered < batches.length) subscription.listener.handleCommit(batches[subscription.delivered++]);
      if (subscription.leader.epoch !== leader.epoch || subscription.leader.leaderId !== leader.leaderId) {
        subscription.leader = leader;
        subscription.listener.handleLeaderChange(leader);
      }
    }
  }
}

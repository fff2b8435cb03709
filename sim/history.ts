// The history of a run: what the clients did and saw, what the nemesis did, how each replica's state moved,
// and — captured after faults heal and the cluster quiesces — every replica's final log.
//
// The harness records while the run goes (HistoryRecorder), then hands the finished History and the
// FinalState to the checkers (sim/checkers). Everything here is plain JSON-able data: record values arrive
// already decoded (the workload makes each value a unique string such as `p1-42`, which is how checkers
// identify a record), so nothing downstream depends on the engine's codecs.
//
// Operation ids are their index in `ops`: a send gets its id when it is invoked, a poll, seek or commit when
// it is recorded. `ops` is therefore in recording order, which is simulated-time order.

import type { NodeId } from '../engine/runtime.ts';

/** Kafka's "no leader epoch" (-1): an observation that does not carry one (e.g. an acknowledgement). */
export const UNKNOWN_LEADER_EPOCH = -1;
/** Kafka's "no offset" (-1): an `acks=0` produce is acknowledged without an offset. */
export const UNKNOWN_OFFSET = -1;
/** A send whose partition the partitioner has not chosen yet. */
export const UNKNOWN_PARTITION = -1;

/** One record as a client or a replica saw it, value decoded. */
export interface ObservedRecord {
  readonly offset: number;
  readonly value: string;
  /** The batch's partitionLeaderEpoch, or UNKNOWN_LEADER_EPOCH. */
  readonly leaderEpoch: number;
}

// ---------------------------------------------------------------------------------------------------------
// Operations

/** How a send ended. `failed` promises the record was never appended to any log; when a client cannot
 *  promise that (a timeout, a reset connection, an error after append, any earlier attempt that may have
 *  landed), the send is `indeterminate`. */
export type SendOutcome =
  | { readonly status: 'acked'; /** UNKNOWN_OFFSET under acks=0. */ readonly offset: number }
  | { readonly status: 'failed'; /** Kafka's error name, e.g. NOT_ENOUGH_REPLICAS. */ readonly error: string }
  | { readonly status: 'indeterminate'; readonly error: string };

export type SendStatus = SendOutcome['status'];

export interface SendOp {
  readonly type: 'send';
  readonly id: number;
  readonly producer: NodeId;
  readonly invokeMs: number;
  /** null while pending; a finished history has none pending. */
  readonly completeMs: number | null;
  readonly topic: string;
  /** As the partitioner chose it; UNKNOWN_PARTITION if it never did. */
  readonly partition: number;
  readonly key: string | null;
  /** Unique across the run. */
  readonly value: string;
  readonly outcome: SendOutcome | null;
}

/** One consumer poll's records from one partition (a poll that spans partitions is one op per partition). */
export interface PollOp {
  readonly type: 'poll';
  readonly id: number;
  readonly consumer: NodeId;
  readonly invokeMs: number;
  readonly completeMs: number;
  readonly topic: string;
  readonly partition: number;
  /** In the order the consumer delivered them. */
  readonly records: readonly ObservedRecord[];
  /** The high watermark the fetch response carried, if the client exposes it. */
  readonly highWatermark: number | null;
}

/** Why a consumer's position moved other than by reading: checkers stop expecting monotonic polls here. */
export type SeekReason = 'assign' | 'seek' | 'reset' | 'rebalance' | 'restart';

/** A consumer's position in a partition was set (or forgotten, when offset is null). */
export interface SeekOp {
  readonly type: 'seek';
  readonly id: number;
  readonly consumer: NodeId;
  readonly timeMs: number;
  readonly topic: string;
  readonly partition: number;
  /** The next offset the consumer will read; null when unknown (e.g. a reset to `latest`, a revocation). */
  readonly offset: number | null;
  readonly reason: SeekReason;
}

/** A consumer group's offset commit. Recorded now; no checker reads it yet. */
export interface CommitOp {
  readonly type: 'commit';
  readonly id: number;
  readonly consumer: NodeId;
  readonly group: string;
  readonly invokeMs: number;
  readonly completeMs: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly status: 'ok' | 'failed' | 'indeterminate';
  readonly error: string | null;
}

export type Operation = SendOp | PollOp | SeekOp | CommitOp;

// ---------------------------------------------------------------------------------------------------------
// Events and samples

export interface FaultStartEvent {
  readonly type: 'fault-start';
  /** Pairs a start with its end. */
  readonly faultId: number;
  readonly timeMs: number;
  /** e.g. `crash`, `partition`, `pause`, `disk-slow`. */
  readonly fault: string;
  readonly targets: readonly NodeId[];
  readonly detail: string | null;
}

export interface FaultEndEvent {
  readonly type: 'fault-end';
  readonly faultId: number;
  readonly timeMs: number;
  readonly fault: string;
  readonly targets: readonly NodeId[];
}

/** Every fault is over: the nemesis healed the cluster. The last one starts the availability clock. */
export interface HealEvent {
  readonly type: 'heal';
  readonly timeMs: number;
}

/** The workload stopped and replication settled; the final state is captured after this. */
export interface QuiescedEvent {
  readonly type: 'quiesced';
  readonly timeMs: number;
}

export type HistoryEvent = FaultStartEvent | FaultEndEvent | HealEvent | QuiescedEvent;

/** One replica's state of one partition at one moment, as the harness sampled it. */
export interface ReplicaSample {
  readonly timeMs: number;
  readonly broker: NodeId;
  /** Which life of the broker (0 at start, +1 per restart): a restart may legitimately reset what it knows. */
  readonly incarnation: number;
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly logEndOffset: number;
  readonly leaderEpoch: number;
  readonly isLeader: boolean;
  /** The ISR as this replica knows it (meaningful on the leader). */
  readonly isr: readonly NodeId[];
}

export interface History {
  readonly ops: readonly Operation[];
  readonly events: readonly HistoryEvent[];
  /** In time order; a sample equal to the previous one of the same replica is not stored. */
  readonly samples: readonly ReplicaSample[];
  /** When the recording ended. */
  readonly endMs: number;
}

// ---------------------------------------------------------------------------------------------------------
// Final state

export interface FinalReplica {
  readonly broker: NodeId;
  /** Every record of the replica's log, in offset order. */
  readonly records: readonly ObservedRecord[];
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly isLeader: boolean;
  readonly leaderEpoch: number;
}

export interface FinalPartition {
  readonly topic: string;
  readonly partition: number;
  /** The live replicas' logs. */
  readonly replicas: readonly FinalReplica[];
  /** The ISR as the final leader knew it; null if no live replica led. */
  readonly isr: readonly NodeId[] | null;
  /** The partition as the controllers' committed metadata has it; null if no controller could tell. */
  readonly metadata?: PartitionMetadata | null;
}

/** A partition's registration in the cluster metadata (Kafka's PartitionRegistration), by node name. */
export interface PartitionMetadata {
  /** The assigned replicas, in assignment order. */
  readonly replicas: readonly NodeId[];
  readonly isr: readonly NodeId[];
  /** null when the partition has no leader (offline). */
  readonly leader: NodeId | null;
  readonly leaderEpoch: number;
}

/**
 * How a broker stood at the end. `running`: its process runs, it is registered, caught up with the metadata
 * log and unfenced (Kafka's RUNNING); `paused`: its process is stopped (SIGSTOP, a long GC); `starting`: up
 * but not yet running (recovering, catching up, fenced); `down`: no process (crashed, halted, lost power).
 */
export type BrokerStanding = 'running' | 'paused' | 'starting' | 'down';

export interface FinalBroker {
  readonly broker: NodeId;
  readonly standing: BrokerStanding;
}

/** Every replica's log after faults healed and the cluster quiesced. */
export interface FinalState {
  readonly partitions: readonly FinalPartition[];
  /** Every broker of the cluster and how it stood at the end; absent when the capture did not record it. */
  readonly brokers?: readonly FinalBroker[];
}

/** `orders-0`: Kafka's name for a topic-partition (its log directory's name). */
export function partitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

// ---------------------------------------------------------------------------------------------------------
// Recorder

export class HistoryError extends Error {
  override readonly name = 'HistoryError';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface SendInvocation {
  readonly producer: NodeId;
  readonly topic: string;
  /** Omit (or UNKNOWN_PARTITION) if the partitioner chooses later; give it at completion then. */
  readonly partition?: number;
  readonly key: string | null;
  readonly value: string;
}

export interface PollRecording {
  readonly consumer: NodeId;
  readonly topic: string;
  readonly partition: number;
  /** When the poll was issued; defaults to now. */
  readonly invokeMs?: number;
  readonly records: readonly ObservedRecord[];
  readonly highWatermark?: number;
}

export interface SeekRecording {
  readonly consumer: NodeId;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
  readonly reason: SeekReason;
}

export interface CommitRecording {
  readonly consumer: NodeId;
  readonly group: string;
  readonly invokeMs: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly status: CommitOp['status'];
  readonly error?: string;
}

export type SampleRecording = Omit<ReplicaSample, 'timeMs'>;

/** What a send still pending when the recording ends is marked with. */
export const PENDING_AT_END = 'PENDING_AT_END';

/**
 * Records a run's history as it happens. Time comes from the clock it is given (the scheduler's `now`), so a
 * call records the present. Values must be unique across sends: that is how checkers tell records apart.
 */
export class HistoryRecorder {
  private readonly ops: Operation[] = [];
  private readonly events: HistoryEvent[] = [];
  private readonly samples: ReplicaSample[] = [];
  private readonly sentValues = new Set<string>();
  private readonly pendingSends = new Map<number, Mutable<SendOp>>();
  private readonly openFaults = new Map<number, FaultStartEvent>();
  private readonly lastSample = new Map<string, ReplicaSample>();
  private nextFaultId = 0;
  private finished: History | null = null;

  constructor(private readonly now: () => number) {}

  /** The recorder's clock: simulated ms. */
  nowMs(): number {
    return this.now();
  }

  /** A producer's send() was called; returns the op id its completion names. */
  invokeSend(send: SendInvocation): number {
    this.assertOpen();
    if (this.sentValues.has(send.value)) {
      const value = JSON.stringify(send.value);
      throw new HistoryError(`value ${value} was sent twice; the workload must make values unique`);
    }
    this.sentValues.add(send.value);
    const op: Mutable<SendOp> = {
      type: 'send',
      id: this.ops.length,
      producer: send.producer,
      invokeMs: this.now(),
      completeMs: null,
      topic: send.topic,
      partition: send.partition ?? UNKNOWN_PARTITION,
      key: send.key,
      value: send.value,
      outcome: null,
    };
    this.ops.push(op);
    this.pendingSends.set(op.id, op);
    return op.id;
  }

  /** The send was acknowledged at `offset` (UNKNOWN_OFFSET under acks=0). */
  ackSend(id: number, offset: number, partition?: number): void {
    this.completeSend(id, { status: 'acked', offset }, partition);
  }

  /** The send definitely did not write its record (see SendOutcome). */
  failSend(id: number, error: string, partition?: number): void {
    this.completeSend(id, { status: 'failed', error }, partition);
  }

  /** The send may or may not have written its record. */
  indeterminateSend(id: number, error: string, partition?: number): void {
    this.completeSend(id, { status: 'indeterminate', error }, partition);
  }

  poll(poll: PollRecording): number {
    this.assertOpen();
    const completeMs = this.now();
    const op: PollOp = {
      type: 'poll',
      id: this.ops.length,
      consumer: poll.consumer,
      invokeMs: poll.invokeMs ?? completeMs,
      completeMs,
      topic: poll.topic,
      partition: poll.partition,
      records: poll.records,
      highWatermark: poll.highWatermark ?? null,
    };
    this.ops.push(op);
    return op.id;
  }

  seek(seek: SeekRecording): number {
    this.assertOpen();
    const op: SeekOp = { type: 'seek', id: this.ops.length, timeMs: this.now(), ...seek };
    this.ops.push(op);
    return op.id;
  }

  commit(commit: CommitRecording): number {
    this.assertOpen();
    const op: CommitOp = {
      type: 'commit',
      id: this.ops.length,
      completeMs: this.now(),
      ...commit,
      error: commit.error ?? null,
    };
    this.ops.push(op);
    return op.id;
  }

  /** A fault began; returns the id that faultEnd takes. */
  faultStart(fault: string, targets: readonly NodeId[], detail?: string): number {
    this.assertOpen();
    const event: FaultStartEvent = {
      type: 'fault-start',
      faultId: this.nextFaultId++,
      timeMs: this.now(),
      fault,
      targets,
      detail: detail ?? null,
    };
    this.events.push(event);
    this.openFaults.set(event.faultId, event);
    return event.faultId;
  }

  faultEnd(faultId: number): void {
    this.assertOpen();
    const start = this.openFaults.get(faultId);
    if (!start) throw new HistoryError(`fault ${faultId} is not open`);
    this.openFaults.delete(faultId);
    this.events.push({ type: 'fault-end', faultId, timeMs: this.now(), fault: start.fault, targets: start.targets });
  }

  heal(): void {
    this.assertOpen();
    this.events.push({ type: 'heal', timeMs: this.now() });
  }

  quiesced(): void {
    this.assertOpen();
    this.events.push({ type: 'quiesced', timeMs: this.now() });
  }

  /** Records a replica's state unless it equals the last sample of that replica (a step series). */
  sample(state: SampleRecording): void {
    this.assertOpen();
    const key = `${state.broker}\u0000${state.topic}\u0000${state.partition}`;
    const last = this.lastSample.get(key);
    if (last && sameState(last, state)) return;
    const sample: ReplicaSample = { timeMs: this.now(), ...state };
    this.samples.push(sample);
    this.lastSample.set(key, sample);
  }

  /** Sends still pending, by op id. */
  pendingSendCount(): number {
    return this.pendingSends.size;
  }

  /** Ends the recording: pending sends become indeterminate (PENDING_AT_END) and open faults end now. */
  finish(): History {
    if (this.finished) return this.finished;
    const endMs = this.now();
    for (const op of this.pendingSends.values()) {
      op.completeMs = endMs;
      op.outcome = { status: 'indeterminate', error: PENDING_AT_END };
    }
    this.pendingSends.clear();
    for (const faultId of [...this.openFaults.keys()]) this.faultEnd(faultId);
    this.finished = { ops: this.ops, events: this.events, samples: this.samples, endMs };
    return this.finished;
  }

  private completeSend(id: number, outcome: SendOutcome, partition: number | undefined): void {
    this.assertOpen();
    const op = this.pendingSends.get(id);
    if (!op) {
      const known = id >= 0 && id < this.ops.length && this.ops[id]!.type === 'send';
      throw new HistoryError(known ? `send ${id} completed twice` : `no send with id ${id}`);
    }
    this.pendingSends.delete(id);
    op.completeMs = this.now();
    op.outcome = outcome;
    if (partition !== undefined) op.partition = partition;
    if (outcome.status === 'acked' && op.partition === UNKNOWN_PARTITION) {
      throw new HistoryError(`send ${id} was acknowledged without a partition`);
    }
  }

  private assertOpen(): void {
    if (this.finished) throw new HistoryError('the history is finished; nothing more can be recorded');
  }
}

function sameState(a: ReplicaSample, b: SampleRecording): boolean {
  if (
    a.incarnation !== b.incarnation ||
    a.highWatermark !== b.highWatermark ||
    a.logEndOffset !== b.logEndOffset ||
    a.leaderEpoch !== b.leaderEpoch ||
    a.isLeader !== b.isLeader ||
    a.isr.length !== b.isr.length
  ) {
    return false;
  }
  for (let i = 0; i < a.isr.length; i++) if (a.isr[i] !== b.isr[i]) return false;
  return true;
}

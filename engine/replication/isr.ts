// A leader's view of its partition's ISR, and the AlterPartition it may have in flight (Kafka's
// PartitionState: CommittedPartitionState / PendingExpandIsr / PendingShrinkIsr).
//
// The leader never changes the ISR by itself: it asks the active controller (AlterPartition, with the
// partition epoch as an optimistic lock and each member's broker epoch) and adopts what the controller
// answers, or what the metadata log later says, whichever is newer by partition epoch. One request at a time:
// while one is in flight no other change is proposed. While an expansion is pending the high watermark
// already waits for the joining replica ("maximal ISR"); while a shrink is pending it still waits for the
// replica being removed, so the high watermark never passes a replica that might still count as in sync.
//
// Error handling as Kafka's: INELIGIBLE_REPLICA and transport failures (no controller, timeout) drop the
// pending change, and a later check proposes again; FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION and
// UNKNOWN_TOPIC_OR_PARTITION mean the controller knows a newer state, which the metadata log will bring: the
// change stays pending (so nothing more is proposed) until it does.

import type { AlterPartitionData, AlterPartitionResult } from '../protocol/alter-partition.ts';
import { ErrorCode } from '../protocol/errors.ts';

/** Sends AlterPartition for one partition to the active controller. `done` must run exactly once. */
export interface AlterPartitionChannel {
  alterPartition(topic: string, data: AlterPartitionData, done: (result: AlterPartitionResult) => void): void;
}

export type IsrChangeKind = 'expand' | 'shrink';

interface PendingChange {
  readonly kind: IsrChangeKind;
  readonly proposedIsr: readonly number[];
  readonly token: number;
  /** The controller refused with a fencing error; waiting for the metadata log. */
  awaitingMetadata: boolean;
}

export interface IsrUpdate {
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
}

const WAIT_FOR_METADATA: ReadonlySet<number> = new Set([
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.INVALID_UPDATE_VERSION,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
]);

export class IsrState {
  private committedIsr: readonly number[];
  private committedPartitionEpoch: number;
  private pending: PendingChange | undefined;
  private nextToken = 1;

  constructor(isr: readonly number[], partitionEpoch: number) {
    this.committedIsr = isr;
    this.committedPartitionEpoch = partitionEpoch;
  }

  /** The ISR the controller has committed. */
  get isr(): readonly number[] {
    return this.committedIsr;
  }

  get partitionEpoch(): number {
    return this.committedPartitionEpoch;
  }

  /** The committed ISR plus a replica whose admission is pending: what the high watermark waits for. */
  get maximalIsr(): readonly number[] {
    const pending = this.pending;
    if (pending === undefined || pending.kind === 'shrink') return this.committedIsr;
    return pending.proposedIsr;
  }

  get inFlight(): IsrChangeKind | undefined {
    return this.pending?.kind;
  }

  /**
   * A registration from the metadata log. Adopted, and any pending change dropped, when its partition epoch
   * is newer than the committed one. Returns true if the ISR or partition epoch changed.
   */
  applyRegistration(update: IsrUpdate): boolean {
    if (update.partitionEpoch <= this.committedPartitionEpoch) return false;
    this.commit(update);
    return true;
  }

  /** Starts an AlterPartition; returns false (sending nothing) if one is already pending. */
  propose(
    kind: IsrChangeKind,
    proposedIsr: readonly number[],
    request: { topic: string; partition: number; leaderEpoch: number; brokerEpochOf: (brokerId: number) => number },
    channel: AlterPartitionChannel,
    onAnswer: (outcome: { readonly applied: boolean; readonly errorCode: number }) => void,
  ): boolean {
    if (this.pending !== undefined) return false;
    const token = this.nextToken++;
    this.pending = { kind, proposedIsr, token, awaitingMetadata: false };
    const data: AlterPartitionData = {
      partitionIndex: request.partition,
      leaderEpoch: request.leaderEpoch,
      newIsrWithEpochs: proposedIsr.map((brokerId) => ({ brokerId, brokerEpoch: request.brokerEpochOf(brokerId) })),
      partitionEpoch: this.committedPartitionEpoch,
    };
    channel.alterPartition(request.topic, data, (result) => {
      const pending = this.pending;
      if (pending === undefined || pending.token !== token) return; // superseded by the metadata log
      if (result.errorCode === ErrorCode.NONE) {
        if (result.leaderEpoch !== request.leaderEpoch) {
          this.pending = undefined;
          return onAnswer({ applied: false, errorCode: ErrorCode.FENCED_LEADER_EPOCH });
        }
        const applied = result.partitionEpoch > this.committedPartitionEpoch;
        if (applied) this.commit({ isr: result.isr, partitionEpoch: result.partitionEpoch });
        else this.pending = undefined;
        return onAnswer({ applied, errorCode: ErrorCode.NONE });
      }
      if (WAIT_FOR_METADATA.has(result.errorCode)) pending.awaitingMetadata = true;
      else this.pending = undefined;
      onAnswer({ applied: false, errorCode: result.errorCode });
    });
    return true;
  }

  /** For traces: the pending change, if any. */
  describePending(): string {
    const pending = this.pending;
    if (pending === undefined) return 'none';
    return `${pending.kind} to [${pending.proposedIsr.join(',')}]${pending.awaitingMetadata ? ' (awaiting metadata)' : ''}`;
  }

  private commit(update: IsrUpdate): void {
    this.committedIsr = update.isr;
    this.committedPartitionEpoch = update.partitionEpoch;
    this.pending = undefined;
  }
}

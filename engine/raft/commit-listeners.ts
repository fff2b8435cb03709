// Delivers committed batches and leader changes to the registered listeners (Kafka's ListenerContext).
//
// Each listener has its own position: it sees every committed data batch once per incarnation, in log order,
// starting at the log start (after a restart, from offset 0 again: listeners rebuild their state). Control
// batches (LeaderChange) advance the position without being delivered.
//
// Leader changes: a listener hears that another replica leads (or that no leader is known) at once; that its
// own replica leads only once it has been given every batch up to the new epoch's LeaderChange record — so a
// state machine that starts acting as the active controller has replayed everything committed before.
//
// A committed batch that cannot be read back as written (its CRC fails, the log finds no batch where one must
// be, or a batch at another offset: baseOffset lies outside the CRC) means the disk returned something other
// than what was stored: UnreadableCommittedBatch, on which the Raft client halts its node, as Kafka's raft IO
// thread hands any such error to its fatal fault handler. (The log cannot tell such a read from a bug; either
// way the node stops rather than apply a metadata log it cannot trust.)

import { readBatches } from '../records/batch.ts';
import type { DecodedBatch } from '../records/batch.ts';
import { CorruptRecordError } from '../records/errors.ts';
import type { LeaderAndEpoch, RaftListener, ReplicaId } from './raft-client.ts';
import type { RecordSerde } from './record-serde.ts';
import type { ReplicatedLog } from './replicated-log.ts';
import { invariantWith } from '../invariants.ts';

const READ_BYTES = 1024 * 1024;

/** A committed batch of the metadata log could not be read back as written. */
export class UnreadableCommittedBatch extends Error {
  override readonly name = 'UnreadableCommittedBatch';
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`the committed metadata batch at offset ${offset} cannot be read back: ${detail}`);
  }
}

interface ListenerContext<T> {
  readonly listener: RaftListener<T>;
  nextOffset: number;
  lastLeader: LeaderAndEpoch | undefined;
}

export class CommitListeners<T> {
  private readonly contexts: ListenerContext<T>[] = [];

  constructor(
    private readonly log: ReplicatedLog,
    private readonly serde: RecordSerde<T>,
    private readonly localId: ReplicaId,
  ) {}

  register(listener: RaftListener<T>): void {
    this.contexts.push({ listener, nextOffset: this.log.startOffset, lastLeader: undefined });
  }

  /** The lowest position of any listener (the log end when there is none). */
  minNextOffset(): number {
    let offset = Infinity;
    for (const context of this.contexts) offset = Math.min(offset, context.nextOffset);
    return offset === Infinity ? this.log.endOffset : offset;
  }

  /** Gives every listener the committed batches below `highWatermark` it has not seen. */
  deliver(highWatermark: () => number, stopped: () => boolean): void {
    for (const context of this.contexts) {
      while (!stopped() && context.nextOffset < highWatermark()) {
        const bytes = this.log.read(context.nextOffset, READ_BYTES, highWatermark());
        if (bytes.length === 0) throw new UnreadableCommittedBatch(context.nextOffset, `no batch found below the high watermark ${highWatermark()}`);
        for (const batch of committedBatches(bytes, context.nextOffset)) {
          if (batch.baseOffset !== context.nextOffset) throw new UnreadableCommittedBatch(context.nextOffset, `the batch read there says it starts at ${batch.baseOffset}`);
          context.nextOffset = batch.lastOffset + 1;
          if (batch.isControl) continue;
          const records = batch.records.map((record) => {
            invariantWith(record.value !== null, 'raft-log-consistency', 'metadata-log', () => `metadata record at offset ${record.offset} has no value`);
            return this.serde.deserialize(record.value);
          });
          context.listener.handleCommit({ baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, epoch: batch.partitionLeaderEpoch, records });
          if (stopped()) return;
        }
      }
    }
  }

  /**
   * Tells each listener of `leader` if it has not heard of it. When this replica leads, only listeners past
   * `epochStartOffset` (the LeaderChange record) are told.
   */
  fireLeaderChange(leader: LeaderAndEpoch, epochStartOffset: number): void {
    for (const context of this.contexts) {
      const last = context.lastLeader;
      if (last !== undefined && last.leaderId === leader.leaderId && last.epoch === leader.epoch) continue;
      if (leader.leaderId === this.localId && context.nextOffset <= epochStartOffset) continue;
      context.lastLeader = leader;
      context.listener.handleLeaderChange(leader);
    }
  }
}

/** The batches in `bytes`, read at `offset`; a CRC or structure failure is an UnreadableCommittedBatch. */
function* committedBatches(bytes: Uint8Array, offset: number): Generator<DecodedBatch, void, undefined> {
  try {
    yield* readBatches(bytes);
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new UnreadableCommittedBatch(offset, error.message);
    throw error;
  }
}

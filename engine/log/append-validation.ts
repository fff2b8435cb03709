// Checking an append before it touches the log, and stamping a leader's offsets into it.
//
// Every batch of the buffer is checked first — structure, CRC, max.message.bytes, and for a follower that
// offsets rise past the log end and that each batch's leader epoch is one the follower can believe — so that
// a bad batch anywhere refuses the whole append with the log unchanged (Kafka's LogValidator does the same).
// What the check learns of each batch goes into reused arrays, so an append allocates one header object per
// batch and nothing per record.
//
// The v2 CRC covers a batch from its attributes to its end, not its baseOffset, batchLength,
// partitionLeaderEpoch or magic. A follower checks what it can of those: offsets as Kafka's follower does
// (a first batch below the log end is UnexpectedAppendOffset, later ones must rise: OffsetsOutOfOrder; a gap
// is accepted, since compaction makes gaps), and, beyond Kafka 4.0, that partitionLeaderEpoch lies in
// [0, the leader epoch the follower fetched under]: a negative epoch is never written by a leader, and one
// above the fetch's epoch is refused by Kafka 4.1 too (KAFKA-18723). Without that check a flipped bit in the
// epoch is stored and replicated silently, and the epoch cache would learn an epoch no leader had.

import { readBatchHeader, setBaseOffset, setPartitionLeaderEpoch, verifyBatchCrc } from '../records/batch-header.ts';
import type { BatchHeader } from '../records/batch-header.ts';
import { CorruptRecordError } from '../records/errors.ts';
import { invariantWith } from '../invariants.ts';
import { LogAppendError } from './log-errors.ts';

export interface AppendOptions {
  /** true for a leader: offsets from the log end, `leaderEpoch` stamped. false for a follower. */
  readonly assignOffsets: boolean;
  /** The leader's epoch; required when assignOffsets. */
  readonly leaderEpoch?: number;
  /** A follower's: the leader epoch it fetched under; a batch stamped with a higher (or a negative) epoch is refused. */
  readonly leaderEpochAtMost?: number;
  readonly nowMs: number;
}

/** The batches of one append, as validation found them; the arrays are reused from append to append. */
export interface AppendedBatches {
  count: number;
  /** Byte position of each batch in the appended buffer. */
  readonly positions: number[];
  readonly sizes: number[];
  /** Offsets as they will be in the log (assigned ones for a leader). */
  readonly baseOffsets: number[];
  readonly lastOffsets: number[];
  readonly maxTimestamps: number[];
  /** partitionLeaderEpoch as the batch carries it (a follower's). */
  readonly leaderEpochs: number[];
}

export interface AppendSummary {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  readonly maxTimestamp: number;
}

/** What validation needs to know of the log. */
export interface AppendTarget {
  readonly dir: string;
  readonly logEndOffset: number;
  readonly latestEpoch: number | undefined;
  readonly maxMessageBytes: number;
}

export function newAppendedBatches(): AppendedBatches {
  return { count: 0, positions: [], sizes: [], baseOffsets: [], lastOffsets: [], maxTimestamps: [], leaderEpochs: [] };
}

/** Checks every batch of `bytes`, filling `appended`; throws LogAppendError, changing nothing, if one fails. */
export function validateAppend(bytes: Uint8Array, options: AppendOptions, appended: AppendedBatches, target: AppendTarget): AppendSummary {
  if (bytes.length === 0) throw new LogAppendError('INVALID_RECORD', target.dir, 0, 'the append holds no batch');
  if (options.assignOffsets) checkLeaderEpoch(options.leaderEpoch, target);
  appended.count = 0;
  let expectedOffset = target.logEndOffset;
  let firstOffset = -1;
  let recordCount = 0;
  let maxTimestamp = -1;
  let position = 0;
  while (position < bytes.length) {
    const header = checkedHeader(bytes, position, target);
    const baseOffset = options.assignOffsets ? expectedOffset : header.baseOffset;
    if (baseOffset < expectedOffset) {
      if (appended.count === 0) {
        throw new LogAppendError('UNEXPECTED_APPEND_OFFSET', target.dir, position, `first offset ${baseOffset} is below the log end offset ${expectedOffset}`);
      }
      throw new LogAppendError('OFFSET_OUT_OF_ORDER', target.dir, position, `batch at offset ${baseOffset} does not follow offset ${expectedOffset - 1}`);
    }
    const epochAtMost = options.leaderEpochAtMost;
    if (epochAtMost !== undefined && (header.partitionLeaderEpoch < 0 || header.partitionLeaderEpoch > epochAtMost)) {
      throw new LogAppendError('CORRUPT_MESSAGE', target.dir, position,
        `partitionLeaderEpoch ${header.partitionLeaderEpoch} of the batch at offset ${baseOffset} is outside [0, ${epochAtMost}] (the field lies outside the CRC)`);
    }
    const i = appended.count++;
    appended.positions[i] = position;
    appended.sizes[i] = header.sizeBytes;
    appended.baseOffsets[i] = baseOffset;
    appended.lastOffsets[i] = baseOffset + header.lastOffsetDelta;
    appended.maxTimestamps[i] = header.maxTimestamp;
    appended.leaderEpochs[i] = header.partitionLeaderEpoch;
    if (firstOffset < 0) firstOffset = baseOffset;
    expectedOffset = appended.lastOffsets[i] + 1;
    recordCount += header.recordCount;
    if (header.maxTimestamp > maxTimestamp) maxTimestamp = header.maxTimestamp;
    position += header.sizeBytes;
  }
  return { firstOffset, lastOffset: expectedOffset - 1, recordCount, maxTimestamp };
}

/** A leader stamps each batch's base offset and its epoch, outside the CRC, in the caller's buffer. */
export function stampOffsets(bytes: Uint8Array, appended: AppendedBatches, leaderEpoch: number): void {
  for (let i = 0; i < appended.count; i++) {
    setBaseOffset(bytes, appended.positions[i], appended.baseOffsets[i]);
    setPartitionLeaderEpoch(bytes, appended.positions[i], leaderEpoch);
  }
}

function checkLeaderEpoch(epoch: number | undefined, target: AppendTarget): void {
  invariantWith(epoch !== undefined && Number.isInteger(epoch) && epoch >= 0, 'log-structure', target.dir, () => `a leader append needs its leaderEpoch, got ${epoch}`);
  if (target.latestEpoch !== undefined && epoch < target.latestEpoch) {
    throw new LogAppendError('FENCED_LEADER_EPOCH', target.dir, 0, `leader epoch ${epoch} is older than the log's latest epoch ${target.latestEpoch}`);
  }
}

function checkedHeader(bytes: Uint8Array, position: number, target: AppendTarget): BatchHeader {
  let header: BatchHeader;
  try {
    header = readBatchHeader(bytes, position);
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new LogAppendError('CORRUPT_MESSAGE', target.dir, position, error.message);
    throw error;
  }
  if (!verifyBatchCrc(bytes, position, header)) {
    throw new LogAppendError('CORRUPT_MESSAGE', target.dir, position, `CRC mismatch (stored 0x${header.crc.toString(16)})`);
  }
  if (header.sizeBytes > target.maxMessageBytes) {
    throw new LogAppendError('MESSAGE_TOO_LARGE', target.dir, position, `batch of ${header.sizeBytes} bytes exceeds max.message.bytes ${target.maxMessageBytes}`);
  }
  if (header.lastOffsetDelta < 0) throw new LogAppendError('CORRUPT_MESSAGE', target.dir, position, `lastOffsetDelta ${header.lastOffsetDelta} is negative`);
  return header;
}

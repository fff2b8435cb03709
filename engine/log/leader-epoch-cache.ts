// The leader epoch cache of a partition (Kafka's LeaderEpochFileCache, KIP-101 / KIP-279).
//
// A list of (epoch, startOffset) with both columns rising: from startOffset on, the batches were written by
// the leader of that epoch, until the next entry's startOffset. A follower asks the leader "where did my last
// epoch end?" (OffsetsForLeaderEpoch) and truncates its log to the answer instead of to its high watermark,
// which is what made leader changes lose no acknowledged writes.
//
// This class is the in-memory cache and its checkpoint text; the log persists it in
// `leader-epoch-checkpoint` (Kafka's format: version 0, a count, then `epoch startOffset` lines) through a
// CheckpointWriter whenever it changes (`onChange`).

import { CheckpointFormatError, formatCheckpoint, parseCheckpoint, parseIntegerField } from './checkpoint-file.ts';
import { invariant, invariantWith } from '../invariants.ts';

export const LEADER_EPOCH_CHECKPOINT_VERSION = 0;
/** OffsetsForLeaderEpoch's "unknown epoch" and "unknown end offset" (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET). */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** The answer to OffsetsForLeaderEpoch: the largest epoch <= the one asked for, and where it ended. */
export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

const UNDEFINED_ANSWER: EpochEndOffset = Object.freeze({ epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });

export class LeaderEpochCache {
  private entries: EpochEntry[];

  constructor(
    entries: readonly EpochEntry[] = [],
    /** Called after every change, to persist the cache. */
    private readonly onChange: () => void = () => {},
    /** Whose cache it is (the partition's log directory), for invariant messages. */
    private readonly subject = 'leader-epoch-cache',
  ) {
    for (let i = 1; i < entries.length; i++) {
      invariantWith(entries[i].epoch > entries[i - 1].epoch && entries[i].startOffset >= entries[i - 1].startOffset, 'epoch-cache-monotonic', subject,
        () => `loaded entries do not rise: ${JSON.stringify(entries)}`);
    }
    this.entries = [...entries];
  }

  /** Every entry, oldest first. */
  epochEntries(): readonly EpochEntry[] {
    return this.entries;
  }

  /** The newest epoch, or undefined when the cache is empty. */
  latestEpoch(): number | undefined {
    return this.entries.length === 0 ? undefined : this.entries[this.entries.length - 1].epoch;
  }

  latestEntry(): EpochEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  earliestEntry(): EpochEntry | undefined {
    return this.entries[0];
  }

  /**
   * Records that `epoch` starts at `startOffset`. Nothing changes if the newest entry already has this epoch
   * at the same or a lower offset. Entries that would break the rising order (an epoch >= this one, or a start
   * offset >= this one) are removed first, as Kafka does: the newest assignment wins.
   */
  assign(epoch: number, startOffset: number): boolean {
    // Kafka refuses a negative epoch or offset here (IllegalArgumentException); callers validate first.
    invariant(Number.isInteger(epoch) && epoch >= 0 && Number.isSafeInteger(startOffset) && startOffset >= 0, 'epoch-cache-monotonic', this.subject, epoch, startOffset);
    const latest = this.latestEntry();
    if (latest !== undefined && latest.epoch === epoch && latest.startOffset <= startOffset) return false;
    while (this.entries.length > 0) {
      const last = this.entries[this.entries.length - 1];
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      this.entries.pop();
    }
    const previous = this.entries[this.entries.length - 1];
    invariant(previous === undefined || (previous.epoch < epoch && previous.startOffset < startOffset), 'epoch-cache-monotonic', this.subject, epoch, startOffset);
    this.entries.push({ epoch, startOffset });
    this.onChange();
    return true;
  }

  /**
   * OffsetsForLeaderEpoch: for the requested epoch, the largest known epoch <= it and the start offset of the
   * first epoch above it (or logEndOffset if the requested epoch is the latest). An epoch above every known
   * one, or UNDEFINED_EPOCH, gives (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET). An epoch below every known one
   * gives (requested epoch, start of the earliest epoch).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH) return UNDEFINED_ANSWER;
    const latest = this.latestEntry();
    if (latest !== undefined && latest.epoch === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    let higher = 0;
    while (higher < this.entries.length && this.entries[higher].epoch <= requestedEpoch) higher++;
    if (higher === this.entries.length) return UNDEFINED_ANSWER;
    const higherStart = this.entries[higher].startOffset;
    if (higher === 0) return { epoch: requestedEpoch, endOffset: higherStart };
    return { epoch: this.entries[higher - 1].epoch, endOffset: higherStart };
  }

  /** The epoch of the entry covering `offset`, or undefined if the offset is below every entry. */
  epochForOffset(offset: number): number | undefined {
    let found: number | undefined;
    for (const entry of this.entries) {
      if (entry.startOffset > offset) break;
      found = entry.epoch;
    }
    return found;
  }

  /** Removes every entry starting at or after `endOffset` (the log was truncated to end there). */
  truncateFromEnd(endOffset: number): void {
    const before = this.entries.length;
    while (this.entries.length > 0 && this.entries[this.entries.length - 1].startOffset >= endOffset) this.entries.pop();
    if (this.entries.length !== before) this.onChange();
  }

  /**
   * The log now starts at `startOffset`: entries wholly before it go, and the entry covering it is moved up
   * to start there.
   */
  truncateFromStart(startOffset: number): void {
    let covering = -1;
    for (let i = 0; i < this.entries.length && this.entries[i].startOffset <= startOffset; i++) covering = i;
    if (covering < 0) return;
    const entry = this.entries[covering];
    if (covering === 0 && entry.startOffset === startOffset) return;
    this.entries = [{ epoch: entry.epoch, startOffset }, ...this.entries.slice(covering + 1)];
    this.onChange();
  }

  /** Removes every entry. */
  clear(): void {
    if (this.entries.length === 0) return;
    this.entries = [];
    this.onChange();
  }

  /** The `leader-epoch-checkpoint` text. */
  toCheckpointText(): string {
    return formatCheckpoint(LEADER_EPOCH_CHECKPOINT_VERSION, this.entries.map((entry) => `${entry.epoch} ${entry.startOffset}`));
  }
}

/** Parses `leader-epoch-checkpoint` text; throws CheckpointFormatError when malformed or not rising. */
export function parseLeaderEpochCheckpoint(text: string, path: string): EpochEntry[] {
  const lines = parseCheckpoint(text, path, LEADER_EPOCH_CHECKPOINT_VERSION, 2);
  const entries = lines.map((fields, i) => ({
    epoch: parseIntegerField(fields[0], path, i + 3),
    startOffset: parseIntegerField(fields[1], path, i + 3),
  }));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].epoch <= entries[i - 1].epoch || entries[i].startOffset < entries[i - 1].startOffset) {
      throw new CheckpointFormatError(path, i + 3, `entry ${entries[i].epoch} ${entries[i].startOffset} does not rise above ${entries[i - 1].epoch} ${entries[i - 1].startOffset}`);
    }
  }
  return entries;
}

// Kafka's names for the files of a log directory.
//
// A partition's log lives in `<logDir>/<topic>-<partition>/`. Each segment is named by its base offset, zero
// padded to 20 digits (the width of Long.MAX_VALUE), so that a directory listing sorts segments in offset
// order: `00000000000000000000.log` with its `.index` and `.timeindex`. A segment on its way out carries a
// further suffix: `.deleted` (waiting for file.delete.delay.ms), `.cleaned` / `.swap` (the log cleaner's
// temporaries). Checkpoint files are written through a `.tmp` sibling and renamed into place.

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const DELETED_FILE_SUFFIX = '.deleted';
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';
export const TEMP_FILE_SUFFIX = '.tmp';

/** Per partition directory: the leader epoch of every offset range (KIP-101). */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
/** Per log directory: up to which offset each partition's log is known to be on durable storage. */
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
/** Per log directory: present only after a clean shutdown; its absence makes the next start recover. */
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

const OFFSET_DIGITS = 20;

export type SegmentFileKind = 'log' | 'index' | 'timeindex';

export interface SegmentFileName {
  readonly baseOffset: number;
  readonly kind: SegmentFileKind;
  /** '' for a live file, or the suffix of a file to be removed. */
  readonly pendingSuffix: '' | typeof DELETED_FILE_SUFFIX | typeof CLEANED_FILE_SUFFIX | typeof SWAP_FILE_SUFFIX;
}

/** `00000000000000000042` for 42. */
export function offsetFileStem(offset: number): string {
  return String(offset).padStart(OFFSET_DIGITS, '0');
}

export function logFileName(baseOffset: number): string {
  return offsetFileStem(baseOffset) + LOG_FILE_SUFFIX;
}

export function indexFileName(baseOffset: number): string {
  return offsetFileStem(baseOffset) + INDEX_FILE_SUFFIX;
}

export function timeIndexFileName(baseOffset: number): string {
  return offsetFileStem(baseOffset) + TIME_INDEX_FILE_SUFFIX;
}

const SEGMENT_FILE_PATTERN = /^(\d{20})\.(log|index|timeindex)(\.deleted|\.cleaned|\.swap)?$/;

/** Parses a segment file name, or returns undefined for any other name. */
export function parseSegmentFileName(name: string): SegmentFileName | undefined {
  const match = SEGMENT_FILE_PATTERN.exec(name);
  if (match === null) return undefined;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return undefined;
  return {
    baseOffset,
    kind: match[2] as SegmentFileKind,
    pendingSuffix: (match[3] ?? '') as SegmentFileName['pendingSuffix'],
  };
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** `orders-3` for topic `orders`, partition 3. */
export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Parses `orders-3` (the topic may itself contain dashes: the partition follows the last one). */
export function parsePartitionDirName(name: string): TopicPartition | undefined {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const digits = name.slice(dash + 1);
  if (!/^\d+$/.test(digits)) return undefined;
  const partition = Number(digits);
  if (!Number.isSafeInteger(partition)) return undefined;
  return { topic: name.slice(0, dash), partition };
}

export function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

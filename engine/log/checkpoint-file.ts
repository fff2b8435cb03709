// Kafka's checkpoint files: small text files rewritten whole, atomically.
//
// Format (Kafka's CheckpointFile): a version line, a line with the number of entries, then one line per
// entry, fields separated by single spaces, every line ending in '\n':
//
//     0
//     2
//     0 0
//     3 1250
//
// A write goes to `<name>.tmp`, which is fsynced, renamed over `<name>`, and the rename made durable by an
// fsync of the new file (our disk commits the directory entry with it) — so a crash leaves either the old or
// the new content, never a torn file. Writes are asynchronous here (fsync reports by callback): a
// CheckpointWriter runs one write at a time and coalesces requests made meanwhile into the next write.

import { DiskError } from '../runtime.ts';
import type { Disk } from '../runtime.ts';
import { TEMP_FILE_SUFFIX } from './file-names.ts';

export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
  constructor(
    readonly path: string,
    readonly lineNumber: number,
    detail: string,
  ) {
    super(`malformed checkpoint file ${path} at line ${lineNumber}: ${detail}`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** The text of a checkpoint file with these entry lines. */
export function formatCheckpoint(version: number, entries: readonly string[]): string {
  let text = `${version}\n${entries.length}\n`;
  for (const entry of entries) text += `${entry}\n`;
  return text;
}

/**
 * The entries of a checkpoint file, each split into `fieldsPerLine` fields. Throws CheckpointFormatError
 * for a wrong version, a count that does not match the lines, or a line with the wrong number of fields.
 */
export function parseCheckpoint(text: string, path: string, expectedVersion: number, fieldsPerLine: number): string[][] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') throw new CheckpointFormatError(path, lines.length, 'the last line does not end with a newline');
  lines.pop();
  if (lines.length < 2) throw new CheckpointFormatError(path, lines.length + 1, 'missing the version or the entry count line');
  if (lines[0] !== String(expectedVersion)) {
    throw new CheckpointFormatError(path, 1, `version is ${JSON.stringify(lines[0])}, expected ${expectedVersion}`);
  }
  if (!/^\d+$/.test(lines[1])) throw new CheckpointFormatError(path, 2, `entry count ${JSON.stringify(lines[1])} is not a number`);
  const count = Number(lines[1]);
  if (lines.length - 2 !== count) {
    throw new CheckpointFormatError(path, 2, `announces ${count} entries, the file holds ${lines.length - 2}`);
  }
  const entries: string[][] = [];
  for (let i = 2; i < lines.length; i++) {
    const fields = lines[i].split(' ');
    if (fields.length !== fieldsPerLine || fields.some((field) => field === '')) {
      throw new CheckpointFormatError(path, i + 1, `expected ${fieldsPerLine} space-separated fields, got ${JSON.stringify(lines[i])}`);
    }
    entries.push(fields);
  }
  return entries;
}

/** Parses a non-negative (or, with allowNegative, any) safe integer field. */
export function parseIntegerField(field: string, path: string, lineNumber: number, allowNegative = false): number {
  const pattern = allowNegative ? /^-?\d+$/ : /^\d+$/;
  const value = Number(field);
  if (!pattern.test(field) || !Number.isSafeInteger(value)) {
    throw new CheckpointFormatError(path, lineNumber, `${JSON.stringify(field)} is not a valid integer`);
  }
  return value;
}

/** The text of the file at `path`, or undefined if there is none. */
export function readCheckpointText(disk: Disk, path: string): string | undefined {
  if (!disk.exists(path)) return undefined;
  return decoder.decode(disk.read(path, 0, disk.size(path)));
}

interface Waiter {
  readonly changeSeq: number;
  readonly done: (error?: DiskError) => void;
}

/**
 * Keeps one checkpoint file up to date with `render()`, one atomic write at a time.
 *
 * markChanged() says the content changed and starts a write (or queues one behind the write in flight).
 * whenDurable(done) calls back once a write that began after every change so far is durable (at once if
 * nothing changed since the last durable write). invalidate() deletes the file on the spot (a metadata change
 * the disk journals before anything done later) and discards the write in flight, for a checkpoint whose old
 * content must not survive a crash once the caller has moved on; the caller then updates its state and calls
 * markChanged() to write the new content.
 */
export class CheckpointWriter {
  private changeSeq = 0;
  private durableSeq = 0;
  private writing = false;
  private generation = 0;
  private waiters: Waiter[] = [];

  constructor(
    private readonly disk: Disk,
    readonly path: string,
    private readonly render: () => string,
    /** Told of a failed write (the caller decides whether the log directory goes offline). */
    private readonly onError: (error: DiskError) => void = () => {},
  ) {}

  get tempPath(): string {
    return this.path + TEMP_FILE_SUFFIX;
  }

  /** True while some change is not yet in a durable write. */
  get dirty(): boolean {
    return this.durableSeq < this.changeSeq;
  }

  markChanged(): void {
    this.changeSeq++;
    if (!this.writing) this.startWrite();
  }

  whenDurable(done: (error?: DiskError) => void): void {
    if (!this.dirty) {
      done();
      return;
    }
    this.waiters.push({ changeSeq: this.changeSeq, done });
    if (!this.writing) this.startWrite();
  }

  invalidate(): void {
    this.generation++;
    if (this.disk.exists(this.path)) this.disk.delete(this.path);
    this.writing = false;
    // No write starts here: the caller changes what render() returns first, then calls markChanged().
    this.changeSeq++;
  }

  private startWrite(): void {
    this.writing = true;
    const generation = this.generation;
    const seq = this.changeSeq;
    try {
      const bytes = encoder.encode(this.render());
      const temp = this.tempPath;
      if (this.disk.exists(temp)) this.disk.truncate(temp, 0);
      else this.disk.create(temp);
      this.disk.write(temp, 0, bytes);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.disk.fsync(this.tempPath, (error) => {
      if (generation !== this.generation) return; // superseded by invalidate(), which started a fresh write
      if (error !== undefined) return this.fail(error);
      try {
        this.disk.rename(this.tempPath, this.path);
      } catch (renameError) {
        return this.fail(renameError);
      }
      this.disk.fsync(this.path, (syncError) => {
        if (generation !== this.generation) return;
        if (syncError !== undefined) return this.fail(syncError);
        this.writeDone(seq);
      });
    });
  }

  private writeDone(seq: number): void {
    this.writing = false;
    if (seq > this.durableSeq) this.durableSeq = seq;
    const ready = this.waiters.filter((waiter) => waiter.changeSeq <= this.durableSeq);
    this.waiters = this.waiters.filter((waiter) => waiter.changeSeq > this.durableSeq);
    if (this.dirty) this.startWrite();
    for (const waiter of ready) waiter.done();
  }

  private fail(error: unknown): void {
    if (!(error instanceof DiskError)) throw error;
    this.writing = false;
    const waiters = this.waiters;
    this.waiters = [];
    this.onError(error);
    for (const waiter of waiters) waiter.done(error);
  }
}

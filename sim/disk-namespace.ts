// The directory tree of a simulated disk, as the process sees it and as it would survive a power loss.
//
// Model (ext4 with a journal): every metadata change (mkdir, create, rename, delete) applies to the visible tree
// at once and is appended to the running journal transaction. A journal commit makes the whole transaction
// durable atomically: the durable tree becomes the visible tree. A power loss brings the visible tree back
// to the durable one. There are no hard links: a file lives at one path, and the tree maps paths to the
// file objects (inodes), so a renamed file keeps its bytes and their durability.
//
// Paths are absolute, `/`-separated, without `.`/`..`, empty components or a trailing slash. Both trees are
// flat maps from path to entry: a lookup on the hot path (append) is one map access.

import { DiskError } from '../engine/runtime.ts';
import type { Inode } from './disk-inode.ts';

export class Directory {
  readonly kind = 'dir';
  readonly children = new Set<string>();
}

export type Entry = Inode | Directory;

/** A path that no Linux process could mean (relative, `..`, double slashes): a bug in the caller. */
export class DiskPathError extends Error {
  override readonly name = 'DiskPathError';
  constructor(readonly operation: string, readonly path: string, reason: string) {
    super(`${operation} ${JSON.stringify(path)}: ${reason}`);
  }
}

type JournalOp =
  | { readonly op: 'mkdir'; readonly path: string }
  | { readonly op: 'create'; readonly path: string; readonly inode: Inode }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly path: string };

const ROOT = '/';

export function assertValidPath(operation: string, path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new DiskPathError(operation, String(path), 'a path must be absolute (start with /)');
  }
  if (path === ROOT) return;
  if (path.endsWith('/')) throw new DiskPathError(operation, path, 'a path must not end with /');
  if (path.includes('//')) throw new DiskPathError(operation, path, 'a path must not contain empty components');
  if (/\/\.\.?(\/|$)/.test(path)) throw new DiskPathError(operation, path, 'a path must not contain . or ..');
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === 0 ? ROOT : path.slice(0, slash);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Moves `from` and every path below it to `to` in `map`, keeping insertion order otherwise. */
function moveSubtree<V>(map: Map<string, V>, from: string, to: string, isDirectory: boolean): void {
  const value = map.get(from) as V;
  map.delete(from);
  map.set(to, value);
  if (!isDirectory) return;
  const prefix = from + '/';
  const moves: [string, V][] = [];
  for (const [path, entry] of map) if (path.startsWith(prefix)) moves.push([path, entry]);
  for (const [path, entry] of moves) {
    map.delete(path);
    map.set(to + path.slice(from.length), entry);
  }
}

export class Namespace {
  private entries = new Map<string, Entry>([[ROOT, new Directory()]]);
  /** The durable tree: path to inode, or null for a directory. */
  private readonly durable = new Map<string, Inode | null>([[ROOT, null]]);
  private journal: JournalOp[] = [];

  get(path: string): Entry | undefined {
    return this.entries.get(path);
  }

  /** Number of metadata changes not yet committed. */
  journalLength(): number {
    return this.journal.length;
  }

  mkdirs(path: string): void {
    assertValidPath('mkdirs', path);
    const existing = this.entries.get(path);
    if (existing !== undefined) {
      if (existing.kind === 'dir') return;
      throw new DiskError('EEXIST', 'mkdirs', path, 'a file exists there');
    }
    let parent = this.entries.get(ROOT) as Directory;
    let at = 0;
    while (at < path.length) {
      const next = path.indexOf('/', at + 1);
      const end = next < 0 ? path.length : next;
      const prefix = path.slice(0, end);
      const entry = this.entries.get(prefix);
      if (entry === undefined) {
        const directory = new Directory();
        this.entries.set(prefix, directory);
        parent.children.add(path.slice(at + 1, end));
        this.journal.push({ op: 'mkdir', path: prefix });
        parent = directory;
      } else if (entry.kind === 'dir') {
        parent = entry;
      } else {
        throw new DiskError('ENOTDIR', 'mkdirs', path, `${prefix} is a file`);
      }
      at = end;
    }
  }

  list(path: string): string[] {
    const entry = this.entries.get(path);
    if (entry === undefined) throw this.missing('list', path);
    if (entry.kind !== 'dir') throw new DiskError('ENOTDIR', 'list', path);
    return [...entry.children].sort();
  }

  create(path: string, inode: Inode): void {
    assertValidPath('create', path);
    if (this.entries.has(path)) throw new DiskError('EEXIST', 'create', path);
    const parent = this.parentDirectory('create', path);
    this.entries.set(path, inode);
    parent.children.add(nameOf(path));
    this.journal.push({ op: 'create', path, inode });
  }

  /** Renames a file or directory, replacing `to`. Returns the file it replaced, if any. */
  rename(from: string, to: string): Inode | undefined {
    assertValidPath('rename', from);
    assertValidPath('rename', to);
    const source = this.entries.get(from);
    if (source === undefined) throw this.missing('rename', from);
    if (from === ROOT) throw new DiskPathError('rename', from, 'the root cannot be renamed');
    if (from === to) return undefined;
    if (to.startsWith(from + '/')) throw new DiskPathError('rename', to, `cannot move ${from} inside itself`);
    const toParent = this.parentDirectory('rename', to);
    const target = this.entries.get(to);
    let replaced: Inode | undefined;
    if (target !== undefined) {
      if (source.kind === 'file' && target.kind === 'dir') throw new DiskError('EISDIR', 'rename', to, 'target is a directory');
      if (source.kind === 'dir' && target.kind === 'file') throw new DiskError('ENOTDIR', 'rename', to, 'target is a file');
      if (target.kind === 'dir' && target.children.size > 0) throw new DiskError('ENOTEMPTY', 'rename', to);
      if (target.kind === 'file') replaced = target;
      this.entries.delete(to);
    }
    (this.entries.get(parentOf(from)) as Directory).children.delete(nameOf(from));
    moveSubtree(this.entries, from, to, source.kind === 'dir');
    toParent.children.add(nameOf(to));
    this.journal.push({ op: 'rename', from, to });
    return replaced;
  }

  /** Deletes a file or an empty directory; returns what was removed. */
  delete(path: string): Entry {
    const entry = this.entries.get(path);
    if (entry === undefined) throw this.missing('delete', path);
    if (path === ROOT) throw new DiskPathError('delete', path, 'the root cannot be deleted');
    if (entry.kind === 'dir' && entry.children.size > 0) throw new DiskError('ENOTEMPTY', 'delete', path);
    this.entries.delete(path);
    (this.entries.get(parentOf(path)) as Directory).children.delete(nameOf(path));
    this.journal.push({ op: 'delete', path });
    return entry;
  }

  /** Journal commit: every metadata change so far becomes durable, atomically. */
  commit(): void {
    const durable = this.durable;
    for (const change of this.journal) {
      switch (change.op) {
        case 'mkdir':
          durable.set(change.path, null);
          break;
        case 'create':
          durable.set(change.path, change.inode);
          break;
        case 'delete':
          durable.delete(change.path);
          break;
        case 'rename': {
          const isDirectory = durable.get(change.from) === null;
          durable.delete(change.to);
          moveSubtree(durable, change.from, change.to, isDirectory);
          break;
        }
      }
    }
    this.journal = [];
  }

  /** Power loss: the uncommitted journal is gone and the visible tree becomes the durable one. */
  revertToDurable(): void {
    this.journal = [];
    const entries = new Map<string, Entry>();
    for (const [path, inode] of this.durable) entries.set(path, inode ?? new Directory());
    for (const path of this.durable.keys()) {
      if (path === ROOT) continue;
      (entries.get(parentOf(path)) as Directory).children.add(nameOf(path));
    }
    this.entries = entries;
  }

  /** The durable entry at `path`: an inode, null for a directory, undefined if none. */
  durableEntry(path: string): Inode | null | undefined {
    return this.durable.get(path);
  }

  /** Durable files, in a deterministic order. */
  *durableFiles(): IterableIterator<[string, Inode]> {
    for (const [path, inode] of this.durable) if (inode !== null) yield [path, inode];
  }

  /** Visible files, in a deterministic order. */
  *files(): IterableIterator<[string, Inode]> {
    for (const [path, entry] of this.entries) if (entry.kind === 'file') yield [path, entry];
  }

  /** Visible paths (directories and files), in a deterministic order. */
  paths(): string[] {
    return [...this.entries.keys()];
  }

  /** Durable paths (directories and files), in a deterministic order. */
  durablePaths(): string[] {
    return [...this.durable.keys()];
  }

  private parentDirectory(operation: string, path: string): Directory {
    const parentPath = parentOf(path);
    const parent = this.entries.get(parentPath);
    if (parent === undefined) throw new DiskError('ENOENT', operation, path, `no directory ${parentPath}`);
    if (parent.kind !== 'dir') throw new DiskError('ENOTDIR', operation, path, `${parentPath} is a file`);
    return parent;
  }

  private missing(operation: string, path: string): Error {
    assertValidPath(operation, path);
    return new DiskError('ENOENT', operation, path);
  }
}

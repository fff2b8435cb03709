// One file of the simulated disk: the bytes a process sees (the page cache) and the bytes that would survive a
// power loss (the durable image), kept in one buffer.
//
// Why one buffer: a log appends megabytes per second and syncs rarely, so the durable image is almost always a
// prefix of what the process sees. The buffer therefore holds the visible bytes [0, size) and, beyond size,
// any durable bytes a truncation hid. Where a change touches bytes that are already durable, the durable
// content of each touched 4 KiB page is saved first (copy-on-write, once per page per durable point). The
// durable image is then: the buffer up to durableSize, with the saved pages laid over it. Appending past the
// durable size costs one copy into the buffer and nothing else.
//
// The buffer is a list of 1 MiB chunks (a small file's single chunk grows by doubling up to 1 MiB): a
// gigabyte segment never gets copied to grow, and a page never straddles two chunks.
//
// Reads are zero-copy: a read within one chunk is a view of the page cache, not a copy. A view must stay what
// it was when read, as a copy would, so a chunk remembers how far into it views were handed out, and a change
// below that mark (an overwrite, or a write after a truncation) first replaces the chunk with a copy that the
// change then lands in: the views keep the old bytes. Appends write past every view and copy nothing. Only a
// read across two chunks (rare: 1 MiB chunks) copies.
//
// The inode knows nothing of paths, time or faults; sim/disk.ts drives it.

export const PAGE_BYTES = 4096;
const EMPTY = new Uint8Array(0);
const MIN_CAPACITY_BYTES = 4096;
const CHUNK_BYTES = 1 << 20;

/** Bytes in fixed 1 MiB chunks; only a lone first chunk may be shorter. */
class ChunkedBytes {
  private chunks: Uint8Array[] = [];
  /** Per chunk: the end (within the chunk) of the furthest view handed out since the chunk was last copied. */
  private viewedEnd: number[] = [];
  capacity = 0;

  /** Grows to hold at least `minCapacity` bytes; `keepBytes` of the old content are kept (the rest is garbage). */
  grow(minCapacity: number, keepBytes: number): void {
    const chunks = this.chunks;
    if (chunks.length <= 1 && minCapacity <= CHUNK_BYTES) {
      let capacity = Math.max(MIN_CAPACITY_BYTES, this.capacity * 2);
      while (capacity < minCapacity) capacity *= 2;
      this.replaceFirst(Math.min(capacity, CHUNK_BYTES), keepBytes);
      return;
    }
    if (chunks.length === 1 && this.capacity < CHUNK_BYTES) this.replaceFirst(CHUNK_BYTES, keepBytes);
    while (chunks.length * CHUNK_BYTES < minCapacity) {
      chunks.push(new Uint8Array(CHUNK_BYTES));
      this.viewedEnd.push(0);
    }
    this.capacity = chunks.length * CHUNK_BYTES;
  }

  set(source: Uint8Array, position: number): void {
    let index = Math.floor(position / CHUNK_BYTES);
    let offset = position - index * CHUNK_BYTES;
    let done = 0;
    while (done < source.length) {
      const chunk = this.writable(index, offset);
      index++;
      const count = Math.min(source.length - done, chunk.length - offset);
      chunk.set(count === source.length ? source : source.subarray(done, done + count), offset);
      done += count;
      offset = 0;
    }
  }

  /** Bytes [start, end) as a view when they lie in one chunk (the chunk then keeps them: see writable), else a copy. */
  view(start: number, end: number): Uint8Array {
    const index = Math.floor(start / CHUNK_BYTES);
    const offset = start - index * CHUNK_BYTES;
    const chunk = this.chunks[index];
    if (offset + (end - start) > chunk.length) return this.slice(start, end);
    const viewEnd = offset + (end - start);
    if (viewEnd > this.viewedEnd[index]) this.viewedEnd[index] = viewEnd;
    return chunk.subarray(offset, viewEnd);
  }

  /** Chunk `index`, to be changed from `offset` on: a copy of it first if a view reaches past `offset`. */
  private writable(index: number, offset: number): Uint8Array {
    const chunk = this.chunks[index];
    if (offset >= this.viewedEnd[index]) return chunk;
    const copy = chunk.slice();
    this.chunks[index] = copy;
    this.viewedEnd[index] = 0;
    return copy;
  }

  slice(start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, end - start));
    let index = Math.floor(start / CHUNK_BYTES);
    let offset = start - index * CHUNK_BYTES;
    let done = 0;
    while (done < out.length) {
      const chunk = this.chunks[index++];
      const count = Math.min(out.length - done, chunk.length - offset);
      out.set(chunk.subarray(offset, offset + count), done);
      done += count;
      offset = 0;
    }
    return out;
  }

  fillZero(start: number, end: number): void {
    let index = Math.floor(start / CHUNK_BYTES);
    let offset = start - index * CHUNK_BYTES;
    let remaining = end - start;
    while (remaining > 0) {
      const chunk = this.writable(index, offset);
      index++;
      const count = Math.min(remaining, chunk.length - offset);
      chunk.fill(0, offset, offset + count);
      remaining -= count;
      offset = 0;
    }
  }

  private replaceFirst(capacity: number, keepBytes: number): void {
    const next = new Uint8Array(capacity);
    if (this.chunks.length > 0) next.set(this.chunks[0].subarray(0, keepBytes));
    this.chunks[0] = next;
    this.viewedEnd[0] = 0; // views of the old chunk keep it; the new one has none
    this.capacity = capacity;
  }
}

/** A flush (fsync or writeback) issued and not yet completed. */
export interface PendingFlush {
  readonly sizeAtIssue: number;
  /** Lowest byte offset changed since the flush was issued. */
  lowestChangeBytes: number;
}

export class Inode {
  readonly kind = 'file';
  /** Capacity >= max(size, durableSize). */
  private readonly buffer = new ChunkedBytes();
  /** Visible length (the page cache view). */
  size = 0;
  /** Length of the durable image. */
  durableSize = 0;
  /** Durable content of pages changed since the last durable point, by page index. */
  private savedPages: Map<number, Uint8Array> | null = null;

  /** True when the visible content may differ from the durable image. */
  dirty = false;
  /** When the file last went from clean to dirty (Linux's inode dirtied_when). */
  dirtiedAtMs = 0;
  /** Lowest byte offset changed since the durable point; every byte below it is durable. */
  dirtyLowBytes = Infinity;
  /** Byte range of the last change (a write, or a truncation); the one that may tear at power loss. */
  lastChangeStart = 0;
  lastChangeEnd = 0;
  /** Bytes changed since the durable point (what dirtyBytes() reports). */
  undurableBytes = 0;
  /** Bytes changed since the last flush was issued (what the next flush must write). */
  unflushedBytes = 0;
  /** Background writeback issued and not yet completed. */
  writebackInFlight = false;
  /** Deleted or replaced: its durable image is frozen and flushes of it change nothing. */
  unlinked = false;
  private pendingFlushes: PendingFlush[] = [];
  /** After a power loss the page cache is empty: one flag per page, 1 once read or written. Null: all cached. */
  cachedPages: Uint8Array | null = null;

  constructor(readonly id: number) {}

  /**
   * `length` bytes at `position` (fewer at the end): a view that keeps these bytes whatever later changes the
   * file (see ChunkedBytes). The caller must not write into it.
   */
  read(position: number, length: number): Uint8Array {
    const end = Math.min(this.size, position + length);
    if (end <= position) return EMPTY;
    return this.buffer.view(position, end);
  }

  /** Writes `bytes` at `position` <= size. Returns true if the file went from clean to dirty. */
  write(position: number, bytes: Uint8Array): boolean {
    const end = position + bytes.length;
    if (position < this.durableSize) this.saveDurablePages(position, end);
    if (end > this.buffer.capacity) this.buffer.grow(end, Math.max(this.size, this.durableSize));
    this.buffer.set(bytes, position);
    if (end > this.size) this.size = end;
    return this.noteChange(position, end, bytes.length);
  }

  /** Cuts to `newSize`, or extends with zeros. Returns true if the file went from clean to dirty. */
  truncate(newSize: number): boolean {
    const oldSize = this.size;
    if (newSize === oldSize) return false;
    if (newSize < oldSize) {
      // The bytes beyond newSize stay in the buffer: durable ones among them are still the durable image.
      this.size = newSize;
      return this.noteChange(newSize, newSize, oldSize - newSize);
    }
    if (oldSize < this.durableSize) this.saveDurablePages(oldSize, newSize);
    if (newSize > this.buffer.capacity) this.buffer.grow(newSize, Math.max(this.size, this.durableSize));
    this.buffer.fillZero(oldSize, newSize);
    this.size = newSize;
    return this.noteChange(oldSize, newSize, newSize - oldSize);
  }

  /** Starts a flush of the current content. */
  beginFlush(): PendingFlush {
    const flush: PendingFlush = { sizeAtIssue: this.size, lowestChangeBytes: Infinity };
    this.pendingFlushes.push(flush);
    return flush;
  }

  /**
   * A flush completed. If the file only grew past the size it had at issue since then (appends), exactly the
   * content at issue becomes durable and the appended bytes stay dirty. After any other change (an overwrite
   * or truncation below that size) the content at completion becomes durable: Linux may have written the
   * newer pages too, and without a snapshot of the content at issue this is the honest choice that remains.
   * Returns true if the file is still dirty.
   */
  completeFlush(flush: PendingFlush): boolean {
    const index = this.pendingFlushes.indexOf(flush);
    if (index >= 0) this.pendingFlushes.splice(index, 1);
    if (this.unlinked || !this.dirty) return false;
    if (flush.lowestChangeBytes === Infinity || flush.lowestChangeBytes < flush.sizeAtIssue) {
      this.markDurable();
      return false;
    }
    // Only appends (or zero-extensions) since the issue: the prefix at issue is the visible content now.
    const upTo = flush.sizeAtIssue;
    this.durableSize = upTo;
    this.savedPages = null;
    this.dirtyLowBytes = upTo;
    this.undurableBytes = this.size - upTo;
    return true;
  }

  /** Forgets flushes in flight (a power loss: they never complete). */
  dropPendingFlushes(): void {
    this.pendingFlushes = [];
  }

  /** The durable image becomes the visible content (a completed fsync or writeback). */
  markDurable(): void {
    this.durableSize = this.size;
    this.savedPages = null;
    this.dirty = false;
    this.dirtyLowBytes = Infinity;
    this.undurableBytes = 0;
  }

  /** A copy of the durable image. */
  durableContent(): Uint8Array {
    const out = this.buffer.slice(0, this.durableSize);
    if (this.savedPages !== null) {
      for (const [page, saved] of this.savedPages) out.set(saved, page * PAGE_BYTES);
    }
    return out;
  }

  /**
   * Power loss: what survives is the visible content below byte `cut` and the durable image from `cut` on.
   * The length is the visible size if the cut lies at or past the end of every change (all survived);
   * otherwise the durable size, or the visible bytes below the cut where they reach further.
   * Afterwards the file is clean, and the surviving content is both visible and durable.
   */
  survivePowerLoss(cut: number, everything: boolean): void {
    if (!this.dirty) return;
    let newSize: number;
    if (everything) {
      newSize = this.size;
    } else {
      const visibleEnd = Math.min(cut, this.size);
      newSize = Math.max(this.durableSize, visibleEnd);
      // From visibleEnd to durableSize the durable image shows through: put the saved pages back there.
      // Unsaved pages in that range hold durable bytes already (nothing changed them since the durable point).
      if (this.savedPages !== null) {
        for (const [page, saved] of this.savedPages) {
          const pageStart = page * PAGE_BYTES;
          const from = Math.max(visibleEnd, pageStart);
          const to = pageStart + saved.length;
          if (from < to) this.buffer.set(saved.subarray(from - pageStart), from);
        }
      }
    }
    this.size = newSize;
    this.markDurable();
  }

  /** Drops changes not yet durable (an unlinked file's dirty pages are discarded, never written). */
  revertToDurable(): void {
    this.survivePowerLoss(0, false);
  }

  /** Marks the pages of [position, end) cached; returns how many bytes were not (a cache miss to read). */
  touchCache(position: number, end: number): number {
    const cached = this.cachedPages;
    if (cached === null || end <= position) return 0;
    let missedBytes = 0;
    const last = Math.min(cached.length - 1, Math.floor((end - 1) / PAGE_BYTES));
    for (let page = Math.floor(position / PAGE_BYTES); page <= last; page++) {
      if (cached[page] === 0) {
        cached[page] = 1;
        missedBytes += PAGE_BYTES;
      }
    }
    return missedBytes;
  }

  /** After a power loss nothing of this file is in the page cache. */
  dropCache(): void {
    this.cachedPages = this.size === 0 ? null : new Uint8Array(Math.ceil(this.size / PAGE_BYTES));
  }

  private noteChange(start: number, end: number, changedBytes: number): boolean {
    if (start < this.dirtyLowBytes) this.dirtyLowBytes = start;
    const flushes = this.pendingFlushes;
    for (let i = 0; i < flushes.length; i++) {
      if (start < flushes[i].lowestChangeBytes) flushes[i].lowestChangeBytes = start;
    }
    this.lastChangeStart = start;
    this.lastChangeEnd = end;
    this.undurableBytes += changedBytes;
    this.unflushedBytes += changedBytes;
    if (this.dirty) return false;
    this.dirty = true;
    return true;
  }

  /** Saves the durable content of the pages of [start, end) below durableSize not saved yet. */
  private saveDurablePages(start: number, end: number): void {
    const limit = Math.min(end, this.durableSize);
    if (limit <= start) return;
    if (this.savedPages === null) this.savedPages = new Map();
    const last = Math.floor((limit - 1) / PAGE_BYTES);
    for (let page = Math.floor(start / PAGE_BYTES); page <= last; page++) {
      if (this.savedPages.has(page)) continue;
      const pageStart = page * PAGE_BYTES;
      this.savedPages.set(page, this.buffer.slice(pageStart, Math.min(pageStart + PAGE_BYTES, this.durableSize)));
    }
  }
}

// Faults injected into a simulated disk: I/O errors, corrupted reads, a full disk, a slow device.
//
// Each injection returns a DiskFault handle whose clear() undoes just that injection; clearAll() undoes all.
// Decisions draw from the disk's own random stream, so the same seed fails the same operations.

import type { RandomStream } from './random.ts';

/** What an injected I/O error can hit: `read` is read and list, `write` is write, append and truncate,
 *  `fsync` fails the fsync's callback with EIO, `metadata` is create, mkdirs, rename and delete. */
export type DiskOperationKind = 'read' | 'write' | 'fsync' | 'metadata';

export const ALL_OPERATION_KINDS: readonly DiskOperationKind[] = ['read', 'write', 'fsync', 'metadata'];

export interface FailIoOptions {
  /** Only paths starting with this prefix fail; every path if absent. */
  readonly paths?: string;
  /** Which kinds of operation fail; all kinds if absent. */
  readonly operations?: readonly DiskOperationKind[];
  /** Chance that a matching operation fails, in [0, 1]; 1 if absent. */
  readonly probability?: number;
}

/** A handle on one injected fault. */
export interface DiskFault {
  /** Undoes this injection (no effect if already cleared). */
  clear(): void;
  readonly active: boolean;
}

export class DiskFaultError extends Error {
  override readonly name = 'DiskFaultError';
}

interface IoFailure {
  readonly prefix: string;
  readonly kinds: ReadonlySet<DiskOperationKind>;
  readonly probability: number;
}

class Handle implements DiskFault {
  active = true;
  constructor(private readonly undo: () => void) {}
  clear(): void {
    if (!this.active) return;
    this.active = false;
    this.undo();
  }
}

function assertProbability(probability: number, what: string): void {
  if (!(probability >= 0 && probability <= 1)) {
    throw new DiskFaultError(`${what}: a probability must be in [0, 1], got ${probability}`);
  }
}

export class DiskFaults {
  private ioFailures: IoFailure[] = [];
  private corruptions: { readonly probability: number }[] = [];
  private slowFactors: { readonly factor: number }[] = [];
  private fullFlag = false;
  private handles: Handle[] = [];
  /** Product of the active slow factors. */
  slowFactor = 1;

  constructor(private readonly random: RandomStream) {}

  failIo(options: FailIoOptions = {}): DiskFault {
    const probability = options.probability ?? 1;
    assertProbability(probability, 'failIo');
    const failure: IoFailure = {
      prefix: options.paths ?? '',
      kinds: new Set(options.operations ?? ALL_OPERATION_KINDS),
      probability,
    };
    this.ioFailures.push(failure);
    return this.handle(() => {
      this.ioFailures = this.ioFailures.filter((f) => f !== failure);
    });
  }

  corruptReads(probability: number): DiskFault {
    assertProbability(probability, 'corruptReads');
    const corruption = { probability };
    this.corruptions.push(corruption);
    return this.handle(() => {
      this.corruptions = this.corruptions.filter((c) => c !== corruption);
    });
  }

  setFull(full: boolean): void {
    this.fullFlag = full;
  }

  get full(): boolean {
    return this.fullFlag;
  }

  slow(factor: number): DiskFault {
    if (!(factor > 0 && Number.isFinite(factor))) {
      throw new DiskFaultError(`slow: a factor must be a finite number > 0, got ${factor}`);
    }
    const slow = { factor };
    this.slowFactors.push(slow);
    this.updateSlowFactor();
    return this.handle(() => {
      this.slowFactors = this.slowFactors.filter((s) => s !== slow);
      this.updateSlowFactor();
    });
  }

  clearAll(): void {
    for (const handle of this.handles) handle.active = false;
    this.handles = [];
    this.ioFailures = [];
    this.corruptions = [];
    this.slowFactors = [];
    this.slowFactor = 1;
    this.fullFlag = false;
  }

  /** True if an injected I/O error hits this operation. */
  failsIo(kind: DiskOperationKind, path: string): boolean {
    const failures = this.ioFailures;
    for (let i = 0; i < failures.length; i++) {
      const failure = failures[i];
      if (!failure.kinds.has(kind) || !path.startsWith(failure.prefix)) continue;
      if (failure.probability >= 1 || this.random.chance(failure.probability)) return true;
    }
    return false;
  }

  /**
   * If an injected corruption hits, a copy of `bytes` with one random bit flipped (the reader gets that; the
   * page cache and the disk keep the bytes as stored); else undefined.
   */
  maybeCorrupt(bytes: Uint8Array): Uint8Array | undefined {
    const corruptions = this.corruptions;
    if (corruptions.length === 0 || bytes.length === 0) return undefined;
    for (let i = 0; i < corruptions.length; i++) {
      const probability = corruptions[i].probability;
      if (probability >= 1 || this.random.chance(probability)) {
        const copy = bytes.slice();
        const index = this.random.int(0, copy.length - 1);
        copy[index] ^= 1 << this.random.int(0, 7);
        return copy;
      }
    }
    return undefined;
  }

  private handle(undo: () => void): DiskFault {
    const handle = new Handle(() => {
      this.handles = this.handles.filter((h) => h !== handle);
      undo();
    });
    this.handles.push(handle);
    return handle;
  }

  private updateSlowFactor(): void {
    let factor = 1;
    for (const slow of this.slowFactors) factor *= slow.factor;
    this.slowFactor = factor;
  }
}

// The time model of a simulated disk: hardware profiles and the operating system's writeback settings.
//
// A profile names a device by what makes a log fast or slow on it: sequential bandwidth, the latency of a
// cache flush (what an fsync waits for), the latency of a read that misses the page cache, and the speed of a
// memory copy into the page cache (what a write() costs when the device is not saturated). Figures are typical
// published or measured values, rounded; they are meant to be plausible, not to describe one product.

export interface DiskProfile {
  readonly name: string;
  /** Sequential write bandwidth of the device. */
  readonly writeBandwidthBytesPerMs: number;
  /** Sequential read bandwidth of the device. */
  readonly readBandwidthBytesPerMs: number;
  /** Fixed cost of an fsync beyond moving its bytes: the journal commit and the device cache flush. */
  readonly fsyncLatencyMs: number;
  /** Latency of a read that misses the page cache. */
  readonly readLatencyMs: number;
  /** Memory copy speed into and out of the page cache. */
  readonly pageCacheBytesPerMs: number;
}

const MB = 1_000_000;
/** Bytes per millisecond from megabytes (10^6 bytes) per second. */
const mbPerSec = (mb: number): number => (mb * MB) / 1000;

export const DISK_PROFILES = {
  /** A data-centre NVMe SSD: ~2 GB/s writes, ~3 GB/s reads; fsync is a journal commit plus a fast flush. */
  'nvme-ssd': {
    name: 'nvme-ssd',
    writeBandwidthBytesPerMs: mbPerSec(2000),
    readBandwidthBytesPerMs: mbPerSec(3000),
    fsyncLatencyMs: 0.25,
    readLatencyMs: 0.08,
    pageCacheBytesPerMs: mbPerSec(8000),
  },
  /** A SATA SSD: the 6 Gb/s link caps it near 500 MB/s; a flush of its volatile cache takes a millisecond or two. */
  'sata-ssd': {
    name: 'sata-ssd',
    writeBandwidthBytesPerMs: mbPerSec(450),
    readBandwidthBytesPerMs: mbPerSec(520),
    fsyncLatencyMs: 1.5,
    readLatencyMs: 0.15,
    pageCacheBytesPerMs: mbPerSec(8000),
  },
  /** An AWS EBS gp3 volume at its baseline: 125 MiB/s, single-digit millisecond network round trips. */
  'cloud-ebs-gp3': {
    name: 'cloud-ebs-gp3',
    writeBandwidthBytesPerMs: (125 * 1024 * 1024) / 1000,
    readBandwidthBytesPerMs: (125 * 1024 * 1024) / 1000,
    fsyncLatencyMs: 2,
    readLatencyMs: 1,
    pageCacheBytesPerMs: mbPerSec(6000),
  },
  /** A 7200 rpm disk: ~150 MB/s sequential; a random access pays a seek and half a rotation (~12 ms). */
  'hdd-7200': {
    name: 'hdd-7200',
    writeBandwidthBytesPerMs: mbPerSec(150),
    readBandwidthBytesPerMs: mbPerSec(160),
    fsyncLatencyMs: 12,
    readLatencyMs: 12,
    pageCacheBytesPerMs: mbPerSec(6000),
  },
} as const satisfies Record<string, DiskProfile>;

export type DiskProfileName = keyof typeof DISK_PROFILES;

export const DEFAULT_DISK_PROFILE: DiskProfileName = 'nvme-ssd';

export class DiskProfileError extends Error {
  override readonly name = 'DiskProfileError';
}

/** The profile named `name`; a clear error naming the valid names otherwise. */
export function diskProfile(name: string): DiskProfile {
  if (Object.hasOwn(DISK_PROFILES, name)) return DISK_PROFILES[name as DiskProfileName];
  throw new DiskProfileError(`unknown disk profile '${name}'; valid profiles: ${Object.keys(DISK_PROFILES).join(', ')}`);
}

/** Checks that every figure of a (possibly hand-made) profile is a positive finite number. */
export function assertValidProfile(profile: DiskProfile): void {
  const figures: (keyof DiskProfile)[] = [
    'writeBandwidthBytesPerMs', 'readBandwidthBytesPerMs', 'fsyncLatencyMs', 'readLatencyMs', 'pageCacheBytesPerMs',
  ];
  for (const key of figures) {
    const value = profile[key];
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      throw new DiskProfileError(`disk profile '${profile.name}': ${key} must be a finite number >= 0, got ${value}`);
    }
  }
  if (profile.writeBandwidthBytesPerMs === 0 || profile.readBandwidthBytesPerMs === 0 || profile.pageCacheBytesPerMs === 0) {
    throw new DiskProfileError(`disk profile '${profile.name}': bandwidths must be > 0`);
  }
}

/** The kernel's writeback settings (Linux names in the comments). */
export interface WritebackSettings {
  /** Dirty data older than this is written back (vm.dirty_expire_centisecs, 3000 = 30 s). */
  readonly dirtyExpireMs: number;
  /** How often the flusher looks for expired dirty data (vm.dirty_writeback_centisecs, 500 = 5 s). */
  readonly dirtyWritebackMs: number;
  /** How often the filesystem journal commits metadata (ext4 `commit=5`). */
  readonly journalCommitMs: number;
  /** Above this many dirty bytes the flusher writes back at once, oldest files first (vm.dirty_background_bytes). */
  readonly dirtyBackgroundBytes: number;
  /** Above this many dirty bytes writers are throttled to the device's speed (vm.dirty_bytes). */
  readonly dirtyLimitBytes: number;
}

const GIB = 1024 * 1024 * 1024;

/** Linux defaults on a 16 GiB machine: background writeback at 10% of memory, throttling at 20%. */
export const DEFAULT_WRITEBACK: WritebackSettings = {
  dirtyExpireMs: 30_000,
  dirtyWritebackMs: 5_000,
  journalCommitMs: 5_000,
  dirtyBackgroundBytes: 1.6 * GIB,
  dirtyLimitBytes: 3.2 * GIB,
};

// The only door between an engine node and the world.
//
// An engine node (broker, controller, client) is a synchronous state machine. It never reads a clock, draws
// randomness, touches a file or a socket, or starts a timer by itself: it asks its Runtime. The simulator
// (sim/) implements this interface deterministically; a later real-network runtime implements it over
// node:net and node:fs. Nothing here may import from sim/.

/** A node's name in the cluster, e.g. `broker-1`, `controller-0`, `producer-2`. */
export type NodeId = string;

/** Opaque handle of a pending timer, for cancelTimer. */
export type TimerId = number;

/** A message between nodes. sizeBytes is what the network charges for it (bandwidth, queueing). */
export interface Message {
  readonly type: string;
  readonly sizeBytes: number;
}

/** Scalar values a trace event may carry; they feed the run's trace hash, so they must be deterministic. */
export type TraceValue = string | number | boolean | null;
export type TraceFields = Readonly<Record<string, TraceValue>>;

/** What a node implements so that the runtime can drive it. */
export interface NodeHandlers {
  /** A message arrived on the connection from `from` (FIFO per connection). */
  onMessage(from: NodeId, message: Message): void;
  /** The connection to `peer` was reset (partition timeout, packet loss, the peer crashed). Messages still in
   *  flight on it are gone; later sends open a new connection. */
  onConnectionReset?(peer: NodeId): void;
}

export interface Runtime {
  readonly nodeId: NodeId;
  /** Simulated milliseconds since the start of the run. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now. Timers die with the node on a crash. */
  setTimer(delayMs: number, callback: () => void): TimerId;
  cancelTimer(id: TimerId): void;
  /** Queues `message` on the connection to `to`. Delivery is FIFO per connection, never guaranteed. */
  send(to: NodeId, message: Message): void;
  /** This node's disk. */
  readonly disk: Disk;
  /** A uniform number in [0, 1) from this node's own seeded stream. */
  random(): number;
  /** A structured trace event; every event feeds the run's trace hash. */
  trace(event: string, fields?: TraceFields): void;
  /**
   * The process exits at once, as Kafka's Exit.halt on a fatal error (its only log directory failed): no
   * clean shutdown, its timers, messages and disk callbacks are dropped; the page cache survives (a process
   * exit, not a power loss). It returns, but nothing the caller does afterwards has any effect: its sends
   * are dropped and its disk refuses every operation (EIO), so the caller should just unwind.
   */
  halt(reason: string): void;
}

// ---------------------------------------------------------------------------------------------------------
// Disk

/** Why a disk operation failed, named as the errno a Linux process would see. */
export type DiskErrorCode = 'ENOENT' | 'EEXIST' | 'EIO' | 'ENOSPC' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY';

/** A failed disk operation. Thrown synchronously, or passed to an fsync callback. */
export class DiskError extends Error {
  override readonly name = 'DiskError';
  constructor(
    readonly code: DiskErrorCode,
    readonly operation: string,
    readonly path: string,
    detail?: string,
  ) {
    super(`${code}: ${operation} ${path}${detail ? ` (${detail})` : ''}`);
  }
}

/**
 * A node's disk, as a log needs it: a tree of directories and byte files.
 *
 * Paths are absolute and `/`-separated (`/kafka-logs/orders-0/00000000000000000000.log`).
 *
 * Writes, truncates and metadata changes are synchronous and land in the page cache: a process crash keeps
 * them, a power loss loses whatever is not yet durable. `fsync` makes a file's bytes durable after a modelled
 * latency and reports through its callback, as a later event. Background writeback also makes dirty pages
 * durable after they reach a configured age. The disk charges each synchronous operation's modelled time to
 * the node (see `busyUntilMs`), so a slow disk slows the node that uses it.
 */
export interface Disk {
  /** True if a file or directory exists at `path`. */
  exists(path: string): boolean;
  /** Creates `path` and any missing parents; no error if it exists as a directory. */
  mkdirs(path: string): void;
  /** Names (not paths) of the entries directly inside directory `path`, sorted. */
  list(path: string): string[];
  /** True if `path` is a directory. */
  isDirectory(path: string): boolean;
  /** Size in bytes of file `path` as the process sees it (page cache included). */
  size(path: string): number;
  /** Creates an empty file; EEXIST if it exists. */
  create(path: string): void;
  /** Reads up to `length` bytes at `position`; fewer at the end of the file. The returned bytes are read-only
   *  to the caller (the simulator hands out a view of its page cache) and stay as read whatever later writes
   *  do to the file. An injected corruption may flip bits in what is returned (never in what is stored). */
  read(path: string, position: number, length: number): Uint8Array;
  /** Writes `bytes` at `position` (which may be at most the current size). */
  write(path: string, position: number, bytes: Uint8Array): void;
  /** Appends `bytes` at the end of the file and returns the position they were written at. */
  append(path: string, bytes: Uint8Array): number;
  /** Cuts the file to `size` bytes (or extends it with zeros). */
  truncate(path: string, size: number): void;
  /** Atomically renames a file, replacing `to` if it exists. */
  rename(from: string, to: string): void;
  /** Deletes a file, or an empty directory. */
  delete(path: string): void;
  /** Makes the file's bytes (and the directory entries leading to it) durable; `done` runs as a later event,
   *  with a DiskError if the device failed. */
  fsync(path: string, done: (error?: DiskError) => void): void;
  /** Simulated time until which the device is busy with work already issued (writeback, fsyncs, reads). */
  busyUntilMs(): number;
}

// One life of a simulated node: the Runtime its state machine sees, from a start (or restart) to its death.
//
// An incarnation owns its timers and its disk callbacks: when it dies (crash, power loss, halt) nothing of it
// runs again. It may also be paused (SIGSTOP, a long GC): then nothing of it runs — no timer, no message, no
// connection reset, no disk completion — but all of these queue, in the order they happened, and run in that
// order when it resumes, before anything that arrives later. The network sees a paused node as up (its kernel
// still acknowledges TCP segments), so messages to it are accepted and wait rather than being refused.
//
// A halt (Runtime.halt, Kafka's Exit.halt) kills the incarnation in the middle of its own event. Whatever the
// node's code does after the call, until it unwinds, has no effect: sends are dropped, timers are not armed,
// and the disk refuses every operation with EIO, so a dead process writes nothing. An error that escapes the
// node's code after it halted is part of the death, not a bug: it is swallowed at the event boundary.
//
// The event boundary is also where an engine InvariantViolation learns where it happened: it leaves as a
// BrokenInvariant naming this node, the simulated time and the event (a timer, a message and its sender, a
// connection reset, a disk completion, the start), which ends the run as an `invariant` anomaly. The event is
// described only then: the hot path passes what it has (a kind, the peer, the message) and builds nothing.

import { InvariantViolation } from '../engine/invariants.ts';
import { DiskError } from '../engine/runtime.ts';
import type { Disk, Message, NodeHandlers, NodeId, Runtime, TimerId, TraceFields } from '../engine/runtime.ts';
import { BrokenInvariant, describeEvent, type NodeEvent } from './broken-invariant.ts';
import type { NetworkEndpoint, SimNetwork } from './network.ts';
import type { RandomStream } from './random.ts';
import type { EventId, Scheduler } from './scheduler.ts';
import type { Trace } from './trace.ts';

/** What an incarnation needs of the simulation that hosts it. */
export interface IncarnationHost {
  readonly scheduler: Scheduler;
  readonly network: SimNetwork;
  readonly trace: Trace;
  /** Ends `incarnation` as a process exit on its own initiative (see Runtime.halt). */
  halt(incarnation: Incarnation, reason: string): void;
}

/** The TimerId handed out by a dead incarnation: cancelling it does nothing. */
const DEAD_TIMER: TimerId = -1;
const NO_EVENT = -1;

export class Incarnation implements Runtime, NetworkEndpoint {
  readonly timers = new Set<TimerId>();
  handlers: NodeHandlers | undefined;
  alive = true;
  /** Why the process halted, once it has. */
  haltReason: string | undefined;
  readonly disk: Disk;
  private pausedFlag = false;
  /** What happened while paused (and, after a resume, what has not run yet), oldest first. */
  private backlog: (() => void)[] = [];
  private drainEvent: EventId = NO_EVENT;
  private readonly drainNow = (): void => this.drain();

  constructor(
    private readonly host: IncarnationHost,
    readonly nodeId: NodeId,
    readonly number: number,
    deviceDisk: Disk,
    private readonly randomStream: RandomStream,
  ) {
    this.disk = new ProcessDisk(deviceDisk, this);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Runtime

  now(): number {
    return this.host.scheduler.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerId {
    if (!this.alive) return DEAD_TIMER;
    const id: TimerId = this.host.scheduler.after(delayMs, () => {
      if (!this.alive) return;
      if (this.held()) {
        // Stays in `timers` until it runs, so that the node can still cancel it while it waits.
        this.backlog.push(() => {
          if (this.timers.delete(id)) this.invoke(callback, 'timer');
        });
        return;
      }
      this.timers.delete(id);
      this.invoke(callback, 'timer');
    });
    this.timers.add(id);
    return id;
  }

  cancelTimer(id: TimerId): void {
    if (this.timers.delete(id)) this.host.scheduler.cancel(id);
  }

  send(to: NodeId, message: Message): void {
    if (this.alive) this.host.network.send(this.nodeId, to, message);
  }

  random(): number {
    return this.randomStream.next();
  }

  trace(event: string, fields?: TraceFields): void {
    this.host.trace.record(this.host.scheduler.now(), this.nodeId, event, fields);
  }

  halt(reason: string): void {
    if (this.alive) this.host.halt(this, reason);
  }

  // ---------------------------------------------------------------------------------------------------------
  // NetworkEndpoint

  deliver(from: NodeId, message: Message): void {
    if (!this.alive) return;
    if (this.held()) {
      this.backlog.push(() => this.deliverNow(from, message));
      return;
    }
    this.deliverNow(from, message);
  }

  connectionReset(peer: NodeId): void {
    if (!this.alive) return;
    if (this.held()) {
      this.backlog.push(() => this.connectionResetNow(peer));
      return;
    }
    this.connectionResetNow(peer);
  }

  private deliverNow(from: NodeId, message: Message): void {
    try {
      this.handlers?.onMessage(from, message);
    } catch (error) {
      this.rethrowUnlessHalted(error, 'message', from, message);
    }
  }

  private connectionResetNow(peer: NodeId): void {
    try {
      this.handlers?.onConnectionReset?.(peer);
    } catch (error) {
      this.rethrowUnlessHalted(error, 'connection-reset', peer);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Life and pauses

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Events that wait for this process to run them. */
  queuedEvents(): number {
    return this.backlog.length;
  }

  pause(): void {
    this.pausedFlag = true;
  }

  /** Lets the process run again: what queued up runs first, in order, as one event at the current time. */
  resume(): void {
    this.pausedFlag = false;
    if (this.backlog.length > 0 && this.drainEvent === NO_EVENT) this.drainEvent = this.host.scheduler.after(0, this.drainNow);
  }

  /** A completed fsync: its callback runs now, or after the pause. */
  diskDone(done: (error?: DiskError) => void, error: DiskError | undefined): void {
    if (!this.alive) return;
    if (this.held()) {
      this.backlog.push(() => this.invoke(() => done(error), 'disk-completion'));
      return;
    }
    this.invoke(() => done(error), 'disk-completion');
  }

  /**
   * Builds the node's state machine in this incarnation (its start, which recovers from disk); a broken
   * invariant leaves as a BrokenInvariant, any other error as it is.
   */
  build(factory: (runtime: Runtime) => NodeHandlers): NodeHandlers {
    try {
      return factory(this);
    } catch (error) {
      if (error instanceof InvariantViolation) throw this.broken(error, 'start');
      throw error;
    }
  }

  /** Ends this life: timers are cancelled, nothing of it runs again. */
  kill(): void {
    this.alive = false;
    for (const id of this.timers) this.host.scheduler.cancel(id);
    this.timers.clear();
    this.backlog = [];
    if (this.drainEvent !== NO_EVENT) this.host.scheduler.cancel(this.drainEvent);
    this.drainEvent = NO_EVENT;
  }

  /** Runs one piece of this node's work; an error after a halt is part of the death (see the file head). */
  private invoke(work: () => void, event: NodeEvent): void {
    try {
      work();
    } catch (error) {
      this.rethrowUnlessHalted(error, event);
    }
  }

  /** True while new events must queue: paused, or earlier ones still wait to run. */
  private held(): boolean {
    return this.pausedFlag || this.backlog.length > 0;
  }

  private drain(): void {
    this.drainEvent = NO_EVENT;
    const backlog = this.backlog;
    let ran = 0;
    // Events that arrive while these run are appended and run in this same loop, in order.
    // Each queued event catches its own errors (and names itself if an invariant broke).
    while (ran < backlog.length && this.alive && !this.pausedFlag) backlog[ran++]!();
    if (this.alive) backlog.splice(0, ran);
  }

  private rethrowUnlessHalted(error: unknown, event: NodeEvent, peer?: NodeId, message?: Message): void {
    if (this.haltReason !== undefined) return;
    if (error instanceof InvariantViolation) throw this.broken(error, event, peer, message);
    throw error;
  }

  private broken(violation: InvariantViolation, event: NodeEvent, peer?: NodeId, message?: Message): BrokenInvariant {
    return new BrokenInvariant(violation, this.nodeId, this.number, this.host.scheduler.now(), describeEvent(event, peer, message));
  }
}

/**
 * The node's disk as its process sees it: the device, except that fsync callbacks obey the process's pauses
 * and a halted process can no longer touch it.
 */
class ProcessDisk implements Disk {
  constructor(
    private readonly device: Disk,
    private readonly owner: Incarnation,
  ) {}

  exists(path: string): boolean {
    this.check('exists', path);
    return this.device.exists(path);
  }

  mkdirs(path: string): void {
    this.check('mkdirs', path);
    this.device.mkdirs(path);
  }

  list(path: string): string[] {
    this.check('list', path);
    return this.device.list(path);
  }

  isDirectory(path: string): boolean {
    this.check('isDirectory', path);
    return this.device.isDirectory(path);
  }

  size(path: string): number {
    this.check('size', path);
    return this.device.size(path);
  }

  create(path: string): void {
    this.check('create', path);
    this.device.create(path);
  }

  read(path: string, position: number, length: number): Uint8Array {
    this.check('read', path);
    return this.device.read(path, position, length);
  }

  write(path: string, position: number, bytes: Uint8Array): void {
    this.check('write', path);
    this.device.write(path, position, bytes);
  }

  append(path: string, bytes: Uint8Array): number {
    this.check('append', path);
    return this.device.append(path, bytes);
  }

  truncate(path: string, size: number): void {
    this.check('truncate', path);
    this.device.truncate(path, size);
  }

  rename(from: string, to: string): void {
    this.check('rename', from);
    this.device.rename(from, to);
  }

  delete(path: string): void {
    this.check('delete', path);
    this.device.delete(path);
  }

  fsync(path: string, done: (error?: DiskError) => void): void {
    this.check('fsync', path);
    const owner = this.owner;
    this.device.fsync(path, (error) => owner.diskDone(done, error));
  }

  busyUntilMs(): number {
    return this.device.busyUntilMs();
  }

  private check(operation: string, path: string): void {
    if (this.owner.haltReason !== undefined) throw new DiskError('EIO', operation, path, `${this.owner.nodeId} has exited`);
  }
}

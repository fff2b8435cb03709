// Broker sessions as the active controller tracks them (Kafka's BrokerHeartbeatManager). This state lives in
// the active controller's memory only: a new active controller starts every registered broker with a fresh
// session, as Kafka's does, so a failover never fences a broker that kept heartbeating.
//
// A broker's control state comes from the image (fenced, inControlledShutdown); what is tracked here is when it
// was last heard of, the metadata offset it reported, and the offset its controlled shutdown must reach.

import type { BrokerRegistration, MetadataImage } from '../metadata/image.ts';

export type BrokerControlState = 'FENCED' | 'UNFENCED' | 'CONTROLLED_SHUTDOWN' | 'SHUTDOWN_NOW';

interface Session {
  lastContactMs: number;
  /** The metadata offset of the broker's last heartbeat, -1 if none yet. */
  metadataOffset: number;
  /** The offset every active broker must have replayed before this broker may stop, -1 if not shutting down. */
  controlledShutdownOffset: number;
}

export class BrokerHeartbeats {
  private readonly sessions = new Map<number, Session>();

  constructor(private readonly sessionTimeoutMs: number) {}

  /** Every registered broker, with a fresh session (on activation). */
  startAll(image: MetadataImage, nowMs: number): void {
    this.sessions.clear();
    for (const broker of image.brokers.values()) this.register(broker.brokerId, nowMs);
  }

  /** A new registration: a new session, nothing reported yet. */
  register(brokerId: number, nowMs: number): void {
    this.sessions.set(brokerId, { lastContactMs: nowMs, metadataOffset: -1, controlledShutdownOffset: -1 });
  }

  /** A heartbeat was heard. */
  touch(brokerId: number, nowMs: number, metadataOffset: number): void {
    const session = this.session(brokerId, nowMs);
    session.lastContactMs = nowMs;
    session.metadataOffset = metadataOffset;
  }

  /** True while the broker was heard of within the session timeout. */
  hasValidSession(brokerId: number, nowMs: number): boolean {
    const session = this.sessions.get(brokerId);
    // The same sum as nextExpiryMs: a difference here could round the other way and re-arm a timer forever.
    return session !== undefined && nowMs < session.lastContactMs + this.sessionTimeoutMs;
  }

  /** Unfenced brokers (shutting down or not) whose session expired, in broker id order. */
  staleBrokers(image: MetadataImage, nowMs: number): number[] {
    const stale: number[] = [];
    for (const broker of image.brokers.values()) {
      if (!broker.fenced && !this.hasValidSession(broker.brokerId, nowMs)) stale.push(broker.brokerId);
    }
    return stale.sort((a, b) => a - b);
  }

  /** When the next unfenced broker's session expires, or undefined if none can. */
  nextExpiryMs(image: MetadataImage, nowMs: number): number | undefined {
    let earliest: number | undefined;
    for (const broker of image.brokers.values()) {
      if (broker.fenced) continue;
      const expiry = this.session(broker.brokerId, nowMs).lastContactMs + this.sessionTimeoutMs;
      if (earliest === undefined || expiry < earliest) earliest = expiry;
    }
    return earliest;
  }

  /** The smallest metadata offset reported by an active broker (unfenced, not shutting down). */
  lowestActiveOffset(image: MetadataImage, nowMs: number): number {
    let lowest = Number.MAX_SAFE_INTEGER;
    for (const broker of image.brokers.values()) {
      if (broker.fenced || broker.inControlledShutdown) continue;
      lowest = Math.min(lowest, this.session(broker.brokerId, nowMs).metadataOffset);
    }
    return lowest;
  }

  /** Sets the offset a controlled shutdown waits for, unless one is set already. */
  setControlledShutdownOffset(brokerId: number, offset: number, nowMs: number): void {
    const session = this.session(brokerId, nowMs);
    if (session.controlledShutdownOffset < 0) session.controlledShutdownOffset = offset;
  }

  controlledShutdownOffset(brokerId: number): number {
    return this.sessions.get(brokerId)?.controlledShutdownOffset ?? -1;
  }

  /** Forgets the controlled shutdown (the broker was fenced: it stopped, or lost its session). */
  clearControlledShutdown(brokerId: number): void {
    const session = this.sessions.get(brokerId);
    if (session !== undefined) session.controlledShutdownOffset = -1;
  }

  private session(brokerId: number, nowMs: number): Session {
    let session = this.sessions.get(brokerId);
    if (session === undefined) {
      session = { lastContactMs: nowMs, metadataOffset: -1, controlledShutdownOffset: -1 };
      this.sessions.set(brokerId, session);
    }
    return session;
  }
}

export function currentControlState(broker: BrokerRegistration): BrokerControlState {
  if (broker.fenced) return 'FENCED';
  return broker.inControlledShutdown ? 'CONTROLLED_SHUTDOWN' : 'UNFENCED';
}

export interface HeartbeatFacts {
  readonly wantFence: boolean;
  readonly wantShutDown: boolean;
  readonly currentMetadataOffset: number;
  /** The offset of the broker's RegisterBrokerRecord (its epoch). */
  readonly registrationOffset: number;
  readonly hasLeaderships: () => boolean;
  /** The lowest metadata offset of the active brokers, for a broker in controlled shutdown. */
  readonly lowestActiveOffset: () => number;
  readonly controlledShutdownOffset: number;
}

/**
 * Kafka's broker state machine on a heartbeat:
 * - FENCED: wantShutDown -> SHUTDOWN_NOW; caught up (metadata offset >= registration offset) and not wantFence
 *   -> UNFENCED; else FENCED.
 * - UNFENCED: wantFence -> FENCED (or SHUTDOWN_NOW with wantShutDown); wantShutDown -> CONTROLLED_SHUTDOWN if it
 *   leads a partition, else SHUTDOWN_NOW.
 * - CONTROLLED_SHUTDOWN: SHUTDOWN_NOW once it leads nothing and every active broker has replayed the records
 *   that moved its leaderships (lowest active offset >= its controlled shutdown offset).
 */
export function nextControlState(current: BrokerControlState, facts: HeartbeatFacts): BrokerControlState {
  switch (current) {
    case 'FENCED':
      if (facts.wantShutDown) return 'SHUTDOWN_NOW';
      if (!facts.wantFence && facts.currentMetadataOffset >= facts.registrationOffset) return 'UNFENCED';
      return 'FENCED';
    case 'UNFENCED':
      if (facts.wantFence) return facts.wantShutDown ? 'SHUTDOWN_NOW' : 'FENCED';
      if (facts.wantShutDown) return facts.hasLeaderships() ? 'CONTROLLED_SHUTDOWN' : 'SHUTDOWN_NOW';
      return 'UNFENCED';
    case 'CONTROLLED_SHUTDOWN':
      if (facts.hasLeaderships()) return 'CONTROLLED_SHUTDOWN';
      if (facts.controlledShutdownOffset >= 0 && facts.controlledShutdownOffset <= facts.lowestActiveOffset()) return 'SHUTDOWN_NOW';
      return 'CONTROLLED_SHUTDOWN';
    case 'SHUTDOWN_NOW':
      return 'SHUTDOWN_NOW';
  }
}

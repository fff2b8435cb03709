// The simulated network: connections with latency, bandwidth and queueing; partitions, loss and resets.
//
// Model, in brief (docs in the method comments):
// - One connection per unordered node pair, like a TCP connection, with a FIFO flow in each direction.
// - Each node has one NIC that transmits one message at a time, whatever the destination: a message waits
//   for what the node queued before it, then occupies the NIC for sizeBytes / bandwidth. It arrives at
//   transmission end + a latency draw, and never before the previous message of its flow.
// - A blocked direction or a lost packet stalls the flow's head like TCP: retransmissions after an RTO that
//   starts at minRtoMs and doubles, so a heal lets the held messages through at the next retransmission, in
//   order. If a head stays stuck for connectionTimeoutMs, the connection resets: both flows drop what they
//   hold and both ends hear connectionReset. Data that gets through while its ACKs cannot come back (the
//   reverse direction blocked) also resets the connection after connectionTimeoutMs: a one-way block resets
//   both ends, as TCP's sender would give up.
// - A node that is down sends and receives nothing; going down resets its open connections (peers hear it).
// - Faults and configuration are kept apart: blocks and per-direction loss and latency spikes are faults, which
//   heal() and clearFaults() remove; the profile, bandwidths, per-direction latency models and the global loss
//   and extra latency are configuration (a slower or lossier network than the profile's, set before the run),
//   which they leave in place.
// Every draw comes from the given RandomStream, in scheduler order, so a seed fixes every delivery time.
// Not modelled (yet): contention at the receiver's NIC (incast), connection handshakes, the bandwidth that
// retransmissions use, per-packet loss (loss is per message transmission). A node cannot send to itself.

import type { Message, NodeId } from '../engine/runtime.ts';
import type { RandomStream } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import { Connection, Flow, NetworkNode, NO_EVENT } from './network-flow.ts';
import type { NetworkEndpoint } from './network-flow.ts';
import { NetworkError, UnknownNodeError } from './network-error.ts';
import { emptyLinkStats, linkStatsOf } from './network-stats.ts';
import type { LinkStats, NetworkStats } from './network-stats.ts';
import {
  typicalLatencyMs,
  DEFAULT_NETWORK_PROFILE,
  drawLatencyMs,
  validateLatencyModel,
  validateProfile,
} from './network-profile.ts';
import type { LatencyModel, NetworkProfile } from './network-profile.ts';

export type { NetworkEndpoint } from './network-flow.ts';
export type { LinkStats, NetworkStats } from './network-stats.ts';
export { NetworkError, UnknownNodeError } from './network-error.ts';
export { NETWORK_PROFILES, DEFAULT_NETWORK_PROFILE, gbitPerSecond } from './network-profile.ts';
export type { LatencyModel, NetworkProfile, NetworkProfileName } from './network-profile.ts';

/** Why a connection was reset. */
export type ResetReason = 'timeout' | 'down' | 'refused';

/** Optional hooks for traces and metrics; called after the network's state is updated. */
export interface NetworkObserver {
  connectionReset?(a: NodeId, b: NodeId, reason: ResetReason): void;
}

export interface SimNetworkOptions {
  readonly scheduler: Scheduler;
  readonly random: RandomStream;
  readonly profile?: NetworkProfile;
  readonly observer?: NetworkObserver;
}

export interface PartitionOptions {
  /** Block only fromSet -> toSet; replies still flow (until the connection times out). */
  readonly oneWay?: boolean;
}

export class SimNetwork {
  readonly profile: NetworkProfile;
  private readonly scheduler: Scheduler;
  private readonly random: RandomStream;
  private readonly observer: NetworkObserver | undefined;
  private readonly nodes = new Map<NodeId, NetworkNode>();
  private readonly connections: Connection[] = [];
  private readonly counters: NetworkStats = {
    messagesSent: 0,
    bytesSent: 0,
    messagesDelivered: 0,
    bytesDelivered: 0,
    messagesDropped: 0,
    bytesDropped: 0,
    retransmissions: 0,
    connectionResets: 0,
  };
  private globalLossProbability = 0;
  private globalExtraLatencyMs = 0;
  private globalLatencyMultiplier = 1;

  constructor(options: SimNetworkOptions) {
    this.scheduler = options.scheduler;
    this.random = options.random;
    this.profile = options.profile ?? DEFAULT_NETWORK_PROFILE;
    this.observer = options.observer;
    validateProfile(this.profile);
  }

  // -------------------------------------------------------------------------------------------------------
  // Nodes

  /** Attaches (or re-attaches after a restart) a node, up. Re-attaching a node that is up first takes it
   *  down, so its old connections reset. */
  attach(nodeId: NodeId, endpoint: NetworkEndpoint): void {
    const existing = this.nodes.get(nodeId);
    if (existing === undefined) {
      this.nodes.set(nodeId, new NetworkNode(nodeId, endpoint, this.profile.bandwidthBytesPerMs));
      return;
    }
    if (existing.up) this.down(nodeId);
    existing.endpoint = endpoint;
    existing.up = true;
  }

  /** Takes a node down (crash, power loss): its open connections reset, peers hear connectionReset; the node
   *  itself hears nothing. Until `up`, messages from or to it are dropped. */
  down(nodeId: NodeId): void {
    const node = this.node(nodeId, 'down');
    if (!node.up) return;
    node.up = false;
    node.egressFreeAtMs = this.scheduler.now(); // its NIC queue dies with it (the flows are reset below)
    const connections = node.connections;
    for (let i = 0, n = connections.length; i < n; i++) {
      if (connections[i].open) this.resetConnection(connections[i], 'down');
    }
  }

  /** Brings a node back; it keeps its endpoint (use `attach` to give it a new one). */
  up(nodeId: NodeId): void {
    this.node(nodeId, 'up').up = true;
  }

  isUp(nodeId: NodeId): boolean {
    return this.node(nodeId, 'isUp').up;
  }

  /** Attached nodes, in attach order. */
  nodeIds(): NodeId[] {
    return [...this.nodes.keys()];
  }

  /** Sets one node's NIC rate (a degraded or faster link); the profile gives the default. */
  setBandwidth(nodeId: NodeId, bytesPerMs: number): void {
    if (!(bytesPerMs > 0)) throw new NetworkError(`setBandwidth(${nodeId}): bytesPerMs must be > 0, got ${bytesPerMs}`);
    this.node(nodeId, 'setBandwidth').bandwidthBytesPerMs = bytesPerMs;
  }

  // -------------------------------------------------------------------------------------------------------
  // Sending

  /**
   * Queues `message` from `from` to `to`. It is transmitted by `from`'s NIC after what that NIC already holds,
   * then travels for one latency draw; it is delivered in order with the other messages of the connection,
   * unless the connection resets first. Dropped at once if either node is down.
   */
  send(from: NodeId, to: NodeId, message: Message): void {
    const source = this.nodes.get(from);
    if (source === undefined) throw new UnknownNodeError(from, 'send');
    const target = this.nodes.get(to);
    if (target === undefined) throw new UnknownNodeError(to, 'send');
    const sizeBytes = message.sizeBytes;
    if (!(sizeBytes >= 0)) throw new NetworkError(`send ${from} -> ${to}: message ${message.type} has sizeBytes ${sizeBytes}`);
    const counters = this.counters;
    counters.messagesSent++;
    counters.bytesSent += sizeBytes;
    if (!source.up || !target.up) {
      counters.messagesDropped++;
      counters.bytesDropped += sizeBytes;
      if (source.up) this.refuse(source, target);
      return;
    }
    const flow = source.outFlows.get(to) ?? this.createConnection(source, target).forward;
    flow.connection.open = true;
    flow.messagesSent++;
    flow.bytesSent += sizeBytes;

    const now = this.scheduler.now();
    const transmitStartMs = source.egressFreeAtMs > now ? source.egressFreeAtMs : now;
    const transmitEndMs = transmitStartMs + sizeBytes / source.bandwidthBytesPerMs;
    source.egressFreeAtMs = transmitEndMs;
    let dueMs = transmitEndMs + this.latencyMs(flow);
    if (dueMs < flow.lastDueMs) dueMs = flow.lastDueMs;
    flow.lastDueMs = dueMs;

    const queue = flow.queue;
    queue.push(message, dueMs);
    if (queue.size > flow.maxQueuedMessages) flow.maxQueuedMessages = queue.size;
    if (flow.eventId === NO_EVENT) flow.eventId = this.scheduler.at(dueMs, flow.onEvent);
  }

  /**
   * A send to a node that is down is refused, as a host whose process died answers a connection attempt with
   * a reset: the sender hears connectionReset one round trip later (once per outage, not per message), so
   * clients fail over at once instead of waiting out their request timeout.
   */
  private refuse(source: NetworkNode, target: NetworkNode): void {
    if (source.refusalsPending.has(target.id)) return;
    source.refusalsPending.add(target.id);
    const endpoint = source.endpoint;
    this.scheduler.after(2 * typicalLatencyMs(this.profile.latency), () => {
      source.refusalsPending.delete(target.id);
      if (source.up && source.endpoint === endpoint && !target.up) {
        this.counters.connectionResets++;
        this.observer?.connectionReset?.(source.id, target.id, 'refused');
        endpoint.connectionReset(target.id);
      }
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Partitions

  /** Blocks the direction from -> to: messages on it stall (held, retransmitted) until unblocked or until the
   *  connection times out. */
  block(from: NodeId, to: NodeId): void {
    this.flowFor(from, to, 'block').blocked = true;
  }

  /** Unblocks from -> to. Held messages go through at their flow's next retransmission, in order. */
  unblock(from: NodeId, to: NodeId): void {
    const source = this.node(from, 'unblock');
    this.node(to, 'unblock');
    const flow = source.outFlows.get(to);
    if (flow !== undefined) this.unblockFlow(flow);
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    const flow = this.node(from, 'isBlocked').outFlows.get(to);
    return flow !== undefined && flow.blocked;
  }

  /** Blocks every direction from a node of `fromSet` to a node of `toSet`, and back unless `oneWay`. */
  partition(fromSet: Iterable<NodeId>, toSet: Iterable<NodeId>, options: PartitionOptions = {}): void {
    const targets = [...toSet];
    for (const a of fromSet) {
      for (const b of targets) {
        if (a === b) continue;
        this.block(a, b);
        if (options.oneWay !== true) this.block(b, a);
      }
    }
  }

  /** Cuts `nodeId` off from every other attached node, both ways. */
  isolate(nodeId: NodeId): void {
    this.node(nodeId, 'isolate');
    this.partition([nodeId], this.nodeIds());
  }

  /** Nodes in different groups cannot reach each other; nodes in no group are not affected. */
  split(groups: readonly (readonly NodeId[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) this.partition(groups[i], groups[j]);
    }
  }

  /** Splits `nodes` (default: every attached node, in attach order) into a first and a second half; the
   *  first half gets the extra node of an odd count. */
  splitHalves(nodes: readonly NodeId[] = this.nodeIds()): void {
    const middle = Math.ceil(nodes.length / 2);
    this.split([nodes.slice(0, middle), nodes.slice(middle)]);
  }

  /** Unblocks every direction. Loss and latency settings stay (see clearFaults). */
  heal(): void {
    for (const connection of this.connections) {
      this.unblockFlow(connection.forward);
      this.unblockFlow(connection.backward);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Loss and latency

  /** A fault: each transmission on from -> to is lost with `probability`, independently of the global loss.
   *  A lost message is retransmitted after an RTO (doubling), so it arrives late and holds back the ones
   *  behind it; if it keeps being lost for connectionTimeoutMs, the connection resets. */
  setLoss(from: NodeId, to: NodeId, probability: number): void {
    this.flowFor(from, to, 'setLoss').lossProbability = requireProbability(probability, `setLoss(${from}, ${to})`);
  }

  /** Configuration: loss on every direction (a lossy network), on top of any per-direction loss. */
  setGlobalLoss(probability: number): void {
    this.globalLossProbability = requireProbability(probability, 'setGlobalLoss');
  }

  /** A fault, a latency spike on from -> to: each latency draw is multiplied by `multiplier`, then `extraMs` is
   *  added. */
  setExtraLatency(from: NodeId, to: NodeId, extraMs: number, multiplier = 1): void {
    requireSpike(extraMs, multiplier, `setExtraLatency(${from}, ${to})`);
    const flow = this.flowFor(from, to, 'setExtraLatency');
    flow.extraLatencyMs = extraMs;
    flow.latencyMultiplier = multiplier;
  }

  /** Configuration: extra latency on every direction (a slower network than the profile's, a swarm knob),
   *  combined with per-direction spikes. */
  setGlobalExtraLatency(extraMs: number, multiplier = 1): void {
    requireSpike(extraMs, multiplier, 'setGlobalExtraLatency');
    this.globalExtraLatencyMs = extraMs;
    this.globalLatencyMultiplier = multiplier;
  }

  /** Configuration: gives from -> to its own latency model (e.g. a cross-zone pair in a cluster); undefined
   *  restores the profile's. */
  setLatency(from: NodeId, to: NodeId, model: LatencyModel | undefined): void {
    if (model !== undefined) validateLatencyModel(model, `setLatency(${from}, ${to})`);
    this.flowFor(from, to, 'setLatency').latency = model;
  }

  /** Removes every fault: heals every partition and clears every per-direction loss and latency spike. The
   *  configuration stays (see the file head). */
  clearFaults(): void {
    this.heal();
    for (const connection of this.connections) {
      for (const flow of [connection.forward, connection.backward]) {
        flow.lossProbability = 0;
        flow.extraLatencyMs = 0;
        flow.latencyMultiplier = 1;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Stats

  /** A snapshot of the whole network's counters. */
  stats(): NetworkStats {
    return { ...this.counters };
  }

  /** Messages sent and not yet delivered or dropped, over all flows. */
  queuedMessages(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.forward.queue.size + connection.backward.queue.size;
    return total;
  }

  /** Counters and queue depth of the direction from -> to (zeros if nothing was ever sent on it). */
  linkStats(from: NodeId, to: NodeId): LinkStats {
    this.node(to, 'linkStats');
    const flow = this.node(from, 'linkStats').outFlows.get(to);
    return flow === undefined ? emptyLinkStats() : linkStatsOf(flow);
  }

  /** How long `nodeId`'s NIC needs to transmit what is already queued on it. */
  egressBacklogMs(nodeId: NodeId): number {
    const node = this.node(nodeId, 'egressBacklogMs');
    return Math.max(0, node.egressFreeAtMs - this.scheduler.now());
  }

  // -------------------------------------------------------------------------------------------------------
  // Internals

  private node(nodeId: NodeId, operation: string): NetworkNode {
    const node = this.nodes.get(nodeId);
    if (node === undefined) throw new UnknownNodeError(nodeId, operation);
    return node;
  }

  /** The flow from -> to, creating the connection object (closed) if the pair never had one. */
  private flowFor(from: NodeId, to: NodeId, operation: string): Flow {
    const source = this.node(from, operation);
    const target = this.node(to, operation);
    return source.outFlows.get(to) ?? this.createConnection(source, target).forward;
  }

  private createConnection(a: NetworkNode, b: NetworkNode): Connection {
    if (a === b) throw new NetworkError(`node ${a.id} cannot have a connection to itself: handle local work locally`);
    const connection = new Connection(a, b);
    for (const flow of [connection.forward, connection.backward]) {
      flow.onEvent = () => this.onFlowEvent(flow);
      flow.onAckTimeout = () => this.onAckTimeout(flow);
      flow.from.outFlows.set(flow.to.id, flow);
    }
    a.connections.push(connection);
    b.connections.push(connection);
    this.connections.push(connection);
    return connection;
  }

  private latencyMs(flow: Flow): number {
    const base = drawLatencyMs(flow.latency ?? this.profile.latency, this.random);
    return (
      base * flow.latencyMultiplier * this.globalLatencyMultiplier + flow.extraLatencyMs + this.globalExtraLatencyMs
    );
  }

  /** Draws whether this transmission of the head is lost; draws nothing when no loss is set. */
  private lost(flow: Flow): boolean {
    const local = flow.lossProbability;
    const global = this.globalLossProbability;
    if (local === 0 && global === 0) return false;
    return this.random.chance(1 - (1 - local) * (1 - global));
  }

  /** The head of `flow` is due: deliver it, or stall it, or give up on the connection. */
  private onFlowEvent(flow: Flow): void {
    flow.eventId = NO_EVENT;
    const now = this.scheduler.now();
    const stalled = flow.stallStartMs === flow.stallStartMs;
    if (stalled && now >= flow.stallStartMs + this.profile.connectionTimeoutMs) {
      this.resetConnection(flow.connection, 'timeout');
      return;
    }
    if (flow.blocked || this.lost(flow)) {
      this.scheduleRetransmission(flow, now);
      return;
    }
    flow.stallStartMs = NaN;
    const queue = flow.queue;
    const message = queue.shift();
    if (queue.size > 0) {
      const nextDueMs = queue.headDueMs();
      flow.eventId = this.scheduler.at(nextDueMs > now ? nextDueMs : now, flow.onEvent);
    }
    flow.messagesDelivered++;
    flow.bytesDelivered += message.sizeBytes;
    this.counters.messagesDelivered++;
    this.counters.bytesDelivered += message.sizeBytes;
    // Delivered, but its ACK cannot come back: the sender keeps retransmitting and will give up.
    if (flow.reverse.blocked && flow.ackTimeoutId === NO_EVENT) {
      flow.ackTimeoutId = this.scheduler.at(now + this.profile.connectionTimeoutMs, flow.onAckTimeout);
    }
    // Last, after the flow's state is consistent: the endpoint may send, or even take nodes down.
    flow.to.endpoint.deliver(flow.from.id, message);
  }

  /** TCP's retransmission backoff: RTO from minRtoMs, doubling up to maxRtoMs; the next attempt arrives one
   *  latency after it is sent. Past connectionTimeoutMs since the stall began, the connection gives up. */
  private scheduleRetransmission(flow: Flow, now: number): void {
    if (flow.stallStartMs !== flow.stallStartMs) {
      flow.stallStartMs = now;
      flow.retransmitAtMs = now;
      flow.rtoMs = this.profile.minRtoMs;
    }
    flow.retransmitAtMs += flow.rtoMs;
    flow.rtoMs = Math.min(flow.rtoMs * 2, this.profile.maxRtoMs);
    const giveUpAtMs = flow.stallStartMs + this.profile.connectionTimeoutMs;
    let nextMs = giveUpAtMs;
    if (flow.retransmitAtMs < giveUpAtMs) {
      flow.retransmissions++;
      this.counters.retransmissions++;
      nextMs = Math.min(flow.retransmitAtMs + this.latencyMs(flow), giveUpAtMs);
    }
    flow.eventId = this.scheduler.at(nextMs, flow.onEvent);
  }

  private onAckTimeout(flow: Flow): void {
    flow.ackTimeoutId = NO_EVENT;
    this.resetConnection(flow.connection, 'timeout');
  }

  private unblockFlow(flow: Flow): void {
    flow.blocked = false;
    // ACKs for the reverse flow's data can come back again.
    const reverse = flow.reverse;
    if (reverse.ackTimeoutId !== NO_EVENT) {
      this.scheduler.cancel(reverse.ackTimeoutId);
      reverse.ackTimeoutId = NO_EVENT;
    }
  }

  /** Drops everything on both flows, closes the connection and tells the ends that are up. */
  private resetConnection(connection: Connection, reason: ResetReason): void {
    connection.open = false;
    this.clearFlow(connection.forward);
    this.clearFlow(connection.backward);
    this.counters.connectionResets++;
    const a = connection.forward.from;
    const b = connection.forward.to;
    this.observer?.connectionReset?.(a.id, b.id, reason);
    if (a.up) a.endpoint.connectionReset(b.id);
    if (b.up) b.endpoint.connectionReset(a.id);
  }

  private clearFlow(flow: Flow): void {
    if (flow.eventId !== NO_EVENT) this.scheduler.cancel(flow.eventId);
    if (flow.ackTimeoutId !== NO_EVENT) this.scheduler.cancel(flow.ackTimeoutId);
    flow.eventId = NO_EVENT;
    flow.ackTimeoutId = NO_EVENT;
    flow.stallStartMs = NaN;
    flow.lastDueMs = 0;
    const queue = flow.queue;
    flow.messagesDropped += queue.size;
    flow.bytesDropped += queue.bytes;
    this.counters.messagesDropped += queue.size;
    this.counters.bytesDropped += queue.bytes;
    queue.clear();
  }
}

function requireProbability(probability: number, operation: string): number {
  if (!(probability >= 0 && probability <= 1)) {
    throw new NetworkError(`${operation}: a probability must be between 0 and 1, got ${probability}`);
  }
  return probability;
}

function requireSpike(extraMs: number, multiplier: number, operation: string): void {
  if (!(extraMs >= 0) || !Number.isFinite(extraMs)) {
    throw new NetworkError(`${operation}: extraMs must be a finite number >= 0, got ${extraMs}`);
  }
  if (!(multiplier > 0) || !Number.isFinite(multiplier)) {
    throw new NetworkError(`${operation}: multiplier must be a finite number > 0, got ${multiplier}`);
  }
}

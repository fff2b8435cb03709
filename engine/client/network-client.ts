// A client's connections to brokers: correlation ids, in-flight requests, request timeouts, reconnect backoff.
//
// As Kafka's NetworkClient: each request gets a correlation id, a broker echoes it, and the response goes to
// the request's handler. A broker connection holds at most `maxInFlightPerNode` unanswered requests. A request
// with no answer within request.timeout.ms counts the connection as failed: Kafka closes it, so every request
// still in flight on it fails, and the node is not contacted again before a reconnect backoff (50 ms doubling
// to 1 s). A reset from the network does the same. A response that arrives for a request already failed this
// way is ignored, as it would be on a closed socket.

import type { NodeId, Runtime, TimerId } from '../runtime.ts';
import type { Request, Response } from '../protocol/envelope.ts';
import { ExponentialBackoff } from './backoff.ts';

/** Why a request got no response: its own timeout closed the connection, or the connection was reset. */
export type RequestFailure = 'request-timeout' | 'disconnected';

export interface ResponseHandler {
  onResponse(response: Response): void;
  onFailure(reason: RequestFailure): void;
}

/** Kafka's reconnect.backoff.ms and reconnect.backoff.max.ms defaults (not in the client config tables). */
export const RECONNECT_BACKOFF_MS = 50;
export const RECONNECT_BACKOFF_MAX_MS = 1000;

export interface NetworkClientOptions {
  readonly requestTimeoutMs: number;
  readonly maxInFlightPerNode: number;
  /** Called after a connection failed (timeout or reset), once its requests have been failed. */
  readonly onDisconnect?: (node: NodeId, reason: RequestFailure) => void;
}

interface InFlightRequest {
  readonly node: NodeId;
  readonly correlationId: number;
  readonly handler: ResponseHandler;
  readonly timer: TimerId;
}

interface NodeConnection {
  /** Unanswered requests, oldest first. */
  readonly inFlight: InFlightRequest[];
  /** Consecutive connection failures, for the reconnect backoff. */
  failures: number;
  /** The node is not contacted before this time (after a failure). */
  blockedUntilMs: number;
}

export class NetworkClient {
  private nextCorrelationId = 1;
  private readonly connections = new Map<NodeId, NodeConnection>();
  private readonly byCorrelationId = new Map<number, InFlightRequest>();
  private readonly reconnectBackoff: ExponentialBackoff;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: NetworkClientOptions,
  ) {
    this.reconnectBackoff = new ExponentialBackoff(RECONNECT_BACKOFF_MS, RECONNECT_BACKOFF_MAX_MS, () => runtime.random());
  }

  /** A fresh correlation id for the next request. */
  correlationId(): number {
    return this.nextCorrelationId++;
  }

  /** True if a request may go to `node` now: not backing off after a failure, below the in-flight cap. */
  isReady(node: NodeId): boolean {
    const connection = this.connections.get(node);
    if (connection === undefined) return true;
    return connection.blockedUntilMs <= this.runtime.now() && connection.inFlight.length < this.options.maxInFlightPerNode;
  }

  /** True if `node` is backing off after a connection failure. */
  isBlocked(node: NodeId): boolean {
    const connection = this.connections.get(node);
    return connection !== undefined && connection.blockedUntilMs > this.runtime.now();
  }

  /** When `node` may be contacted again (now or earlier if it is not backing off). */
  blockedUntilMs(node: NodeId): number {
    return this.connections.get(node)?.blockedUntilMs ?? 0;
  }

  inFlightCount(node: NodeId): number {
    return this.connections.get(node)?.inFlight.length ?? 0;
  }

  totalInFlight(): number {
    return this.byCorrelationId.size;
  }

  /** Sends a request that expects a response; `handler` hears exactly one of onResponse / onFailure. */
  send(node: NodeId, request: Request, handler: ResponseHandler): void {
    const connection = this.connection(node);
    const timer = this.runtime.setTimer(this.options.requestTimeoutMs, () => this.onRequestTimeout(request.correlationId));
    const entry: InFlightRequest = { node, correlationId: request.correlationId, handler, timer };
    connection.inFlight.push(entry);
    this.byCorrelationId.set(request.correlationId, entry);
    this.runtime.send(node, request);
  }

  /** Sends a request that gets no response (a produce with acks=0). */
  sendOneWay(node: NodeId, request: Request): void {
    this.runtime.send(node, request);
  }

  /** Routes a response to its handler. False if the message is no response to a request in flight. */
  handleMessage(from: NodeId, message: Response): boolean {
    const entry = this.byCorrelationId.get(message.correlationId);
    if (entry === undefined || entry.node !== from) return false;
    this.byCorrelationId.delete(entry.correlationId);
    this.runtime.cancelTimer(entry.timer);
    const connection = this.connection(from);
    const index = connection.inFlight.indexOf(entry);
    connection.inFlight.splice(index, 1);
    connection.failures = 0;
    entry.handler.onResponse(message);
    return true;
  }

  /** The network reset the connection to `peer`: its requests in flight fail. */
  handleConnectionReset(peer: NodeId): void {
    this.disconnect(peer, 'disconnected');
  }

  private onRequestTimeout(correlationId: number): void {
    const entry = this.byCorrelationId.get(correlationId);
    if (entry === undefined) return;
    this.runtime.trace('client-request-timeout', { node: entry.node, correlationId });
    this.disconnect(entry.node, 'request-timeout');
  }

  /** Closes the connection to `node`: every request in flight fails, then the node backs off. */
  private disconnect(node: NodeId, reason: RequestFailure): void {
    const connection = this.connection(node);
    const failed = connection.inFlight.splice(0);
    for (const entry of failed) {
      this.byCorrelationId.delete(entry.correlationId);
      this.runtime.cancelTimer(entry.timer);
    }
    connection.blockedUntilMs = this.runtime.now() + this.reconnectBackoff.backoffMs(connection.failures);
    connection.failures++;
    // Handlers run after the connection is cleared: they may send again (to another node, or here later).
    for (const entry of failed) entry.handler.onFailure(reason);
    this.options.onDisconnect?.(node, reason);
  }

  private connection(node: NodeId): NodeConnection {
    let connection = this.connections.get(node);
    if (connection === undefined) {
      connection = { inFlight: [], failures: 0, blockedUntilMs: 0 };
      this.connections.set(node, connection);
    }
    return connection;
  }
}

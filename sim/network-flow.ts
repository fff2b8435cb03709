// The state behind the simulated network: nodes, connections and the two flows of each connection.
//
// A connection joins an unordered pair of nodes, like one TCP connection, and carries a flow in each direction.
// A flow is FIFO: its queue holds the messages sent and not yet delivered, in send order, each with the time it
// is due. Because due times never decrease along a flow, one pending scheduler event per flow (for its head)
// is enough: sending a message allocates nothing but a queue slot. Flow objects live as long as the network
// and also carry the faults set on their direction (block, loss, extra latency); a connection reset empties
// them and closes the connection, the next send opens it again.

import type { Message, NodeId } from '../engine/runtime.ts';
import type { EventId } from './scheduler.ts';
import type { LatencyModel } from './network-profile.ts';

/** What a node attaches to the network: where its messages and connection resets go. */
export interface NetworkEndpoint {
  deliver(from: NodeId, message: Message): void;
  connectionReset(peer: NodeId): void;
}

export const NO_EVENT = -1;

/** A growable ring of messages with their due times; FIFO, no allocation once grown. */
export class MessageQueue {
  private messages: (Message | undefined)[] = new Array<Message | undefined>(8);
  private dueMs = new Float64Array(8);
  private head = 0;
  private count = 0;
  private byteCount = 0;

  get size(): number {
    return this.count;
  }

  /** Sum of sizeBytes of the queued messages. */
  get bytes(): number {
    return this.byteCount;
  }

  push(message: Message, dueMs: number): void {
    if (this.count === this.messages.length) this.grow();
    const index = (this.head + this.count) & (this.messages.length - 1);
    this.messages[index] = message;
    this.dueMs[index] = dueMs;
    this.count++;
    this.byteCount += message.sizeBytes;
  }

  /** Due time of the head; only when size > 0. */
  headDueMs(): number {
    return this.dueMs[this.head];
  }

  shift(): Message {
    if (this.count === 0) throw new Error('MessageQueue.shift on an empty queue');
    const message = this.messages[this.head] as Message;
    this.messages[this.head] = undefined;
    this.head = (this.head + 1) & (this.messages.length - 1);
    this.count--;
    this.byteCount -= message.sizeBytes;
    return message;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.messages[(this.head + i) & (this.messages.length - 1)] = undefined;
    this.head = 0;
    this.count = 0;
    this.byteCount = 0;
  }

  private grow(): void {
    const capacity = this.messages.length * 2;
    const messages = new Array<Message | undefined>(capacity);
    const dueMs = new Float64Array(capacity);
    const mask = this.messages.length - 1;
    for (let i = 0; i < this.count; i++) {
      messages[i] = this.messages[(this.head + i) & mask];
      dueMs[i] = this.dueMs[(this.head + i) & mask];
    }
    this.messages = messages;
    this.dueMs = dueMs;
    this.head = 0;
  }
}

/** One node as the network sees it: up or down, its NIC, its connections. */
export class NetworkNode {
  up = true;
  /** When the NIC finishes transmitting what is already queued on it. */
  egressFreeAtMs = 0;
  /** Flow from this node to each peer it has a connection object with. */
  readonly outFlows = new Map<NodeId, Flow>();
  /** Every connection this node is an end of, in creation order (deterministic iteration). */
  readonly connections: Connection[] = [];
  /** Peers that are down and to which this node has a refusal (connection reset) on its way. */
  readonly refusalsPending = new Set<NodeId>();

  constructor(
    readonly id: NodeId,
    public endpoint: NetworkEndpoint,
    public bandwidthBytesPerMs: number,
  ) {}
}

/** One direction of a connection. */
export class Flow {
  readonly queue = new MessageQueue();
  /** Set once both flows of the connection exist. */
  reverse!: Flow;
  /** Due time of the last message queued; a later message is never due before it. */
  lastDueMs = 0;
  /** The pending event for the head (arrival, retransmission or give-up), or NO_EVENT iff the queue is empty. */
  eventId: EventId = NO_EVENT;
  /** Pending give-up because this flow's data is delivered but its ACKs cannot come back (reverse blocked). */
  ackTimeoutId: EventId = NO_EVENT;

  // Retransmission state of the head while it is stalled (NaN when not stalled).
  stallStartMs = NaN;
  retransmitAtMs = NaN;
  rtoMs = 0;

  // Faults on this direction.
  blocked = false;
  lossProbability = 0;
  extraLatencyMs = 0;
  latencyMultiplier = 1;
  /** Overrides the profile's latency model for this direction. */
  latency: LatencyModel | undefined = undefined;

  // Counters.
  messagesSent = 0;
  bytesSent = 0;
  messagesDelivered = 0;
  bytesDelivered = 0;
  messagesDropped = 0;
  bytesDropped = 0;
  retransmissions = 0;
  maxQueuedMessages = 0;

  /** Scheduler callbacks, bound once per flow rather than once per message. */
  onEvent: () => void = noop;
  onAckTimeout: () => void = noop;

  constructor(
    readonly from: NetworkNode,
    readonly to: NetworkNode,
    readonly connection: Connection,
  ) {}
}

/** A connection between two nodes; `open` from the first send until the next reset. */
export class Connection {
  open = false;
  readonly forward: Flow;
  readonly backward: Flow;

  constructor(a: NetworkNode, b: NetworkNode) {
    this.forward = new Flow(a, b, this);
    this.backward = new Flow(b, a, this);
    this.forward.reverse = this.backward;
    this.backward.reverse = this.forward;
  }
}

function noop(): void {}

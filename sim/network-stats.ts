// Counters of the simulated network, for tests, metrics and reports: plain data, copied out on request.

import type { Flow } from './network-flow.ts';

/** Whole-network counters. sent = delivered + dropped + queued (see queuedMessages). */
export interface NetworkStats {
  messagesSent: number;
  bytesSent: number;
  messagesDelivered: number;
  bytesDelivered: number;
  messagesDropped: number;
  bytesDropped: number;
  /** Retransmissions of a stalled message (loss or a blocked direction). */
  retransmissions: number;
  connectionResets: number;
}

/** Counters and queue of one direction between two nodes. */
export interface LinkStats {
  messagesSent: number;
  bytesSent: number;
  messagesDelivered: number;
  bytesDelivered: number;
  messagesDropped: number;
  bytesDropped: number;
  retransmissions: number;
  /** Sent and not yet delivered: queued on the NIC, in flight or held by a stall. */
  queuedMessages: number;
  queuedBytes: number;
  maxQueuedMessages: number;
  /** The head is waiting for a retransmission to get through. */
  stalled: boolean;
  blocked: boolean;
}

export function emptyLinkStats(): LinkStats {
  return {
    messagesSent: 0,
    bytesSent: 0,
    messagesDelivered: 0,
    bytesDelivered: 0,
    messagesDropped: 0,
    bytesDropped: 0,
    retransmissions: 0,
    queuedMessages: 0,
    queuedBytes: 0,
    maxQueuedMessages: 0,
    stalled: false,
    blocked: false,
  };
}

export function linkStatsOf(flow: Flow): LinkStats {
  return {
    messagesSent: flow.messagesSent,
    bytesSent: flow.bytesSent,
    messagesDelivered: flow.messagesDelivered,
    bytesDelivered: flow.bytesDelivered,
    messagesDropped: flow.messagesDropped,
    bytesDropped: flow.bytesDropped,
    retransmissions: flow.retransmissions,
    queuedMessages: flow.queue.size,
    queuedBytes: flow.queue.bytes,
    maxQueuedMessages: flow.maxQueuedMessages,
    stalled: flow.stallStartMs === flow.stallStartMs, // not NaN
    blocked: flow.blocked,
  };
}

// How controller-side and broker-side components send messages.
//
// A component takes a Sender rather than calling runtime.send itself, because in combined mode (a node that is
// both broker and controller, process.roles=broker,controller) a broker's request to the active controller
// may be addressed to its own node, and a node cannot send to itself over the network. loopbackSender delivers
// those locally, as a later event, so that local and remote requests behave alike (asynchronously, FIFO).

import type { Message, NodeId, Runtime } from '../runtime.ts';

export type Sender = (to: NodeId, message: Message) => void;

export function networkSender(runtime: Runtime): Sender {
  return (to, message) => runtime.send(to, message);
}

/** Sends over the network, except to this node: that goes to `deliverLocally` on a zero-delay timer. */
export function loopbackSender(runtime: Runtime, deliverLocally: (from: NodeId, message: Message) => void): Sender {
  return (to, message) => {
    if (to === runtime.nodeId) runtime.setTimer(0, () => deliverLocally(runtime.nodeId, message));
    else runtime.send(to, message);
  };
}

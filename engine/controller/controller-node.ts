// Hosting the controller on a node.
//
// A dedicated controller (process.roles=controller) is a ControllerNode: its Raft voter and its
// QuorumController, with messages routed by type: controller requests to the controller, everything else
// (Vote, BeginQuorumEpoch, EndQuorumEpoch, RaftFetch and their answers) to the Raft replica.
//
// Combined mode (process.roles=broker,controller) builds the same pieces into the broker's node: one Raft voter
// that both the QuorumController and the BrokerLifecycle listen to, a loopbackSender for both (the broker's
// requests may go to its own controller), and a router that offers each message to each component in turn:
//
//   const route = routeMessages([
//     (from, m) => controller.handleMessage(from, m),
//     (from, m) => lifecycle.handleMessage(from, m),
//     (from, m) => broker.handleMessage(from, m),
//   ], (from, m) => raft.handleMessage(from, m));

import type { Message, NodeHandlers, NodeId, Runtime } from '../runtime.ts';
import type { RaftClient } from '../raft/raft-client.ts';
import type { MetadataRecord } from '../metadata/records.ts';
import type { ControllerConfig } from './controller-config.ts';
import { QuorumController } from './quorum-controller.ts';

/** Takes a message if it is for this component; false to let the next one try. */
export type MessageRoute = (from: NodeId, message: Message) => boolean;

/** One handler that offers each message to `routes` in order, and to `fallback` if none takes it. */
export function routeMessages(
  routes: readonly MessageRoute[],
  fallback: (from: NodeId, message: Message) => void,
): (from: NodeId, message: Message) => void {
  return (from, message) => {
    for (const route of routes) if (route(from, message)) return;
    fallback(from, message);
  };
}

export interface ControllerNodeOptions {
  /** This node's Raft voter of the metadata log. */
  readonly raft: RaftClient<MetadataRecord>;
  readonly config: ControllerConfig;
  readonly clusterId: string;
}

export class ControllerNode implements NodeHandlers {
  readonly controller: QuorumController;
  readonly raft: RaftClient<MetadataRecord>;
  private readonly route: (from: NodeId, message: Message) => void;

  constructor(runtime: Runtime, options: ControllerNodeOptions) {
    this.raft = options.raft;
    this.controller = new QuorumController({ runtime, raft: options.raft, config: options.config, clusterId: options.clusterId });
    this.route = routeMessages(
      [(from, message) => this.controller.handleMessage(from, message)],
      (from, message) => this.raft.handleMessage(from, message),
    );
  }

  onMessage(from: NodeId, message: Message): void {
    this.route(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.raft.handleConnectionReset(peer);
  }
}

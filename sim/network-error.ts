// Errors of the simulated network: a misuse by the code that drives it (an unknown node, a bad setting).
// Faults in the simulated world are never errors: they show up as stalls, drops and connection resets.

import type { NodeId } from '../engine/runtime.ts';

export class NetworkError extends Error {
  override readonly name: string = 'NetworkError';
}

/** A node id that was never attached to the network. */
export class UnknownNodeError extends NetworkError {
  override readonly name = 'UnknownNodeError';
  constructor(readonly nodeId: NodeId, readonly operation: string) {
    super(`${operation}: node ${JSON.stringify(nodeId)} is not attached to the network (attach it first)`);
  }
}

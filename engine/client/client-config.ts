// Checks shared by the clients' constructors: what the parsed config allows that these clients cannot run.

import type { NodeId } from '../runtime.ts';
import { ClientConfigError } from './client-errors.ts';

/** bootstrap.servers as node names: `broker-1:9092` names node `broker-1` (the simulator has no ports). */
export function bootstrapNodes(servers: readonly string[]): NodeId[] {
  if (servers.length === 0) {
    throw new ClientConfigError('bootstrap.servers', 'is empty; give the broker node names (the harness fills in every broker of the cluster)');
  }
  return servers.map((server) => {
    const colon = server.lastIndexOf(':');
    return colon > 0 && /^\d+$/.test(server.slice(colon + 1)) ? server.slice(0, colon) : server;
  });
}

/** The client id for requests: client.id, or the node's name when it is empty (Kafka generates one). */
export function clientIdOf(configured: string, nodeId: NodeId): string {
  return configured === '' ? nodeId : configured;
}

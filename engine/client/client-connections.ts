// What every client builds first: its connections to brokers and its view of the cluster's metadata, wired
// so that a failed connection (a request timeout or a reset) asks for fresh metadata and wakes the client.

import type { Runtime } from '../runtime.ts';
import { bootstrapNodes } from './client-config.ts';
import { ClientMetadata } from './client-metadata.ts';
import { NetworkClient } from './network-client.ts';

export interface ClientConnectionOptions {
  readonly clientId: string;
  readonly bootstrapServers: readonly string[];
  readonly requestTimeoutMs: number;
  readonly maxInFlightPerNode: number;
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly allowAutoTopicCreation: boolean;
  /** New metadata arrived. */
  readonly onMetadataUpdate: () => void;
  /** A connection failed; the client should run its next pass now (a timeout fails requests from a timer). */
  readonly wake: () => void;
}

export function connectClient(runtime: Runtime, options: ClientConnectionOptions): { network: NetworkClient; metadata: ClientMetadata } {
  let metadata: ClientMetadata | undefined;
  const network = new NetworkClient(runtime, {
    requestTimeoutMs: options.requestTimeoutMs,
    maxInFlightPerNode: options.maxInFlightPerNode,
    onDisconnect: () => {
      metadata?.requestUpdate();
      options.wake();
    },
  });
  metadata = new ClientMetadata(runtime, network, {
    clientId: options.clientId,
    bootstrap: bootstrapNodes(options.bootstrapServers),
    metadataMaxAgeMs: options.metadataMaxAgeMs,
    retryBackoffMs: options.retryBackoffMs,
    retryBackoffMaxMs: options.retryBackoffMaxMs,
    allowAutoTopicCreation: options.allowAutoTopicCreation,
    onUpdate: options.onMetadataUpdate,
  });
  return { network, metadata };
}

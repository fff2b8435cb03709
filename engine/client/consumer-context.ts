// What the consumer's parts share: the node's runtime, its connections and metadata, the partitions' states,
// the owner's listener, and the consumer's policies.

import type { Runtime } from '../runtime.ts';
import type { ClientMetadata } from './client-metadata.ts';
import type { ConsumerErrorName, ConsumerListener } from './consumer-types.ts';
import type { NetworkClient } from './network-client.ts';
import type { PartitionState } from './subscription-state.ts';

export type OffsetResetPolicy = 'earliest' | 'latest' | 'none';

export interface ConsumerContext {
  readonly runtime: Runtime;
  readonly network: NetworkClient;
  readonly metadata: ClientMetadata;
  readonly clientId: string;
  readonly listener: ConsumerListener;
  readonly resetPolicy: OffsetResetPolicy;
  /** The assigned partition's state, undefined if it is not assigned (any more). */
  state(key: string): PartitionState | undefined;
  /** Delays the partition's next request by the retry backoff. */
  backOff(state: PartitionState): void;
  /** Tells the owner; `fatal` stops the partition until seek(). */
  error(state: PartitionState, error: ConsumerErrorName, fatal: boolean, message: string): void;
}

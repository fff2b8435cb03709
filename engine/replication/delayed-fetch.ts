// A fetch long poll (Kafka's DelayedFetch): a fetch that found fewer than minBytes waits up to maxWaitMs for
// more. A follower's fetch is woken by appends to the leader's log, a consumer's by the high watermark
// moving (it reads only below it); both by leadership changes. Each wake-up reads again; the fetch answers as
// soon as it has minBytes, or an error or a divergence to report, and at maxWaitMs with whatever there is.

import type { FetchRequest } from '../protocol/fetch.ts';
import type { FetchReadResult } from './fetch-reader.ts';
import type { DelayedOperation } from './purgatory.ts';

/** Watch key of a follower fetch on a partition (woken by appends). */
export function followerFetchKey(partitionKey: string): string {
  return `fetch-follower:${partitionKey}`;
}

/** Watch key of a consumer fetch on a partition (woken by the high watermark). */
export function consumerFetchKey(partitionKey: string): string {
  return `fetch-consumer:${partitionKey}`;
}

export class DelayedFetch implements DelayedOperation {
  readonly keys: readonly string[];

  constructor(
    request: FetchRequest,
    /** A cheap check that a read could complete the fetch (see fetchMayComplete). */
    private readonly mayComplete: () => boolean,
    private readonly read: () => FetchReadResult,
    private readonly respond: (result: FetchReadResult) => void,
  ) {
    const keyOf = request.replicaId >= 0 ? followerFetchKey : consumerFetchKey;
    const keys: string[] = [];
    for (const topic of request.topics) for (const partition of topic.partitions) keys.push(keyOf(`${topic.topic}-${partition.partition}`));
    this.keys = keys;
    this.minBytes = request.minBytes;
  }

  private readonly minBytes: number;

  tryComplete(): boolean {
    if (!this.mayComplete()) return false;
    const result = this.read();
    if (result.bytes < this.minBytes && !result.mustAnswer) return false;
    this.respond(result);
    return true;
  }

  onExpiration(): void {
    this.respond(this.read());
  }
}

// Producer ids for InitProducerId (Kafka's RPCProducerIdManager).
//
// The active controller hands out blocks of ids (AllocateProducerIds, recorded in the metadata log, so no id
// is ever given twice). The broker serves ids from its current block and asks for the next block once 90% of
// the current one is used. With no id at hand it answers COORDINATOR_LOAD_IN_PROGRESS, which clients retry,
// and asks for a block.

import type { AllocateProducerIdsResponse } from '../protocol/allocate-producer-ids.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';
import type { TraceFields } from '../runtime.ts';

export interface ProducerIdBlockSource {
  /** Asks the controller for a block; `done` runs once with its answer. */
  allocate(done: (response: AllocateProducerIdsResponse) => void): void;
}

interface Block {
  next: number;
  readonly end: number;
  readonly prefetchAt: number;
}

export class ProducerIdManager {
  private current: Block | undefined;
  private prefetched: Block | undefined;
  private requesting = false;

  constructor(
    private readonly source: ProducerIdBlockSource,
    private readonly trace: (event: string, fields: TraceFields) => void,
  ) {}

  /** A fresh producer id, or undefined when none is at hand yet (a block has been asked for). */
  nextId(): number | undefined {
    if (this.current === undefined || this.current.next >= this.current.end) {
      this.current = this.prefetched;
      this.prefetched = undefined;
    }
    const block = this.current;
    if (block === undefined) {
      this.requestBlock();
      return undefined;
    }
    const id = block.next++;
    if (block.next >= block.prefetchAt && this.prefetched === undefined) this.requestBlock();
    return id;
  }

  /** Asks for a block ahead of need (when the broker has registered). */
  requestBlock(): void {
    if (this.requesting) return;
    this.requesting = true;
    this.source.allocate((response) => {
      this.requesting = false;
      if (response.errorCode !== ErrorCode.NONE || response.producerIdLen <= 0) {
        this.trace('broker.producer-ids-failed', { error: errorName(response.errorCode) });
        return;
      }
      const block: Block = {
        next: response.producerIdStart,
        end: response.producerIdStart + response.producerIdLen,
        prefetchAt: response.producerIdStart + Math.floor(response.producerIdLen * 0.9),
      };
      this.trace('broker.producer-ids', { start: block.next, length: response.producerIdLen });
      if (this.current === undefined || this.current.next >= this.current.end) this.current = block;
      else this.prefetched = block;
    });
  }
}

// Rebuilding a partition's producer state from its log: every batch header from the log start, in order.
//
// Kafka limits this scan with `.snapshot` files written at segment rolls; Tributary scans the headers of the
// whole log (no record is decoded), at load and after a truncation that took away every batch known of a
// producer. Header scanning costs a read of the log's bytes, which the page cache mostly serves.

import type { Log } from '../log/log.ts';
import { readBatchHeaders } from '../records/read-batches.ts';
import { isIdempotent, ProducerStateManager } from './producer-state.ts';

const SCAN_CHUNK_BYTES = 1 << 20;

/** Clears `state` and replays every idempotent batch of `log` into it. */
export function rebuildProducerState(log: Log, state: ProducerStateManager): void {
  state.clear();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { bytes, nextOffset } = log.read(offset, SCAN_CHUNK_BYTES);
    if (nextOffset <= offset) break;
    for (const header of readBatchHeaders(bytes)) {
      if (isIdempotent(header)) state.update(header, header.baseOffset, header.lastOffset);
    }
    offset = nextOffset;
  }
}

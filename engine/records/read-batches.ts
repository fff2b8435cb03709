// Walking concatenated batches, as a log read or a fetch response returns them.

import { readBatchHeader } from './batch-header.ts';
import type { BatchHeader } from './batch-header.ts';
import type { DecodedBatch } from './batch.ts';
import { decodeBatch } from './decode-batch.ts';

/**
 * Decodes every batch in bytes[position..], in order. Anything that is not a whole valid batch, including a
 * partial batch at the end (TRUNCATED_BATCH, or SHORT_BUFFER for fewer than 12 bytes), throws
 * CorruptRecordError when the iteration reaches it; the batches before it have been yielded. `verifyCrc`
 * false skips each batch's CRC check (a consumer's check.crcs=false).
 */
export function* readBatches(bytes: Uint8Array, position = 0, verifyCrc = true): Generator<DecodedBatch, void, undefined> {
  while (position < bytes.length) {
    const batch = decodeBatch(bytes, position, verifyCrc);
    yield batch;
    position += batch.sizeBytes;
  }
}

/**
 * Yields the header of every batch in bytes[position..] without verifying CRCs or reading records (for
 * indexing and scanning); the same errors as readBatchHeader end the iteration.
 */
export function* readBatchHeaders(bytes: Uint8Array, position = 0): Generator<BatchHeader & { position: number }, void, undefined> {
  while (position < bytes.length) {
    const header = readBatchHeader(bytes, position);
    yield { ...header, position };
    position += header.sizeBytes;
  }
}

// Compression of a batch's records section. We write and read gzip (node:zlib: pure computation, and
// deterministic for a given zlib build); snappy, lz4 and zstd are valid Kafka codecs we only recognise.

import { gunzipSync, gzipSync } from 'node:zlib';
import type { CompressionType } from './attributes.ts';
import { CorruptRecordError, InvalidRecordInputError } from './errors.ts';

export function compressRecords(compression: CompressionType, records: Uint8Array): Uint8Array {
  if (compression === 'gzip') return gzipSync(records);
  throw new InvalidRecordInputError('compression', `'${compression}' cannot be written; use 'none' or 'gzip'`);
}

/**
 * Decompresses a records section. `position` (where the section starts in the caller's buffer) is only for
 * error messages.
 */
export function decompressRecords(compression: CompressionType, compressed: Uint8Array, position: number): Uint8Array {
  if (compression !== 'gzip') {
    throw new CorruptRecordError('UNSUPPORTED_COMPRESSION', position, `the batch is compressed with ${compression}, which this codec does not read (only none and gzip)`);
  }
  try {
    return gunzipSync(compressed);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CorruptRecordError('BAD_COMPRESSION', position, `gzip records section of ${compressed.length} bytes does not decompress: ${why}`);
  }
}

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) in pure JavaScript, slicing-by-8.
//
// The oracle the tests hold the native crc32c against; it could replace the native module on a platform
// without one, at about a tenth of its speed (see bench/crc32c.bench.ts).

const POLYNOMIAL = 0x82f63b78;

/** TABLES[k][b]: CRC of byte b followed by k zero bytes; slicing-by-8 folds 8 bytes per step. */
const TABLES: Int32Array[] = buildTables();

function buildTables(): Int32Array[] {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[0][byte] = crc;
  }
  for (let byte = 0; byte < 256; byte++) {
    for (let k = 1; k < 8; k++) {
      const previous = tables[k - 1][byte];
      tables[k][byte] = (previous >>> 8) ^ tables[0][previous & 0xff];
    }
  }
  return tables;
}

/** CRC-32C of `bytes` as an unsigned 32-bit number; `initial` continues a previous CRC. */
export function crc32cTable(bytes: Uint8Array, initial = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let crc = ~initial;
  let i = 0;
  const fastEnd = bytes.length - 8;
  for (; i <= fastEnd; i += 8) {
    const low = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t7[low & 0xff] ^
      t6[(low >>> 8) & 0xff] ^
      t5[(low >>> 16) & 0xff] ^
      t4[low >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = (crc >>> 8) ^ t0[(crc ^ bytes[i]) & 0xff];
  return ~crc >>> 0;
}

// Kafka's murmur2 hash of a record key, the hash its default partitioner uses for keyed records.
//
// This is the 32-bit MurmurHash2 variant of Kafka's Utils.murmur2: seed 0x9747b28c, 4-byte little-endian
// blocks, Java int arithmetic (wrapping 32-bit multiplication, `>>>` shifts). Every Kafka client that claims
// "Java-compatible" partitioning computes exactly this, so a key lands on the same partition whoever writes it.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** The signed 32-bit murmur2 hash of `data`, equal to Kafka's Utils.murmur2(data). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const at = i << 2;
    let k = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The 1..3 trailing bytes, highest first (Java's switch falls through 3 -> 2 -> 1).
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which differs for negative numbers). */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/** The partition Kafka's default partitioner gives a keyed record. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

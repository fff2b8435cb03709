// Big-endian integer access on plain Uint8Arrays, without DataView or Buffer allocations.
//
// Kafka's int64 fields (offsets, timestamps, producer ids) become JS numbers: every real value fits in
// 53 bits, and a number is far cheaper than a bigint on the hot path. A stored value outside the safe range is
// reported as corruption, never rounded silently.

import { CorruptRecordError, InvalidRecordInputError } from './errors.ts';

const TWO_POW_32 = 4294967296;

export function readInt8(bytes: Uint8Array, position: number): number {
  return (bytes[position] << 24) >> 24;
}

export function readInt16(bytes: Uint8Array, position: number): number {
  return ((bytes[position] << 24) | (bytes[position + 1] << 16)) >> 16;
}

export function readInt32(bytes: Uint8Array, position: number): number {
  return (bytes[position] << 24) | (bytes[position + 1] << 16) | (bytes[position + 2] << 8) | bytes[position + 3];
}

export function readUint32(bytes: Uint8Array, position: number): number {
  return readInt32(bytes, position) >>> 0;
}

/** Reads a signed int64; throws UNSAFE_INTEGER if it does not fit a JS safe integer. */
export function readInt64(bytes: Uint8Array, position: number): number {
  const high = readInt32(bytes, position);
  const low = readUint32(bytes, position + 4);
  const value = high * TWO_POW_32 + low;
  // high * 2^32 is exact; rounding of the sum is monotonic, so an out-of-range value cannot round into range.
  if (!Number.isSafeInteger(value)) {
    throw new CorruptRecordError('UNSAFE_INTEGER', position, `int64 0x${(high >>> 0).toString(16)}${low.toString(16).padStart(8, '0')} is outside ±(2^53-1)`);
  }
  return value;
}

export function writeInt16(bytes: Uint8Array, position: number, value: number): void {
  bytes[position] = value >> 8;
  bytes[position + 1] = value;
}

export function writeInt32(bytes: Uint8Array, position: number, value: number): void {
  bytes[position] = value >>> 24;
  bytes[position + 1] = value >>> 16;
  bytes[position + 2] = value >>> 8;
  bytes[position + 3] = value;
}

/** Writes a signed int64 from a safe integer (checked by the caller with assertSafeInt64). */
export function writeInt64(bytes: Uint8Array, position: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  writeInt32(bytes, position, high | 0);
  writeInt32(bytes, position + 4, value - high * TWO_POW_32);
}

export function assertSafeInt64(field: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidRecordInputError(field, `must be a safe integer, got ${value}`);
  }
}

export function assertInt32(field: string, value: number): void {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new InvalidRecordInputError(field, `must be an int32, got ${value}`);
  }
}

export function assertInt16(field: string, value: number): void {
  if (!Number.isInteger(value) || value < -32768 || value > 32767) {
    throw new InvalidRecordInputError(field, `must be an int16, got ${value}`);
  }
}

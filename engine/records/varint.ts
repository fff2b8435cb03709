// Zigzag varints as in Kafka's records (and protobuf's sint32 / sint64).
//
// varint: a signed int32, zigzag-mapped to unsigned, written 7 bits a byte, low group first, at most 5 bytes.
// varlong: a signed int64 the same way, at most 10 bytes; here the value must be a JS safe integer.
// Reading accepts non-minimal encodings (Kafka's reader does too) but rejects, with BAD_VARINT, a varint that
// runs past `end`, one longer than its maximum, and bits beyond 32 / 64; a varlong outside ±(2^53-1) is
// UNSAFE_INTEGER. Numbers beyond 32 bits cannot use bitwise operators, so the wide paths use arithmetic.

import { CorruptRecordError, InvalidRecordInputError } from './errors.ts';

/** A read position that the read functions advance. */
export interface Cursor {
  position: number;
}

const TWO_POW_27 = 134217728;
const TWO_POW_30 = 1073741824;

/** Bytes taken by `value` (an int32) as a zigzag varint: 1..5. */
export function varintSize(value: number): number {
  const zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  if (zigzag < 0x80) return 1;
  if (zigzag < 0x4000) return 2;
  if (zigzag < 0x200000) return 3;
  if (zigzag < 0x10000000) return 4;
  return 5;
}

/** Bytes taken by `value` (a safe integer) as a zigzag varlong: 1..10 (at most 8 for safe integers). */
export function varlongSize(value: number): number {
  if (value >= -TWO_POW_30 && value < TWO_POW_30) return varintSize(value);
  // zigzag(value) = 2|v| for v >= 0, 2|v| - 1 for v < 0, and zigzag < 2^(7k) is tested exactly on |v|.
  const magnitude = Math.abs(value);
  const negative = value < 0;
  let size = 5;
  let half = 2 ** 34; // 2^(7*5) / 2
  while (negative ? magnitude > half : magnitude >= half) {
    size++;
    half *= 128;
  }
  return size;
}

/** Writes `value` (an int32) as a zigzag varint at `position`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, position: number, value: number): number {
  let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  while (zigzag >= 0x80) {
    bytes[position++] = (zigzag & 0x7f) | 0x80;
    zigzag >>>= 7;
  }
  bytes[position++] = zigzag;
  return position;
}

/** Writes `value` (a safe integer) as a zigzag varlong at `position`; returns the position after it. */
export function writeVarlong(bytes: Uint8Array, position: number, value: number): number {
  if (value >= -TWO_POW_30 && value < TWO_POW_30) return writeVarint(bytes, position, value);
  // zigzag = 2m (v >= 0) or 2m - 1 (v < 0), m = |v| may exceed 2^53 / 2 so 2m - 1 is not exact as a
  // double: split off the low 7 bits arithmetically, then the rest (< 2^47) is exact.
  const magnitude = Math.abs(value);
  const low6 = magnitude % 64;
  let rest = (magnitude - low6) / 64;
  let low7: number;
  if (value >= 0) {
    low7 = low6 * 2;
  } else if (low6 === 0) {
    low7 = 127;
    rest -= 1;
  } else {
    low7 = low6 * 2 - 1;
  }
  bytes[position++] = low7 | 0x80; // rest > 0: |v| >= 2^30 leaves bits above the first group
  while (rest >= 0x80) {
    const group = rest % 128;
    bytes[position++] = group | 0x80;
    rest = (rest - group) / 128;
  }
  bytes[position++] = rest;
  return position;
}

function badVarint(position: number, detail: string): CorruptRecordError {
  return new CorruptRecordError('BAD_VARINT', position, detail);
}

/** Reads a zigzag varint (int32) at cursor.position, not past `end`; advances the cursor. */
export function readVarint(bytes: Uint8Array, cursor: Cursor, end: number): number {
  // The one-byte case, inline-sized so that the optimizing compiler inlines it into record loops.
  const position = cursor.position;
  const byte = bytes[position];
  if (byte < 0x80 && position < end) {
    cursor.position = position + 1;
    return (byte >>> 1) ^ -(byte & 1);
  }
  // Two bytes: record lengths of 64..8191 bytes, the common case.
  const second = bytes[position + 1];
  if (second < 0x80 && position + 1 < end) {
    cursor.position = position + 2;
    const zigzag = (byte & 0x7f) | (second << 7);
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }
  return readVarintSlow(bytes, cursor, end);
}

function readVarintSlow(bytes: Uint8Array, cursor: Cursor, end: number): number {
  const start = cursor.position;
  let position = start;
  let zigzag = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (position >= end) throw badVarint(start, `varint runs past the end of its field at byte ${end}`);
    const byte = bytes[position++];
    if (shift === 28 && byte > 0x0f) {
      throw badVarint(start, `varint overflows 32 bits (5th byte 0x${byte.toString(16)})`);
    }
    zigzag |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      cursor.position = position;
      return (zigzag >>> 1) ^ -(zigzag & 1);
    }
  }
  throw badVarint(start, 'varint is longer than 5 bytes');
}

/** Reads a zigzag varlong at cursor.position, not past `end`; advances the cursor. Must be a safe integer. */
export function readVarlong(bytes: Uint8Array, cursor: Cursor, end: number): number {
  const position = cursor.position;
  const byte = bytes[position];
  if (byte < 0x80 && position < end) {
    cursor.position = position + 1;
    return (byte >>> 1) ^ -(byte & 1);
  }
  return readVarlongSlow(bytes, cursor, end);
}

function readVarlongSlow(bytes: Uint8Array, cursor: Cursor, end: number): number {
  const start = cursor.position;
  let position = start;
  // The first 4 groups (28 bits) fit bitwise arithmetic; the others accumulate in `high` as a number.
  let low = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (position >= end) throw badVarint(start, `varlong runs past the end of its field at byte ${end}`);
    const byte = bytes[position++];
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      cursor.position = position;
      return (low >>> 1) ^ -(low & 1);
    }
  }
  let high = 0;
  let scale = 1;
  for (let group = 4; group < 10; group++) {
    if (position >= end) throw badVarint(start, `varlong runs past the end of its field at byte ${end}`);
    const byte = bytes[position++];
    if (group === 9 && byte > 0x01) {
      throw badVarint(start, `varlong overflows 64 bits (10th byte 0x${byte.toString(16)})`);
    }
    high += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) {
      cursor.position = position;
      return zigzagDecodeWide(low, high, start);
    }
  }
  throw badVarint(start, 'varlong is longer than 10 bytes');
}

/** Decodes zigzag = high * 2^28 + low (low < 2^28) into a safe integer, or throws UNSAFE_INTEGER. */
function zigzagDecodeWide(low: number, high: number, position: number): number {
  // magnitude = floor(zigzag / 2), exact while high < 2^26 (then magnitude < 2^53).
  if (high >= 2 ** 26) {
    throw new CorruptRecordError('UNSAFE_INTEGER', position, 'varlong is outside ±(2^53-1)');
  }
  const magnitude = high * TWO_POW_27 + (low >>> 1);
  const value = (low & 1) === 0 ? magnitude : -magnitude - 1;
  if (!Number.isSafeInteger(value)) {
    throw new CorruptRecordError('UNSAFE_INTEGER', position, 'varlong is outside ±(2^53-1)');
  }
  return value;
}

/** Throws InvalidRecordInputError unless `value` can be written as a varint. */
export function assertVarint(field: string, value: number): void {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new InvalidRecordInputError(field, `must be an int32 to be written as a varint, got ${value}`);
  }
}

/** Throws InvalidRecordInputError unless `value` can be written as a varlong. */
export function assertVarlong(field: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidRecordInputError(field, `must be a safe integer to be written as a varlong, got ${value}`);
  }
}

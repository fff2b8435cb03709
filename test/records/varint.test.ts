import test from 'ava';
import { RandomStreams } from '../../sim/random.ts';
import { CorruptRecordError } from '../../engine/records/errors.ts';
import { readVarint, readVarlong, varintSize, varlongSize, writeVarint, writeVarlong } from '../../engine/records/varint.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function encodeVarint(value: number): Uint8Array {
  const out = new Uint8Array(10);
  return out.subarray(0, writeVarint(out, 0, value));
}

function encodeVarlong(value: number): Uint8Array {
  const out = new Uint8Array(10);
  return out.subarray(0, writeVarlong(out, 0, value));
}

function decodeVarint(bytes: Uint8Array): number {
  const cursor = { position: 0 };
  const value = readVarint(bytes, cursor, bytes.length);
  if (cursor.position !== bytes.length) throw new Error(`read ${cursor.position} of ${bytes.length} bytes`);
  return value;
}

function decodeVarlong(bytes: Uint8Array): number {
  const cursor = { position: 0 };
  const value = readVarlong(bytes, cursor, bytes.length);
  if (cursor.position !== bytes.length) throw new Error(`read ${cursor.position} of ${bytes.length} bytes`);
  return value;
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorruptRecordError) return error.reason;
    throw error;
  }
  return 'no error';
}

// Values and their zigzag varint bytes, as Kafka's ByteUtils.writeVarint / protobuf sint32 write them.
const knownVarints: Array<[number, string]> = [
  [0, '00'],
  [-1, '01'],
  [1, '02'],
  [-2, '03'],
  [63, '7e'],
  [-64, '7f'],
  [64, '8001'],
  [-65, '8101'],
  [8191, 'fe7f'],
  [8192, '808001'],
  [2147483647, 'feffffff0f'],
  [-2147483648, 'ffffffff0f'],
];

test('varints are written and read as Kafka encodes them', (t) => {
  for (const [value, bytes] of knownVarints) {
    t.is(hex(encodeVarint(value)), bytes, `write ${value}`);
    t.is(decodeVarint(Buffer.from(bytes, 'hex')), value, `read ${bytes}`);
    t.is(varintSize(value), bytes.length / 2, `size of ${value}`);
  }
});

// Beyond 32 bits a varlong cannot use bitwise operators: check the arithmetic path at its edges.
const knownVarlongs: Array<[number, string]> = [
  [2 ** 30, '8080808008'],
  [-(2 ** 30) - 1, '8180808008'],
  [2 ** 31, '8080808010'],
  [-(2 ** 31) - 1, '8180808010'],
  [2 ** 34 - 1, 'feffffff7f'],
  [2 ** 34, '808080808001'],
  [-(2 ** 34), 'ffffffff7f'],
  [-(2 ** 34) - 1, '818080808001'],
  [1_700_000_000_000, '80a0abfef962'],
  [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
  [Number.MIN_SAFE_INTEGER, 'fdffffffffffff1f'],
];

test('varlongs beyond 32 bits are written and read exactly', (t) => {
  for (const [value, bytes] of knownVarlongs) {
    t.is(hex(encodeVarlong(value)), bytes, `write ${value}`);
    t.is(decodeVarlong(Buffer.from(bytes, 'hex')), value, `read ${bytes}`);
    t.is(varlongSize(value), bytes.length / 2, `size of ${value}`);
  }
});

test('varlongs agree with a BigInt zigzag reference on random safe integers', (t) => {
  const random = new RandomStreams(7).stream('varlong');
  for (let i = 0; i < 5000; i++) {
    const magnitude = Math.floor(random.next() * 2 ** random.int(0, 53));
    const value = random.chance(0.5) ? -magnitude : magnitude;
    const big = BigInt(value);
    let zigzag = big >= 0n ? big * 2n : -big * 2n - 1n;
    const expected: number[] = [];
    while (zigzag >= 0x80n) {
      expected.push(Number(zigzag & 0x7fn) | 0x80);
      zigzag >>= 7n;
    }
    expected.push(Number(zigzag));
    const written = encodeVarlong(value);
    if (hex(written) !== hex(Uint8Array.from(expected)) || decodeVarlong(written) !== value || varlongSize(value) !== written.length) {
      t.fail(`varlong ${value}: wrote ${hex(written)}, expected ${hex(Uint8Array.from(expected))}`);
      return;
    }
  }
  t.pass();
});

test('varints round-trip on random int32 values', (t) => {
  const random = new RandomStreams(8).stream('varint');
  for (let i = 0; i < 5000; i++) {
    const value = random.int(-(2 ** 31), 2 ** 31 - 1) >> random.int(0, 31);
    const written = encodeVarint(value);
    if (decodeVarint(written) !== value || varintSize(value) !== written.length) {
      t.fail(`varint ${value} wrote ${hex(written)}`);
      return;
    }
  }
  t.pass();
});

test('a non-minimal varint is accepted, as Kafka accepts it', (t) => {
  t.is(decodeVarint(Buffer.from('8280808000', 'hex')), 1);
  t.is(decodeVarlong(Buffer.from('828000', 'hex')), 1);
});

test('a varint longer than 5 bytes or with bits beyond 32 is BAD_VARINT', (t) => {
  t.is(reasonOf(() => decodeVarint(Buffer.from('808080808000', 'hex'))), 'BAD_VARINT');
  t.is(reasonOf(() => decodeVarint(Buffer.from('ffffffff1f', 'hex'))), 'BAD_VARINT');
});

test('a varlong longer than 10 bytes or with bits beyond 64 is BAD_VARINT', (t) => {
  t.is(reasonOf(() => decodeVarlong(Buffer.from('8080808080808080808000', 'hex'))), 'BAD_VARINT');
  t.is(reasonOf(() => decodeVarlong(Buffer.from('ffffffffffffffffff03', 'hex'))), 'BAD_VARINT');
});

test('a varlong outside the safe integer range is UNSAFE_INTEGER, never rounded', (t) => {
  t.is(reasonOf(() => decodeVarlong(Buffer.from('8080808080808020', 'hex'))), 'UNSAFE_INTEGER', 'zigzag 2^54 = 2^53');
  t.is(reasonOf(() => decodeVarlong(Buffer.from('ffffffffffffff1f', 'hex'))), 'UNSAFE_INTEGER', 'zigzag 2^54 - 1 = -2^53');
  t.is(reasonOf(() => decodeVarlong(Buffer.from('ffffffffffffffffff01', 'hex'))), 'UNSAFE_INTEGER', 'int64 min');
});

test('a varint that runs past its end is BAD_VARINT, even when bytes follow in the buffer', (t) => {
  const bytes = Buffer.from('8001', 'hex');
  t.is(reasonOf(() => readVarint(bytes, { position: 0 }, 1)), 'BAD_VARINT');
  t.is(reasonOf(() => readVarint(bytes, { position: 2 }, 2)), 'BAD_VARINT');
  t.is(reasonOf(() => readVarlong(bytes, { position: 0 }, 1)), 'BAD_VARINT');
  t.is(reasonOf(() => readVarint(Buffer.from('00', 'hex'), { position: 0 }, 0)), 'BAD_VARINT');
  t.is(reasonOf(() => readVarlong(Buffer.from('00', 'hex'), { position: 0 }, 0)), 'BAD_VARINT');
});

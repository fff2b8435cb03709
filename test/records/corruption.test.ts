// Corrupt input gives a typed CorruptRecordError: never a crash, never a silently wrong record.
import test from 'ava';
import { RandomStreams } from '../../sim/random.ts';
import type { RandomStream } from '../../sim/random.ts';
import { decodeBatch, encodeBatch, readBatches } from '../../engine/records/batch.ts';
import type { DecodedBatch, RecordInput } from '../../engine/records/batch.ts';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { crc32cTable } from '../../engine/records/crc32c-table.ts';
import { CorruptRecordError } from '../../engine/records/errors.ts';
import type { CorruptionReason } from '../../engine/records/errors.ts';

const T0 = 1_700_000_000_000;

/** Rewrites the stored CRC so that a mutation inside the CRC region reaches the structural checks. */
function fixCrc(bytes: Uint8Array): Uint8Array {
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).writeUInt32BE(crc32cTable(bytes.subarray(21)), 17);
  return bytes;
}

function reasonOf(fn: () => unknown): CorruptionReason | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorruptRecordError) return error.reason;
    throw error;
  }
  return 'no error';
}

function randomRecords(random: RandomStream): RecordInput[] {
  return Array.from({ length: random.int(1, 6) }, (_, i) => ({
    key: random.chance(0.3) ? null : Uint8Array.from({ length: random.int(0, 8) }, () => random.int(0, 255)),
    value: random.chance(0.1) ? null : Uint8Array.from({ length: random.int(0, random.chance(0.2) ? 300 : 30) }, () => random.int(0, 255)),
    timestamp: T0 + i * random.int(0, 100_000),
    headers: random.chance(0.6) ? [] : [{ key: random.pick(['h', 'ключ', '']), value: random.chance(0.3) ? null : Uint8Array.of(1, 2) }],
  }));
}

function validBatch(random: RandomStream): Uint8Array {
  return encodeBatch({
    baseOffset: random.int(0, 1_000_000),
    partitionLeaderEpoch: random.int(-1, 50),
    compression: random.chance(0.25) ? 'gzip' : 'none',
    records: randomRecords(random),
  });
}

/** What decoding must never change when only bytes outside the CRC (baseOffset, partitionLeaderEpoch) moved. */
function payload(batch: DecodedBatch): unknown {
  return batch.records.map((r) => [r.offset - batch.baseOffset, r.timestamp, r.key, r.value, r.headers]);
}

/** Decodes; returns the batch or the error's reason; fails the test on anything but a CorruptRecordError. */
function decodeOrReason(bytes: Uint8Array): DecodedBatch | CorruptionReason {
  try {
    return decodeBatch(bytes);
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw new Error(`decodeBatch threw ${String(error)} instead of a CorruptRecordError`);
    if (!(error.position >= 0 && error.position <= bytes.length)) throw new Error(`error position ${error.position} outside the ${bytes.length}-byte input`);
    return error.reason;
  }
}

test('random bytes give a CorruptRecordError, never a crash', (t) => {
  const random = new RandomStreams(101).stream('random-bytes');
  const reasons = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    const bytes = Uint8Array.from({ length: random.int(0, 200) }, () => random.int(0, 255));
    if (random.chance(0.5) && bytes.length >= 61) {
      // Make the header plausible (length, magic, codec, safe int64s) so that random bytes reach deeper checks.
      for (const int64At of [0, 27, 35, 43]) bytes.fill(0, int64At, int64At + 2);
      Buffer.from(bytes.buffer).writeInt32BE(bytes.length - 12, 8);
      bytes[16] = 2;
      bytes[21] = 0;
      bytes[22] = random.int(0, 1);
      if (random.chance(0.5)) fixCrc(bytes);
    }
    const result = decodeOrReason(bytes);
    if (typeof result !== 'string') continue; // a valid batch by chance: allowed, it passed every check
    reasons.add(result);
  }
  t.true(reasons.size >= 6, `reasons seen: ${[...reasons].join(', ')}`);
});

test('a bit flip is caught, except in baseOffset and partitionLeaderEpoch, which change only those', (t) => {
  const random = new RandomStreams(102).stream('bit-flips');
  let outsideCrc = 0;
  for (let i = 0; i < 2000; i++) {
    const original = validBatch(random);
    const expected = decodeBatch(original);
    const bytes = Uint8Array.from(original);
    const bit = random.int(0, bytes.length * 8 - 1);
    bytes[bit >> 3] ^= 1 << (bit & 7);
    const result = decodeOrReason(bytes);
    const byte = bit >> 3;
    if (typeof result === 'string') continue;
    // Only the two stamped fields lie outside both the CRC and the length checks.
    if (!(byte < 8 || (byte >= 12 && byte < 16))) {
      t.fail(`a flip of bit ${bit} (byte ${byte}) went unnoticed`);
      return;
    }
    outsideCrc++;
    t.deepEqual(payload(result), payload(expected));
    t.not(byte < 8 ? result.baseOffset : result.partitionLeaderEpoch, byte < 8 ? expected.baseOffset : expected.partitionLeaderEpoch);
  }
  t.true(outsideCrc > 0, 'some flips hit the fields outside the CRC');
});

test('a truncated batch is TRUNCATED_BATCH or SHORT_BUFFER', (t) => {
  const random = new RandomStreams(103).stream('truncation');
  for (let i = 0; i < 1000; i++) {
    const bytes = validBatch(random);
    const cut = random.int(0, bytes.length - 1);
    const reason = reasonOf(() => decodeBatch(bytes.subarray(0, cut)));
    if (reason !== (cut < 12 ? 'SHORT_BUFFER' : 'TRUNCATED_BATCH')) {
      t.fail(`cut at ${cut} of ${bytes.length}: ${reason}`);
      return;
    }
  }
  t.pass();
});

test('a changed batchLength is caught by structure even though it lies outside the CRC', (t) => {
  const random = new RandomStreams(104).stream('length');
  for (let i = 0; i < 1000; i++) {
    const original = validBatch(random);
    // Room after the batch, so that a longer length still fits the buffer and must fail some other way.
    const bytes = new Uint8Array(original.length + 64);
    bytes.set(original);
    for (let j = original.length; j < bytes.length; j++) bytes[j] = random.int(0, 255);
    const length = original.length - 12;
    const changed = random.chance(0.5) ? length + random.int(-length, 64) : random.int(-(2 ** 31), 2 ** 31 - 1);
    if (changed === length) continue;
    Buffer.from(bytes.buffer).writeInt32BE(changed, 8);
    const result = decodeOrReason(bytes);
    if (typeof result !== 'string') {
      t.fail(`batchLength ${length} -> ${changed} went unnoticed`);
      return;
    }
  }
  t.pass();
});

test('a changed record count is COUNT_MISMATCH or TRAILING_BYTES even with a valid CRC', (t) => {
  const random = new RandomStreams(105).stream('count');
  for (let i = 0; i < 1000; i++) {
    const bytes = validBatch(random);
    const count = readBatchHeader(bytes, 0).recordCount;
    const changed = random.chance(0.7) ? count + random.pick([-2, -1, 1, 2, 1000]) : random.int(-(2 ** 31), 2 ** 31 - 1);
    if (changed === count) continue;
    Buffer.from(bytes.buffer).writeInt32BE(changed, 57);
    const reason = reasonOf(() => decodeBatch(fixCrc(bytes)));
    if (!['COUNT_MISMATCH', 'TRAILING_BYTES'].includes(reason)) {
      t.fail(`record count ${count} -> ${changed}: ${reason}`);
      return;
    }
  }
  t.pass();
});

test('mutated records behind a recomputed CRC give a typed error or a well-formed batch', (t) => {
  const random = new RandomStreams(106).stream('records');
  const reasons = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const bytes = encodeBatch({ records: randomRecords(random) });
    const header = readBatchHeader(bytes, 0);
    const mutations = random.int(1, 3);
    for (let m = 0; m < mutations; m++) {
      const at = random.int(61, bytes.length - 1);
      bytes[at] = random.chance(0.5) ? random.int(0, 255) : bytes[at] ^ (1 << random.int(0, 7));
    }
    const result = decodeOrReason(fixCrc(bytes));
    if (typeof result === 'string') {
      reasons.add(result);
      continue;
    }
    // A legal batch after all (e.g. a changed key byte): it must still account for every byte it declares.
    t.is(result.records.length, header.recordCount);
  }
  for (const expected of ['BAD_RECORD', 'BAD_VARINT', 'TRAILING_BYTES', 'BAD_OFFSET']) {
    t.true(reasons.has(expected), `${expected} among ${[...reasons].join(', ')}`);
  }
});

test('readBatches over a log with a corrupt batch yields the good ones before it, then a typed error', (t) => {
  const random = new RandomStreams(107).stream('log');
  for (let i = 0; i < 200; i++) {
    const batches = Array.from({ length: random.int(2, 5) }, () => validBatch(random));
    const log = new Uint8Array(batches.reduce((sum, b) => sum + b.length, 0));
    const starts: number[] = [];
    let position = 0;
    for (const batch of batches) {
      starts.push(position);
      log.set(batch, position);
      position += batch.length;
    }
    const victim = random.int(0, batches.length - 1);
    const at = starts[victim] + random.int(21, batches[victim].length - 1); // inside the CRC region
    log[at] ^= 0x10;
    let yielded = 0;
    const error = t.throws(() => {
      for (const batch of readBatches(log)) {
        t.is(batch.baseOffset, decodeBatch(batches[yielded]).baseOffset);
        yielded++;
      }
    });
    t.true(error instanceof CorruptRecordError);
    t.is(yielded, victim);
  }
});

test('header checks name what is wrong', (t) => {
  const bytes = encodeBatch({ records: [{ value: Uint8Array.of(1) }] });
  t.is(reasonOf(() => readBatchHeader(bytes.subarray(0, 11), 0)), 'SHORT_BUFFER');
  t.is(reasonOf(() => readBatchHeader(bytes, bytes.length)), 'SHORT_BUFFER');
  const withMagic = (magic: number) => {
    const copy = Uint8Array.from(bytes);
    copy[16] = magic;
    return copy;
  };
  t.is(reasonOf(() => readBatchHeader(withMagic(1), 0)), 'BAD_MAGIC');
  const shortLength = Uint8Array.from(bytes);
  Buffer.from(shortLength.buffer).writeInt32BE(48, 8);
  t.is(reasonOf(() => readBatchHeader(shortLength, 0)), 'BAD_LENGTH');
  const badCodec = Uint8Array.from(bytes);
  badCodec[22] = 0x05;
  t.is(reasonOf(() => readBatchHeader(badCodec, 0)), 'BAD_ATTRIBUTES');
  const unsafeOffset = Uint8Array.from(bytes);
  unsafeOffset[0] = 0x00;
  unsafeOffset[1] = 0x20; // 2^53
  t.is(reasonOf(() => readBatchHeader(unsafeOffset, 0)), 'UNSAFE_INTEGER');
  const negativeOffset = Uint8Array.from(bytes).fill(0xff, 0, 8); // -1
  t.is(reasonOf(() => decodeBatch(negativeOffset)), 'BAD_OFFSET');
  const flipped = Uint8Array.from(bytes);
  flipped[bytes.length - 1] ^= 1;
  const error = t.throws(() => decodeBatch(flipped), { instanceOf: CorruptRecordError });
  t.is(error?.reason, 'CRC_MISMATCH');
  t.regex(error?.message ?? '', /stored CRC-32C 0x[0-9a-f]+ but bytes 21\.\.\d+ give 0x[0-9a-f]+/);
});

test('a gzip batch whose compressed bytes are damaged is BAD_COMPRESSION', (t) => {
  const bytes = encodeBatch({ compression: 'gzip', records: [{ value: new Uint8Array(500).fill(3) }] });
  bytes[61 + 12] ^= 0xff; // inside the deflate stream
  bytes[bytes.length - 2] ^= 0xff; // the gzip trailer's length
  t.is(reasonOf(() => decodeBatch(fixCrc(bytes))), 'BAD_COMPRESSION');
});

/** A batch whose records section is `sectionHex`, with count, lastOffsetDelta, length and CRC made consistent. */
function batchWithSection(sectionHex: string, recordCount: number, lastOffsetDelta = recordCount - 1): Uint8Array {
  const section = Buffer.from(sectionHex.replace(/\s+/g, ''), 'hex');
  const bytes = Buffer.alloc(61 + section.length);
  bytes.set(encodeBatch({ records: [] }).subarray(0, 61));
  section.copy(bytes, 61);
  bytes.writeInt32BE(bytes.length - 12, 8);
  bytes.writeInt32BE(lastOffsetDelta, 23);
  bytes.writeInt32BE(recordCount, 57);
  return fixCrc(Uint8Array.from(bytes));
}

test('hand-made malformed records are caught by the check that names them', (t) => {
  // A well-formed record: length 9 | attributes | timestampDelta 0 | offsetDelta 0 | key "a" | value "xy" | 0 headers
  const good = '12 00 00 00 02 61 04 78 79 00';
  t.is(decodeBatch(batchWithSection(good, 1)).records.length, 1);
  const cases: Array<[string, string, number, CorruptionReason, number?]> = [
    ['a record longer than its fields', '14 00 00 00 02 61 04 78 79 00 00  12 00 00 02 02 61 04 78 79 00', 2, 'TRAILING_BYTES'],
    ['bytes after the last record', `${good} 00`, 1, 'TRAILING_BYTES'],
    ['fewer records than declared', good, 2, 'COUNT_MISMATCH'],
    ['a key longer than its record', '12 00 00 00 0c 61 04 78 79 00', 1, 'BAD_RECORD'],
    ['a key length of -2', '12 00 00 00 03 61 04 78 79 00', 1, 'BAD_RECORD'],
    ['a negative header count', '12 00 00 00 02 61 04 78 79 01', 1, 'BAD_RECORD'],
    ['a null header key', '18 00 00 00 02 61 04 78 79 02 01 02 21', 1, 'BAD_RECORD'],
    ['a record shorter than the smallest record', '0a 00 00 00 02 61 04 78', 1, 'BAD_RECORD'],
    ['a record length running past the batch', '7e 00 00 00 02 61 04 78 79 00', 1, 'BAD_RECORD'],
    ['a varint cut by its record end', '0c 00 00 00 02 61 ff 01 00 00', 1, 'BAD_VARINT'],
    ['an offsetDelta that does not rise', `${good} ${good}`, 2, 'BAD_OFFSET'],
    ['an offsetDelta beyond lastOffsetDelta', '12 00 00 04 02 61 04 78 79 00', 1, 'BAD_OFFSET', 1],
  ];
  for (const [what, section, count, reason, lastOffsetDelta] of cases) {
    t.is(reasonOf(() => decodeBatch(batchWithSection(section, count, lastOffsetDelta))), reason, what);
  }
});

import test from 'ava';
import { RandomStreams } from '../../sim/random.ts';
import type { RandomStream } from '../../sim/random.ts';
import { decodeBatch, encodeBatch, readBatches, readBatchHeaders } from '../../engine/records/batch.ts';
import type { BatchInput, RecordInput } from '../../engine/records/batch.ts';
import { readBatchHeader, setBaseOffset, setMaxTimestampAndType, setPartitionLeaderEpoch, verifyBatchCrc } from '../../engine/records/batch-header.ts';
import { InvalidRecordInputError } from '../../engine/records/errors.ts';

const T0 = 1_700_000_000_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function randomBytes(random: RandomStream, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(0, 255));
}

function randomRecords(random: RandomStream, count: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: random.chance(0.2) ? null : randomBytes(random, random.int(0, 20)),
    value: random.chance(0.1) ? null : randomBytes(random, random.int(0, random.chance(0.1) ? 5000 : 200)),
    timestamp: T0 + random.int(-100_000, 100_000) * (i % 3),
    headers: random.chance(0.5)
      ? []
      : Array.from({ length: random.int(1, 3) }, () => ({
          key: random.pick(['trace-id', 'ü-ñ', '日本', '🎉 emoji', '']),
          value: random.chance(0.2) ? null : randomBytes(random, random.int(0, 10)),
        })),
  }));
}

test('random batches round-trip through encode and decode, plain and gzip', (t) => {
  const random = new RandomStreams(1).stream('batches');
  for (let i = 0; i < 200; i++) {
    const records = randomRecords(random, random.int(1, 40));
    const input = {
      baseOffset: random.int(0, 2 ** 40),
      partitionLeaderEpoch: random.int(-1, 1000),
      producerId: random.int(-1, 2 ** 45),
      producerEpoch: random.int(-1, 32767),
      baseSequence: random.int(-1, 2 ** 31 - 1),
      isTransactional: random.chance(0.3),
      compression: random.chance(0.5) ? ('gzip' as const) : ('none' as const),
      records,
    } satisfies BatchInput;
    const decoded = decodeBatch(encodeBatch(input));
    t.is(decoded.baseOffset, input.baseOffset);
    t.is(decoded.partitionLeaderEpoch, input.partitionLeaderEpoch);
    t.is(decoded.producerId, input.producerId);
    t.is(decoded.producerEpoch, input.producerEpoch);
    t.is(decoded.baseSequence, input.baseSequence);
    t.is(decoded.isTransactional, input.isTransactional);
    t.is(decoded.compression, input.compression);
    t.is(decoded.recordCount, records.length);
    t.is(decoded.lastOffset, input.baseOffset + records.length - 1);
    t.is(decoded.maxTimestamp, Math.max(...records.map((r) => r.timestamp!)));
    t.deepEqual(
      decoded.records,
      records.map((r, index) => ({ offset: input.baseOffset + index, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers })),
    );
  }
});

test('defaults are those of a plain, non-idempotent producer batch', (t) => {
  const header = readBatchHeader(encodeBatch({ records: [{ value: text('v') }] }), 0);
  t.like(header, {
    baseOffset: 0,
    partitionLeaderEpoch: -1,
    producerId: -1,
    producerEpoch: -1,
    baseSequence: -1,
    baseTimestamp: -1,
    maxTimestamp: -1,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: false,
    isControl: false,
  });
});

test('records without a timestamp take the batch input timestamp', (t) => {
  const decoded = decodeBatch(encodeBatch({ timestamp: T0, records: [{ value: null }, { timestamp: T0 + 9, value: null }] }));
  t.deepEqual(
    decoded.records.map((r) => r.timestamp),
    [T0, T0 + 9],
  );
});

test('a compacted batch keeps its offset gaps and its lastOffsetDelta', (t) => {
  const bytes = encodeBatch({ baseOffset: 100, lastOffsetDelta: 9, records: [{ offsetDelta: 2, value: text('a') }, { offsetDelta: 7, value: text('b') }] });
  const decoded = decodeBatch(bytes);
  t.deepEqual(
    decoded.records.map((r) => r.offset),
    [102, 107],
  );
  t.is(decoded.lastOffset, 109);
});

test('an empty batch encodes and decodes with no records', (t) => {
  const decoded = decodeBatch(encodeBatch({ baseOffset: 4, lastOffsetDelta: 2, timestamp: T0, records: [] }));
  t.is(decoded.recordCount, 0);
  t.deepEqual(decoded.records, []);
  t.is(decoded.lastOffset, 6);
  t.is(decoded.maxTimestamp, T0);
});

test('control and transactional flags survive the round trip', (t) => {
  const decoded = decodeBatch(encodeBatch({ isControl: true, isTransactional: true, producerId: 5, producerEpoch: 1, records: [{ key: Uint8Array.of(0, 0, 0, 1), value: Uint8Array.of(0, 0, 0, 0, 0, 0) }] }));
  t.true(decoded.isControl);
  t.true(decoded.isTransactional);
  t.is(decoded.attributes, 0x30);
});

test('under LogAppendTime every record reads as the batch maxTimestamp', (t) => {
  const bytes = encodeBatch({ records: [{ timestamp: T0, value: null }, { timestamp: T0 + 50, value: null }] });
  setMaxTimestampAndType(bytes, 0, 'LogAppendTime', T0 + 1000);
  const decoded = decodeBatch(bytes);
  t.is(decoded.timestampType, 'LogAppendTime');
  t.deepEqual(
    decoded.records.map((r) => r.timestamp),
    [T0 + 1000, T0 + 1000],
  );
  setMaxTimestampAndType(bytes, 0, 'CreateTime', T0 + 50);
  t.deepEqual(
    decodeBatch(bytes).records.map((r) => r.timestamp),
    [T0, T0 + 50],
  );
});

test('stamping baseOffset and partitionLeaderEpoch in place keeps the CRC valid', (t) => {
  const bytes = encodeBatch({ records: [{ value: text('x') }, { value: text('y') }] });
  const crcBefore = readBatchHeader(bytes, 0).crc;
  setBaseOffset(bytes, 0, 2 ** 45 + 3);
  setPartitionLeaderEpoch(bytes, 0, 17);
  const header = readBatchHeader(bytes, 0);
  t.is(header.crc, crcBefore);
  t.true(verifyBatchCrc(bytes, 0, header));
  t.is(header.partitionLeaderEpoch, 17);
  t.deepEqual(
    decodeBatch(bytes).records.map((r) => r.offset),
    [2 ** 45 + 3, 2 ** 45 + 4],
  );
});

test('stamping refuses values the field cannot hold', (t) => {
  const bytes = encodeBatch({ records: [{ value: null }] });
  t.throws(() => setBaseOffset(bytes, 0, 2 ** 53), { instanceOf: InvalidRecordInputError });
  t.throws(() => setPartitionLeaderEpoch(bytes, 0, 2 ** 31), { instanceOf: InvalidRecordInputError });
  t.throws(() => setMaxTimestampAndType(bytes, 0, 'LogAppendTime', 0.5), { instanceOf: InvalidRecordInputError });
});

test('readBatches walks concatenated batches at any buffer offset', (t) => {
  const batches = [0, 3, 10].map((baseOffset, i) =>
    encodeBatch({ baseOffset, compression: i === 1 ? 'gzip' : 'none', records: Array.from({ length: i + 1 }, (_, r) => ({ value: text(`${baseOffset}-${r}`) })) }),
  );
  const total = batches.reduce((sum, b) => sum + b.length, 0);
  const backing = new Uint8Array(total + 7);
  let position = 7;
  for (const batch of batches) {
    backing.set(batch, position);
    position += batch.length;
  }
  const log = backing.subarray(7);
  const values = [...readBatches(log)].flatMap((batch) => batch.records.map((r) => `${r.offset}:${new TextDecoder().decode(r.value!)}`));
  t.deepEqual(values, ['0:0-0', '3:3-0', '4:3-1', '10:10-0', '11:10-1', '12:10-2']);
  t.deepEqual(
    [...readBatchHeaders(log)].map((h) => [h.position, h.baseOffset, h.lastOffset]),
    [
      [0, 0, 0],
      [batches[0].length, 3, 4],
      [batches[0].length + batches[1].length, 10, 12],
    ],
  );
});

test('readBatches yields the whole batches before a torn tail, then throws TRUNCATED_BATCH', (t) => {
  const first = encodeBatch({ records: [{ value: text('a') }] });
  const second = encodeBatch({ baseOffset: 1, records: [{ value: text('b') }] });
  const log = new Uint8Array(first.length + second.length - 5);
  log.set(first, 0);
  log.set(second.subarray(0, second.length - 5), first.length);
  const seen: number[] = [];
  const error = t.throws(() => {
    for (const batch of readBatches(log)) seen.push(batch.baseOffset);
  });
  t.deepEqual(seen, [0]);
  t.like(error, { name: 'CorruptRecordError', reason: 'TRUNCATED_BATCH', position: first.length });
});

test('the encoder names the input field it cannot write', (t) => {
  const cases: Array<[BatchInput, string]> = [
    [{ baseOffset: -1, records: [] }, 'baseOffset'],
    [{ baseOffset: 2 ** 53, records: [] }, 'baseOffset'],
    [{ producerEpoch: 40000, records: [] }, 'producerEpoch'],
    [{ partitionLeaderEpoch: 1.5, records: [] }, 'partitionLeaderEpoch'],
    [{ records: [{ timestamp: T0 }, { timestamp: Number.NaN }] }, 'records[1].timestamp'],
    [{ records: [{ offsetDelta: 3 }, { offsetDelta: 3 }] }, 'records[1].offsetDelta'],
    [{ lastOffsetDelta: 0, records: [{ offsetDelta: 3 }] }, 'lastOffsetDelta'],
    [{ records: [{ headers: [{ key: null as unknown as string, value: null }] }] }, 'records[0].headers[0].key'],
    [{ compression: 'zstd' as 'gzip', records: [] }, 'compression'],
  ];
  for (const [input, field] of cases) {
    const error = t.throws(() => encodeBatch(input), { instanceOf: InvalidRecordInputError }, field);
    t.is(error?.field, field);
  }
});

test('a gzip batch decodes to views into its decompressed records', (t) => {
  const value = new Uint8Array(10_000).fill(7);
  const bytes = encodeBatch({ compression: 'gzip', records: [{ value }] });
  t.true(bytes.length < 200, `10 kB of sevens compress (got ${bytes.length} bytes)`);
  const [record] = decodeBatch(bytes).records;
  t.deepEqual(record.value, value);
  t.not(record.value!.buffer, bytes.buffer);
});

test('encoding is deterministic: the same input gives the same bytes', (t) => {
  const input: BatchInput = { compression: 'gzip', records: randomRecords(new RandomStreams(3).stream('x'), 20) };
  t.deepEqual(encodeBatch(input), encodeBatch(input));
});

// Compatibility with @platformatic/kafka's RecordBatch codec, both ways (its code is only called here).
import test from 'ava';
import { createRecordsBatch, readRecordsBatch, Reader } from '@platformatic/kafka';
import type { MessageRecord, RecordsBatch } from '@platformatic/kafka';
import { RandomStreams } from '../../sim/random.ts';
import type { RandomStream } from '../../sim/random.ts';
import { decodeBatch, encodeBatch } from '../../engine/records/batch.ts';
import type { BatchInput, DecodedBatch } from '../../engine/records/batch.ts';
import { CorruptRecordError } from '../../engine/records/errors.ts';

const T0 = 1_700_000_000_000;
const hexOrNull = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));

function comparablePlatformatic(batch: RecordsBatch): unknown {
  return {
    baseOffset: Number(batch.firstOffset),
    batchLength: batch.length,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    crc: batch.crc,
    attributes: batch.attributes,
    lastOffsetDelta: batch.lastOffsetDelta,
    baseTimestamp: Number(batch.firstTimestamp),
    maxTimestamp: Number(batch.maxTimestamp),
    producerId: Number(batch.producerId),
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.firstSequence,
    records: batch.records.map((r) => ({
      offset: Number(batch.firstOffset) + r.offsetDelta,
      timestamp: Number(batch.firstTimestamp + r.timestampDelta),
      key: hexOrNull(r.key),
      value: hexOrNull(r.value),
      headers: r.headers.map(([k, v]) => [k === null ? null : k.toString('utf8'), hexOrNull(v)]),
    })),
  };
}

function comparableOurs(batch: DecodedBatch): unknown {
  return {
    baseOffset: batch.baseOffset,
    batchLength: batch.batchLength,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    crc: batch.crc,
    attributes: batch.attributes,
    lastOffsetDelta: batch.lastOffsetDelta,
    baseTimestamp: batch.baseTimestamp,
    maxTimestamp: batch.maxTimestamp,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    records: batch.records.map((r) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      key: hexOrNull(r.key),
      value: hexOrNull(r.value),
      headers: r.headers.map((h) => [h.key, hexOrNull(h.value)]),
    })),
  };
}

function randomBuffer(random: RandomStream, maxLength: number): Buffer {
  return Buffer.from(Array.from({ length: random.int(0, maxLength) }, () => random.int(0, 255)));
}

interface Sample {
  key: Buffer | null;
  value: Buffer;
  timestamp: number;
  headers: Array<[string, Buffer]>;
}

function randomSamples(random: RandomStream): Sample[] {
  return Array.from({ length: random.int(1, 30) }, () => ({
    key: random.chance(0.2) ? null : randomBuffer(random, 16),
    value: randomBuffer(random, 300),
    timestamp: T0 + random.int(0, 5000),
    headers: random.chance(0.5) ? [] : [['trace-id', randomBuffer(random, 8)], ['ünïcode', randomBuffer(random, 3)]],
  }));
}

for (const compression of ['none', 'gzip'] as const) {
  test(`@platformatic/kafka decodes the batches we encode field for field (${compression})`, (t) => {
    const random = new RandomStreams(31).stream(`ours-to-platformatic-${compression}`);
    for (let i = 0; i < 40; i++) {
      const input: BatchInput = {
        baseOffset: random.int(0, 2 ** 42),
        partitionLeaderEpoch: random.int(0, 500),
        producerId: random.int(0, 2 ** 40),
        producerEpoch: random.int(0, 100),
        baseSequence: random.int(0, 100_000),
        compression,
        records: randomSamples(random).map((s) => ({ key: s.key, value: s.value, timestamp: s.timestamp, headers: s.headers.map(([key, value]) => ({ key, value })) })),
      };
      const bytes = Buffer.from(encodeBatch(input));
      t.deepEqual(comparablePlatformatic(readRecordsBatch(Reader.from(bytes))), comparableOurs(decodeBatch(bytes)));
    }
  });

  test(`we decode the batches @platformatic/kafka encodes field for field (${compression})`, (t) => {
    const random = new RandomStreams(32).stream(`platformatic-to-ours-${compression}`);
    for (let i = 0; i < 40; i++) {
      const samples = randomSamples(random);
      const messages: MessageRecord[] = samples.map((s) => ({
        topic: 't',
        key: s.key ?? undefined,
        value: s.value,
        timestamp: BigInt(s.timestamp),
        headers: new Map(s.headers.map(([k, v]) => [Buffer.from(k), v])),
      }));
      const bytes = createRecordsBatch(messages, { compression, producerId: 99n, producerEpoch: 3, partitionLeaderEpoch: 4 }).buffer;
      const ours = decodeBatch(bytes);
      t.deepEqual(comparableOurs(ours), comparablePlatformatic(readRecordsBatch(Reader.from(bytes))));
      t.is(ours.compression, compression);
      t.deepEqual(
        ours.records.map((r) => [r.timestamp, r.headers.map((h) => h.key)]),
        samples.map((s) => [s.timestamp, s.headers.map(([k]) => k)]),
      );
    }
  });
}

for (const compression of ['snappy', 'lz4'] as const) {
  test(`a ${compression} batch is a typed UNSUPPORTED_COMPRESSION error`, (t) => {
    const bytes = createRecordsBatch([{ topic: 't', value: Buffer.from('v'), timestamp: BigInt(T0) }], { compression }).buffer;
    const error = t.throws(() => decodeBatch(bytes), { instanceOf: CorruptRecordError });
    t.is(error?.reason, 'UNSUPPORTED_COMPRESSION');
    t.regex(error?.message ?? '', new RegExp(compression));
  });
}

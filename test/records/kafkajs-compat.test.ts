// Compatibility with kafkajs's RecordBatch v2 codec, both ways (its code is only called here, never copied).
import test from 'ava';
import { createRequire } from 'node:module';
import { RandomStreams } from '../../sim/random.ts';
import type { RandomStream } from '../../sim/random.ts';
import { decodeBatch, encodeBatch } from '../../engine/records/batch.ts';
import type { BatchInput, DecodedBatch, RecordHeader } from '../../engine/records/batch.ts';
import { setMaxTimestampAndType } from '../../engine/records/batch-header.ts';

const require = createRequire(import.meta.url);

interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | Array<Buffer | null>>;
}
interface KafkajsBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  timestampType: number;
  records: KafkajsRecord[];
}
interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | null>;
}

const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<KafkajsBatch>;
const { RecordBatch: kafkajsEncodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (input: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const kafkajsEncodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (input: KafkajsRecordInput) => unknown;
const KAFKAJS_GZIP = 1;

const T0 = 1_700_000_000_000;
const hexOrNull = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));

/** kafkajs gives headers as an object, a repeated key as an array of its values. */
function headersAsKafkajs(headers: readonly RecordHeader[]): Record<string, string | null | Array<string | null>> {
  const out: Record<string, string | null | Array<string | null>> = {};
  for (const { key, value } of headers) {
    const existing = out[key];
    const hex = hexOrNull(value);
    if (existing === undefined) out[key] = hex;
    else out[key] = Array.isArray(existing) ? [...existing, hex] : [existing, hex];
  }
  return out;
}

function comparableKafkajs(batch: KafkajsBatch): unknown {
  return {
    baseOffset: Number(batch.firstOffset),
    baseTimestamp: Number(batch.firstTimestamp),
    maxTimestamp: Number(batch.maxTimestamp),
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    isTransactional: batch.inTransaction,
    isControl: batch.isControlBatch,
    lastOffsetDelta: batch.lastOffsetDelta,
    producerId: Number(batch.producerId),
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.firstSequence,
    timestampType: batch.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
    records: batch.records.map((r) => ({
      offset: Number(r.offset),
      timestamp: Number(r.timestamp),
      key: hexOrNull(r.key),
      value: hexOrNull(r.value),
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(hexOrNull) : hexOrNull(v)])),
    })),
  };
}

function comparableOurs(batch: DecodedBatch): unknown {
  return {
    baseOffset: batch.baseOffset,
    baseTimestamp: batch.baseTimestamp,
    maxTimestamp: batch.maxTimestamp,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    isTransactional: batch.isTransactional,
    isControl: batch.isControl,
    lastOffsetDelta: batch.lastOffsetDelta,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    timestampType: batch.timestampType,
    records: batch.records.map((r) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      key: hexOrNull(r.key),
      value: hexOrNull(r.value),
      headers: headersAsKafkajs(r.headers),
    })),
  };
}

function randomBuffer(random: RandomStream, maxLength: number): Buffer {
  return Buffer.from(Array.from({ length: random.int(0, maxLength) }, () => random.int(0, 255)));
}

function randomInput(random: RandomStream, compression: 'none' | 'gzip'): BatchInput {
  const count = random.int(1, 30);
  return {
    baseOffset: random.int(0, 2 ** 42),
    partitionLeaderEpoch: random.int(0, 500),
    producerId: random.int(0, 2 ** 40),
    producerEpoch: random.int(0, 100),
    baseSequence: random.int(0, 100_000),
    isTransactional: random.chance(0.3),
    compression,
    records: Array.from({ length: count }, () => ({
      key: random.chance(0.2) ? null : randomBuffer(random, 16),
      value: random.chance(0.1) ? null : randomBuffer(random, 300),
      timestamp: T0 + random.int(0, 5000),
      headers: random.chance(0.5)
        ? []
        : [
            { key: 'trace-id', value: randomBuffer(random, 8) },
            { key: 'café', value: random.chance(0.3) ? null : randomBuffer(random, 4) },
            ...(random.chance(0.3) ? [{ key: 'trace-id', value: randomBuffer(random, 3) }] : []),
          ],
    })),
  };
}

function withoutNullHeaderValues(input: BatchInput): BatchInput {
  return {
    ...input,
    records: input.records.map((r) => ({ ...r, headers: r.headers?.map((h) => ({ key: h.key, value: h.value ?? Buffer.alloc(0) })) })),
  };
}

for (const compression of ['none', 'gzip'] as const) {
  test(`kafkajs decodes the batches we encode field for field (${compression})`, async (t) => {
    const random = new RandomStreams(21).stream(`ours-to-kafkajs-${compression}`);
    for (let i = 0; i < 40; i++) {
      const bytes = encodeBatch(randomInput(random, compression));
      const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(Buffer.from(bytes)));
      t.deepEqual(comparableKafkajs(theirs), comparableOurs(decodeBatch(bytes)));
    }
  });

  test(`we decode the batches kafkajs encodes field for field (${compression})`, async (t) => {
    const random = new RandomStreams(22).stream(`kafkajs-to-ours-${compression}`);
    for (let i = 0; i < 40; i++) {
      // kafkajs cannot write a null header value (it takes the byte length of null): none here.
      const input = withoutNullHeaderValues(randomInput(random, compression));
      const records = input.records;
      const baseTimestamp = records[0].timestamp!;
      const bytes = (
        await kafkajsEncodeBatch({
          compression: compression === 'gzip' ? KAFKAJS_GZIP : 0,
          firstOffset: String(input.baseOffset),
          firstTimestamp: baseTimestamp,
          maxTimestamp: Math.max(...records.map((r) => r.timestamp!)),
          partitionLeaderEpoch: input.partitionLeaderEpoch,
          lastOffsetDelta: records.length - 1,
          transactional: input.isTransactional,
          producerId: String(input.producerId),
          producerEpoch: input.producerEpoch,
          firstSequence: input.baseSequence,
          records: records.map((r, offsetDelta) =>
            kafkajsEncodeRecord({
              offsetDelta,
              timestampDelta: r.timestamp! - baseTimestamp,
              key: r.key as Buffer | null,
              value: r.value as Buffer | null,
              // kafkajs takes headers as an object: one value per key.
              headers: Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value as Buffer | null])),
            }),
          ),
        })
      ).buffer;
      const ours = decodeBatch(bytes);
      const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(bytes));
      t.deepEqual(comparableOurs(ours), comparableKafkajs(theirs));
      t.is(ours.compression, compression);
      t.deepEqual(
        ours.records.map((r) => r.offset),
        records.map((_, index) => input.baseOffset! + index),
      );
    }
  });
}

test('an uncompressed batch is byte-identical to the one kafkajs writes for the same input', async (t) => {
  const key = Buffer.from('key-1');
  const input: BatchInput = {
    baseOffset: 42,
    partitionLeaderEpoch: 0,
    producerId: 7,
    producerEpoch: 0,
    baseSequence: 0,
    records: [
      { key, value: Buffer.from('hello'), timestamp: T0, headers: [{ key: 'a', value: Buffer.from('1') }] },
      { key: null, value: null, timestamp: T0 + 3, headers: [{ key: 'b', value: Buffer.alloc(0) }] },
      { key, value: Buffer.alloc(300, 9), timestamp: T0 - 2 },
    ],
  };
  const theirs = await kafkajsEncodeBatch({
    firstOffset: '42',
    firstTimestamp: T0,
    maxTimestamp: T0 + 3,
    lastOffsetDelta: 2,
    producerId: '7',
    records: input.records.map((r, offsetDelta) =>
      kafkajsEncodeRecord({
        offsetDelta,
        timestampDelta: r.timestamp! - T0,
        key: r.key as Buffer | null,
        value: r.value as Buffer | null,
        headers: Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value as Buffer | null])),
      }),
    ),
  });
  t.is(Buffer.from(encodeBatch(input)).toString('hex'), theirs.buffer.toString('hex'));
});

test('kafkajs reads LogAppendTime as we stamp it', async (t) => {
  const bytes = encodeBatch({ records: [{ timestamp: T0, value: null }, { timestamp: T0 + 1, value: null }] });
  setMaxTimestampAndType(bytes, 0, 'LogAppendTime', T0 + 99);
  const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(Buffer.from(bytes)));
  t.deepEqual(comparableKafkajs(theirs), comparableOurs(decodeBatch(bytes)));
  t.deepEqual(
    theirs.records.map((r) => Number(r.timestamp)),
    [T0 + 99, T0 + 99],
  );
});

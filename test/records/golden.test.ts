import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeBatch, encodeBatch } from '../../engine/records/batch.ts';
import type { BatchInput } from '../../engine/records/batch.ts';
import { readBatchHeader, verifyBatchCrc } from '../../engine/records/batch-header.ts';
import { crc32cTable } from '../../engine/records/crc32c-table.ts';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (buffer: Buffer) => number;

function readHexFixture(name: string): Uint8Array {
  const text = readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

const T0 = 1_700_000_000_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const goldenInput: BatchInput = {
  baseOffset: 5,
  partitionLeaderEpoch: 3,
  producerId: 1000,
  producerEpoch: 2,
  baseSequence: 7,
  records: [
    { timestamp: T0, key: text('a'), value: text('xy') },
    { timestamp: T0 + 5, key: null, value: text('z'), headers: [{ key: 'h', value: text('!') }] },
  ],
};

const golden = readHexFixture('golden-batch.hex');

test('the hand-written golden batch has the length and CRC the Kafka spec requires', (t) => {
  t.is(golden.length, 83);
  const crcRegion = golden.subarray(21);
  const stored = Buffer.from(golden).readUInt32BE(17);
  t.is(crc32cTable(crcRegion), stored);
  t.is(kafkajsCrc32c(Buffer.from(crcRegion)) >>> 0, stored, 'an independent CRC-32C agrees');
});

test('encodeBatch writes the golden batch byte for byte', (t) => {
  t.deepEqual(Buffer.from(encodeBatch(goldenInput)).toString('hex'), Buffer.from(golden).toString('hex'));
});

test('readBatchHeader reads every golden header field', (t) => {
  const header = readBatchHeader(golden, 0);
  t.deepEqual(header, {
    baseOffset: 5,
    batchLength: 71,
    sizeBytes: 83,
    partitionLeaderEpoch: 3,
    magic: 2,
    crc: 0xc76d4018,
    attributes: 0,
    lastOffsetDelta: 1,
    lastOffset: 6,
    baseTimestamp: T0,
    maxTimestamp: T0 + 5,
    producerId: 1000,
    producerEpoch: 2,
    baseSequence: 7,
    recordCount: 2,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: false,
    isControl: false,
    hasDeleteHorizon: false,
  });
  t.true(verifyBatchCrc(golden, 0, header));
});

test('decodeBatch reads the golden records with absolute offsets and timestamps', (t) => {
  const { records } = decodeBatch(golden);
  t.deepEqual(records, [
    { offset: 5, timestamp: T0, key: text('a'), value: text('xy'), headers: [] },
    { offset: 6, timestamp: T0 + 5, key: null, value: text('z'), headers: [{ key: 'h', value: text('!') }] },
  ]);
});

test('decoded keys and values are views into the input, not copies', (t) => {
  const { records } = decodeBatch(golden);
  const key = records[0].key!;
  t.is(key.buffer, golden.buffer);
  t.is(key.byteOffset, 61 + 5);
  const header = records[1].headers[0];
  t.is(header.value!.buffer, golden.buffer);
});

// RecordBatch v2 encode and decode, side by side with kafkajs and @platformatic/kafka on the same records:
// 1000 records, 10-byte keys, 100-byte values, no compression, one timestamp per millisecond.
// Our decode verifies the CRC; neither peer's batch decoder does (they leave it to the broker).

import { createRequire } from 'node:module';
import { createRecordsBatch, readRecordsBatch, Reader } from '@platformatic/kafka';
import type { MessageRecord } from '@platformatic/kafka';
import { decodeBatch, encodeBatch } from '../engine/records/batch.ts';
import type { RecordInput } from '../engine/records/batch.ts';
import type { BenchmarkSpec } from './spec.ts';

const require = createRequire(import.meta.url);
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<unknown>;
const { RecordBatch: kafkajsEncodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (input: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const kafkajsEncodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (input: Record<string, unknown>) => unknown;

const RECORD_COUNT = 1000;
const KEY_BYTES = 10;
const VALUE_BYTES = 100;
const T0 = 1_700_000_000_000;

const records: RecordInput[] = Array.from({ length: RECORD_COUNT }, (_, i) => ({
  key: Buffer.alloc(KEY_BYTES, i & 0xff),
  value: Buffer.alloc(VALUE_BYTES, (i * 7) & 0xff),
  timestamp: T0 + i,
}));

// The same records as each peer takes them. Platformatic's encoder rewrites timestamps to bigints in place:
// giving bigints up front keeps every run identical.
const platformaticMessages: MessageRecord[] = records.map((r) => ({
  topic: 'bench',
  key: r.key as Buffer,
  value: r.value as Buffer,
  timestamp: BigInt(r.timestamp!),
}));

function kafkajsEncode(): void {
  // kafkajs's RecordBatch is async but does all the uncompressed work before its first await.
  void kafkajsEncodeBatch({
    firstTimestamp: T0,
    maxTimestamp: T0 + RECORD_COUNT - 1,
    lastOffsetDelta: RECORD_COUNT - 1,
    records: records.map((r, offsetDelta) => kafkajsEncodeRecord({ offsetDelta, timestampDelta: r.timestamp! - T0, key: r.key, value: r.value })),
  });
}

const encoded = Buffer.from(encodeBatch({ records }));

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'records.encode',
    unit: 'records/s',
    workPerOp: RECORD_COUNT,
    description: 'Encode a RecordBatch v2 of 1000 records (10-byte keys, 100-byte values, uncompressed) into one buffer, CRC-32C included.',
    fn: () => {
      encodeBatch({ records });
    },
    peers: {
      kafkajs: kafkajsEncode,
      platformatic: () => {
        void createRecordsBatch(platformaticMessages, {}).buffer;
      },
    },
  },
  {
    name: 'records.decode',
    unit: 'records/s',
    workPerOp: RECORD_COUNT,
    description: 'Decode the same 1000-record batch: header, records, keys and values as views; ours verifies the CRC-32C, the peers do not.',
    fn: () => {
      decodeBatch(encoded);
    },
    peers: {
      kafkajs: () => {
        void kafkajsDecodeBatch(new KafkajsDecoder(encoded));
      },
      platformatic: () => {
        readRecordsBatch(Reader.from(encoded));
      },
    },
  },
];

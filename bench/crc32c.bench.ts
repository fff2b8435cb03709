// CRC-32C throughput on a 1 MiB buffer: ours (native @node-rs/crc32), our pure-JS table fallback, kafkajs's
// JavaScript implementation, and @platformatic/kafka's (the same native module, after copying its input).

import { createRequire } from 'node:module';
import { crc32c as platformaticCrc32c } from '@platformatic/kafka';
import { crc32c } from '../engine/records/crc32c.ts';
import { crc32cTable } from '../engine/records/crc32c-table.ts';
import type { BenchmarkSpec } from './spec.ts';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (buffer: Buffer) => number;

const BUFFER_BYTES = 1 << 20;
const buffer = Buffer.alloc(BUFFER_BYTES);
for (let i = 0; i < BUFFER_BYTES; i++) buffer[i] = Math.imul(i, 2654435761) >>> 24;

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'crc32c',
    unit: 'MB/s',
    workPerOp: BUFFER_BYTES / 1e6,
    description: 'CRC-32C (Castagnoli) of a 1 MiB buffer, as a RecordBatch v2 checksum.',
    fn: () => {
      crc32c(buffer);
    },
    peers: {
      'js-table': () => {
        crc32cTable(buffer);
      },
      kafkajs: () => {
        kafkajsCrc32c(buffer);
      },
      platformatic: () => {
        platformaticCrc32c(buffer);
      },
    },
  },
];

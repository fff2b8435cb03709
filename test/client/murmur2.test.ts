// Kafka's murmur2 and keyed partitioning, checked against kafkajs's Java-compatible partitioner (called here,
// never copied) and against Kafka's own published test vectors.
import test from 'ava';
import { createRequire } from 'node:module';
import { murmur2, partitionForKey, toPositive } from '../../engine/client/murmur2.ts';
import { RandomStreams } from '../../sim/random.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;
const { Partitioners: { DefaultPartitioner } } = require('kafkajs') as {
  Partitioners: { DefaultPartitioner: () => (args: { topic: string; partitionMetadata: Array<{ partitionId: number; leader: number }>; message: { key: Buffer } }) => number };
};

const encoder = new TextEncoder();

function randomKeys(count: number): Uint8Array[] {
  const random = new RandomStreams(42).stream('keys');
  const keys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const key = new Uint8Array(random.int(0, 64));
    for (let j = 0; j < key.length; j++) key[j] = random.int(0, 255);
    keys.push(key);
  }
  return keys;
}

test('murmur2 matches kafkajs (Java-compatible) on thousands of random keys of every tail length', (t) => {
  const keys = randomKeys(5000);
  let mismatches = 0;
  for (const key of keys) if (murmur2(key) !== kafkajsMurmur2(Buffer.from(key))) mismatches++;
  t.is(mismatches, 0);
  t.true(new Set(keys.map((key) => key.length % 4)).size === 4, 'every tail length (0..3 bytes) is covered');
});

test('murmur2 gives the values of Kafka\'s own Utils.murmur2 test vectors', (t) => {
  const vectors: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of vectors) t.is(murmur2(encoder.encode(key)), expected, key);
});

test('a keyed record gets the partition kafkajs\'s default partitioner picks, for many keys and partition counts', (t) => {
  const partitioner = DefaultPartitioner();
  const keys = randomKeys(2000).filter((key) => key.length > 0);
  for (const numPartitions of [1, 3, 7, 12, 100]) {
    const partitionMetadata = Array.from({ length: numPartitions }, (_, partitionId) => ({ partitionId, leader: 1 }));
    for (const key of keys) {
      const theirs = partitioner({ topic: 't', partitionMetadata, message: { key: Buffer.from(key) } });
      if (partitionForKey(key, numPartitions) !== theirs) {
        t.fail(`key ${Buffer.from(key).toString('hex')} with ${numPartitions} partitions: ours ${partitionForKey(key, numPartitions)}, kafkajs ${theirs}`);
        return;
      }
    }
  }
  t.pass();
});

test('toPositive clears the sign bit rather than taking the absolute value', (t) => {
  t.is(toPositive(-1), 0x7fffffff);
  t.is(toPositive(-2147483648), 0);
  t.is(toPositive(5), 5);
});

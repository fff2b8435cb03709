// Where the producer puts records: murmur2 for keys (as Kafka), sticky batches for keyless records (KIP-794).
import test from 'ava';
import { createRequire } from 'node:module';
import { StickyPartitioner } from '../../engine/client/sticky-partitioner.ts';
import type { TopicInfo } from '../../engine/client/client-metadata.ts';
import { RandomStreams } from '../../sim/random.ts';
import { producerWorld, values } from '../support/client-world.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;

test('keyed records land on the partition Kafka would pick, and in that partition\'s log', (t) => {
  const world = producerWorld({ brokers: 3, topics: [{ name: 'orders', partitions: 7 }] });
  const keys = values('customer-', 200);
  keys.forEach((key, i) => world.send('orders', `v${i}`, key));
  world.sim.runFor(2_000);
  t.is(world.results.length, keys.length);
  keys.forEach((key, i) => {
    const expected = (kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % 7;
    const result = world.resultOf(`v${i}`)!;
    t.true(result.ok && result.partition === expected, `${key} -> ${JSON.stringify(result)} expected ${expected}`);
    t.true(world.kafka.records('orders', expected).some((record) => record.value === `v${i}`));
  });
});

test('keyless records stick to one partition for between batch.size and twice batch.size bytes, then move', (t) => {
  const world = producerWorld({ brokers: 3, topics: [{ name: 'clicks', partitions: 5 }] }, { 'batch.size': 1000, 'linger.ms': 100 });
  const payload = 'x'.repeat(96);
  for (let i = 0; i < 300; i++) world.send('clicks', `${String(i).padStart(4, '0')}${payload}`);
  world.sim.runFor(5_000);
  t.true(world.results.every((entry) => entry.result.ok));
  // Runs of consecutive record numbers per partition: each run is one sticky period.
  const runs: number[] = [];
  for (let p = 0; p < 5; p++) {
    const numbers = world.kafka.records('clicks', p).map((record) => Number(record.value.slice(0, 4)));
    let length = 0;
    numbers.forEach((n, i) => {
      if (i > 0 && n !== numbers[i - 1] + 1) {
        runs.push(length);
        length = 0;
      }
      length++;
    });
    if (length > 0) runs.push(length);
  }
  const recordBytes = 108; // a 100-byte value, no key, small deltas
  const full = runs.filter((length) => length * recordBytes >= 1000);
  t.true(runs.length >= 10, `runs ${runs.join(',')}`);
  // A run is one sticky period, or several when the random pick chose the same partition again.
  const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  t.true(median * recordBytes >= 1000 && median * recordBytes <= 2 * 1000 + recordBytes, `runs ${runs.join(',')}`);
  t.true(full.length >= runs.length - 1, `only the last run may be short: ${runs.join(',')}`);
  t.true(new Set([0, 1, 2, 3, 4].filter((p) => world.kafka.records('clicks', p).length > 0)).size >= 3);
});

test('the adaptive partitioner picks partitions with shorter queues more often', (t) => {
  const random = new RandomStreams(3).stream('partitioner');
  const partitioner = new StickyPartitioner(100, () => random.next());
  const topic: TopicInfo = {
    name: 't',
    partitions: [0, 1, 2].map((partition) => ({ topic: 't', partition, leaderId: 1, leaderEpoch: 0, leaderNode: 'broker-1' })),
    available: [0, 1, 2],
  };
  partitioner.updateLoadStats([0, 5, 5], [0, 1, 2], 3); // weights 6, 1, 1
  const picks = [0, 0, 0];
  for (let i = 0; i < 8000; i++) {
    const partition = partitioner.partition(topic);
    picks[partition]++;
    partitioner.onAppend(topic, partition, 100, true);
  }
  t.true(picks[0] / 8000 > 0.7 && picks[0] / 8000 < 0.8, `picks ${picks.join(',')}`);
  partitioner.updateLoadStats([2, 2, 2], [0, 1, 2], 3); // equal queues: uniform
  const uniform = [0, 0, 0];
  for (let i = 0; i < 9000; i++) {
    const partition = partitioner.partition(topic);
    uniform[partition]++;
    partitioner.onAppend(topic, partition, 100, true);
  }
  t.true(uniform.every((count) => count > 2700 && count < 3300), `picks ${uniform.join(',')}`);
});

/** Keyless records, one every 10 ms for 3 s, while broker-2 (leader of partition 1) cannot be reached. */
function sendWhileBroker2IsCutOff(availabilityTimeoutMs: number): { toPartition1: number; late: number } {
  const world = producerWorld({ brokers: 2, topics: [{ name: 't', partitions: 2, leaders: [1, 2] }] },
    { 'batch.size': 200, 'linger.ms': 5, 'partitioner.availability.timeout.ms': availabilityTimeoutMs, 'delivery.timeout.ms': 600_000 });
  world.send('t', 'warm-up');
  world.sim.runFor(500);
  world.sim.partition(['producer-1'], ['broker-2']);
  const payload = 'x'.repeat(100);
  for (let i = 0; i < 300; i++) {
    world.sim.scheduler.after(i * 10, () => world.send('t', `${String(i).padStart(4, '0')}${payload}`));
  }
  world.sim.runFor(3_000);
  world.sim.heal();
  world.sim.runFor(60_000);
  // Records sent from one second after the cut on: the leader of partition 1 has taken nothing for > 1 s.
  const late = world.results.filter((entry) => entry.value !== 'warm-up' && Number(entry.value.slice(0, 4)) >= 100);
  return { toPartition1: late.filter((entry) => entry.result.partition === 1).length, late: late.length };
}

test('partitioner.availability.timeout.ms: keyless records avoid a partition whose leader cannot take them', (t) => {
  const avoided = sendWhileBroker2IsCutOff(100);
  t.is(avoided.late, 200);
  t.is(avoided.toPartition1, 0, 'after the timeout the partition is left out of the adaptive choice');
  const notAvoided = sendWhileBroker2IsCutOff(0);
  t.is(notAvoided.late, 200);
  t.true(notAvoided.toPartition1 > 0, 'with 0 (the default) the partition is still chosen now and then');
});

test('the adaptive partitioner chooses uniformly until every partition has a queue, as Kafka does', (t) => {
  // Records one at a time, each sent before the next: with weights from the first partition's queue alone,
  // every keyless record would stay on the partitions used first.
  const world = producerWorld({ brokers: 2, topics: [{ name: 't', partitions: 4 }] }, { 'batch.size': 200 });
  for (let i = 0; i < 200; i++) world.sim.scheduler.after(i * 10, () => world.send('t', `${i}`.padStart(100, 'x')));
  world.sim.runFor(5_000);
  t.is(world.results.length, 200);
  const used = new Set(world.results.map((entry) => entry.result.partition));
  t.deepEqual([...used].sort(), [0, 1, 2, 3]);
});

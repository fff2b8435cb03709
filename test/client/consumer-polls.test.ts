// What one poll hands on (max.poll.records) and what the consumer does with a batch whose CRC does not match
// (check.crcs), as Kafka's FetchCollector and CompletedFetch do.
import test from 'ava';
import { consumerWorld, values } from '../support/client-world.ts';

const oneTopic = { brokers: 1, topics: [{ name: 't', partitions: 1, leaders: [1] }] };

test('max.poll.records splits one fetch into polls of at most that many records, the position moving with each', (t) => {
  const world = consumerWorld(oneTopic, { 'auto.offset.reset': 'earliest', 'max.poll.records': 3 });
  world.kafka.append('t', 0, values('a', 4));
  world.kafka.append('t', 0, values('b', 3));
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.deepEqual(world.pollSizes, [3, 3, 1]);
  t.deepEqual(world.pollPositions, [3, 6, 7], 'each poll leaves the position after its last record');
  t.deepEqual(world.polled, [...values('a', 4), ...values('b', 3)].map((value, offset) => `0:${offset}:${value}`));
  t.is(world.consumer.position('t', 0), 7);
});

test('by default a poll hands on at most 500 records', (t) => {
  const world = consumerWorld(oneTopic, { 'auto.offset.reset': 'earliest' });
  world.kafka.append('t', 0, values('v', 600));
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.deepEqual(world.pollSizes, [500, 100]);
  t.is(world.consumer.position('t', 0), 600);
});

/** Flips the low bit of the last value byte of the partition's `index`th batch ('2' becomes '3'): inside the
 *  CRC, the batch still well formed (the byte after it is the last record's header count). */
function corrupt(world: ReturnType<typeof consumerWorld>, index: number): void {
  const bytes = world.kafka.partition('t', 0).batches[index]!.bytes;
  bytes[bytes.length - 2]! ^= 0x01;
}

test('with check.crcs a corrupted batch fails the poll with CORRUPT_MESSAGE after the records before it', (t) => {
  const world = consumerWorld(oneTopic, { 'auto.offset.reset': 'earliest' });
  world.kafka.append('t', 0, ['good-0', 'good-1']);
  world.kafka.append('t', 0, ['bad-2']);
  corrupt(world, 1);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(300);
  t.deepEqual(world.polled, ['0:0:good-0', '0:1:good-1']);
  t.like(world.errors[0], { error: 'CORRUPT_MESSAGE', fatal: false });
  t.regex(world.errors[0]!.message, /CRC/);
  t.is(world.consumer.position('t', 0), 2, 'the position stays at the corrupt batch');
});

test('with check.crcs=false the consumer does not verify CRCs and hands on what the bytes say', (t) => {
  const world = consumerWorld(oneTopic, { 'auto.offset.reset': 'earliest', 'check.crcs': false });
  world.kafka.append('t', 0, ['good-0', 'good-1']);
  world.kafka.append('t', 0, ['bad-2']);
  corrupt(world, 1);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(300);
  t.deepEqual(world.polled, ['0:0:good-0', '0:1:good-1', '0:2:bad-3'], 'the flipped bit reaches the application');
  t.deepEqual(world.errors, []);
  t.is(world.consumer.position('t', 0), 3);
});

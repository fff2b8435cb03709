// The consumer without groups: positions, auto.offset.reset, following leaders, validating positions after a
// leader change with OffsetsForLeaderEpoch (KIP-320) and detecting truncation.
import test from 'ava';
import { consumerWorld, values } from '../support/client-world.ts';

const oneTopic = (partitions = 1) => ({ brokers: 3, topics: [{ name: 't', partitions, leaders: [1, 2, 3].slice(0, partitions) }] });

test('a consumer reads every partition in offset order from its leader, and its position follows', (t) => {
  const world = consumerWorld(oneTopic(3), { 'auto.offset.reset': 'earliest' });
  for (let p = 0; p < 3; p++) {
    world.kafka.append('t', p, values(`p${p}-a`, 4));
    world.kafka.append('t', p, values(`p${p}-b`, 3));
  }
  world.consumer.assign([0, 1, 2].map((partition) => ({ topic: 't', partition })));
  world.sim.runFor(1_000);
  for (let p = 0; p < 3; p++) {
    const expected = [...values(`p${p}-a`, 4), ...values(`p${p}-b`, 3)].map((value, offset) => `${p}:${offset}:${value}`);
    t.deepEqual(world.polled.filter((entry) => entry.startsWith(`${p}:`)), expected);
    t.is(world.consumer.position('t', p), 7);
  }
  world.kafka.append('t', 1, ['late']);
  world.sim.runFor(100);
  t.is(world.polled[world.polled.length - 1], '1:7:late', 'a waiting fetch answers as soon as data arrives');
  t.is(world.consumer.highWatermark('t', 1), 8);
});

test('auto.offset.reset=latest skips what is already there and reads what comes after', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'latest' });
  world.kafka.append('t', 0, ['old-0', 'old-1']);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.is(world.consumer.position('t', 0), 2);
  world.kafka.append('t', 0, ['new-2']);
  world.sim.runFor(1_000);
  t.deepEqual(world.polled, ['0:2:new-2']);
});

test('auto.offset.reset=earliest starts at the log start', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'earliest' });
  world.kafka.append('t', 0, ['old-0', 'old-1']);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.deepEqual(world.polled, ['0:0:old-0', '0:1:old-1']);
});

test('auto.offset.reset=none reports a partition without a position until seek()', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'none' });
  world.kafka.append('t', 0, ['a', 'b']);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.like(world.errors[0], { error: 'NO_OFFSET_FOR_PARTITION', fatal: true });
  t.deepEqual(world.polled, []);
  world.consumer.seek('t', 0, 1);
  world.sim.runFor(1_000);
  t.deepEqual(world.polled, ['0:1:b']);
});

test('OFFSET_OUT_OF_RANGE resets the position by auto.offset.reset', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'earliest' });
  world.kafka.append('t', 0, ['a', 'b']);
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(500);
  world.consumer.seek('t', 0, 100);
  world.sim.runFor(1_000);
  t.deepEqual(world.polled, ['0:0:a', '0:1:b', '0:0:a', '0:1:b'], 'out of range, back to earliest, read again');
});

test('the consumer follows a leader change, validates its position and reads on without loss or repeat', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'earliest' });
  world.kafka.append('t', 0, values('a', 5));
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  world.kafka.moveLeader('t', 0, 2);
  world.kafka.append('t', 0, values('b', 3));
  world.sim.runFor(2_000);
  t.deepEqual(world.polled, [...values('a', 5), ...values('b', 3)].map((value, offset) => `0:${offset}:${value}`));
  t.deepEqual(world.truncations, []);
  const validations = world.kafka.requestsOfType('OffsetsForLeaderEpochRequest');
  t.true(validations.some((entry) => entry.broker === 2), 'validated against the new leader');
  t.true(world.kafka.requestsOfType('FetchRequest').some((entry) => entry.broker === 2));
  t.deepEqual(world.polledRecords.map((record) => record.leaderEpoch), [0, 0, 0, 0, 0, 1, 1, 1]);
});

test('a truncation below the position is detected with OffsetsForLeaderEpoch, and reading resumes at the divergence point', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'earliest' });
  const traced: string[] = [];
  world.sim.trace.onEvent((event) => {
    if (event.event === 'truncation-detected') traced.push(JSON.stringify(event.fields));
  });
  world.kafka.append('t', 0, values('a', 5));
  world.kafka.append('t', 0, values('b', 5));
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.sim.runFor(1_000);
  t.is(world.consumer.position('t', 0), 10);
  // A new leader that never had offsets 5..9 (an unclean election): its epoch 1 starts at 5.
  world.kafka.truncate('t', 0, 5);
  world.kafka.moveLeader('t', 0, 2);
  world.kafka.append('t', 0, values('c', 2));
  world.sim.runFor(2_000);
  t.deepEqual(world.truncations, [{ topic: 't', partition: 0, position: 10, positionEpoch: 0, endOffset: 5, endEpoch: 0, resumeFrom: 5 }]);
  t.is(traced.length, 1);
  t.deepEqual(world.polled.slice(10), ['0:5:c0', '0:6:c1'], 'the new leader\'s records at the divergence point are read');
  t.is(world.consumer.position('t', 0), 7);
});

test('with auto.offset.reset=none a detected truncation stops the partition with LOG_TRUNCATION', (t) => {
  const world = consumerWorld(oneTopic(), { 'auto.offset.reset': 'none' });
  world.kafka.append('t', 0, values('a', 3));
  world.kafka.append('t', 0, values('b', 3));
  world.consumer.assign([{ topic: 't', partition: 0 }]);
  world.consumer.seek('t', 0, 0);
  world.sim.runFor(1_000);
  world.kafka.truncate('t', 0, 3);
  world.kafka.moveLeader('t', 0, 3);
  world.kafka.append('t', 0, ['x']);
  world.sim.runFor(2_000);
  t.like(world.truncations[0], { position: 6, endOffset: 3, resumeFrom: 'none' });
  t.like(world.errors[world.errors.length - 1], { error: 'LOG_TRUNCATION', fatal: true });
  t.is(world.consumer.fetchState('t', 0), 'failed');
  t.is(world.polled.length, 6);
});

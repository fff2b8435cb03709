// The clients against the real brokers (engine/broker.ts with its replication), in the replication tests' world
// (a fake controller publishes metadata images): end to end across a leader election, and a truncation after
// an unclean election that the consumer detects.
import test from 'ava';
import { parseConfig } from '../../engine/config/index.ts';
import type { ConfigOverrides } from '../../engine/config/index.ts';
import { Consumer } from '../../engine/client/consumer.ts';
import type { TruncationEvent } from '../../engine/client/consumer-types.ts';
import { Producer } from '../../engine/client/producer.ts';
import type { ProduceResult } from '../../engine/client/produce-result.ts';
import { ReplicationWorld } from '../replication/replication-world.ts';

const decoder = new TextDecoder();

function clients(world: ReplicationWorld, producerOverrides: ConfigOverrides = {}) {
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const results: Array<{ value: string; result: ProduceResult }> = [];
  const polled: Array<{ partition: number; offset: number; value: string; leaderEpoch: number }> = [];
  const truncations: TruncationEvent[] = [];
  world.sim.addNode('producer-1', (runtime) => (producer = new Producer(runtime, parseConfig('producer', { 'bootstrap.servers': ['broker-1'], ...producerOverrides }))));
  world.sim.addNode('consumer-1', (runtime) => (consumer = new Consumer(runtime, parseConfig('consumer', { 'bootstrap.servers': ['broker-2'], 'auto.offset.reset': 'earliest' }), {
    onRecords: (batch) => {
      for (const record of batch.records) polled.push({ partition: batch.partition, offset: record.offset, value: decoder.decode(record.value!), leaderEpoch: record.leaderEpoch });
    },
    onTruncation: (event) => truncations.push(event),
  })));
  const send = (value: string, key: string | null = null): void => producer!.send({ topic: 't', key, value }, (result) => results.push({ value, result }));
  return { producer: producer!, consumer: consumer!, results, polled, truncations, send };
}

test('against real brokers, records go end to end across a leader election, written once and read once in order', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2, 3] });
  world.createTopic('t', [[1, 2, 3], [2, 3, 1], [3, 1, 2]]);
  world.sim.runFor(100);
  const { consumer, results, polled, send } = clients(world);
  consumer.assign([0, 1, 2].map((partition) => ({ topic: 't', partition })));
  for (let i = 0; i < 300; i++) world.sim.scheduler.after(i * 3, () => send(`v${i}`, `k${i % 17}`));
  world.sim.scheduler.after(400, () => world.electLeader('t', 0, 2));
  world.sim.runFor(5_000);
  t.is(results.length, 300);
  t.true(results.every((entry) => entry.result.ok), 'every send acknowledged');
  for (let p = 0; p < 3; p++) {
    const log = world.logValues(1, 't', p);
    t.deepEqual(world.logValues(2, 't', p), log);
    t.deepEqual(world.logValues(3, 't', p), log);
    t.deepEqual(polled.filter((entry) => entry.partition === p).map((entry) => entry.value), log, `partition ${p} read in log order`);
    const acked = results.filter((entry) => entry.result.ok && entry.result.partition === p);
    for (const { value, result } of acked) t.is(log[(result as { offset: number }).offset], value);
  }
  t.is(new Set(polled.map((entry) => entry.value)).size, 300, 'no record written or read twice');
  t.true(polled.some((entry) => entry.partition === 0 && entry.leaderEpoch === 1), 'partition 0 was read from its new leader');
});

test('against real brokers, a consumer detects the truncation of an unclean election and resumes at the divergence point', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2, 3], config: { 'replica.lag.time.max.ms': 2_000 } });
  world.createTopic('t', [[1, 2, 3]]);
  world.sim.runFor(100);
  const { consumer, results, polled, truncations, send } = clients(world, { acks: '1' });
  consumer.assign([{ topic: 't', partition: 0 }]);
  for (let i = 0; i < 5; i++) send(`a${i}`);
  world.sim.runFor(1_000);
  world.sim.partition(['broker-3'], ['broker-1', 'broker-2']); // broker-3 falls behind and out of the ISR
  for (let i = 0; i < 5; i++) send(`b${i}`);
  world.sim.runFor(6_000);
  t.is(polled.length, 10, 'b0..b4 were committed (ISR 1,2) and read');
  world.electLeader('t', 0, 3, [3]); // unclean: broker-3 never had b0..b4
  world.sim.heal();
  world.sim.runFor(1_000);
  send('c0');
  send('c1');
  world.sim.runFor(3_000);
  t.deepEqual(truncations, [{ topic: 't', partition: 0, position: 10, positionEpoch: 0, endOffset: 5, endEpoch: 0, resumeFrom: 5 }]);
  t.deepEqual(polled.slice(10).map((entry) => `${entry.offset}:${entry.value}`), ['5:c0', '6:c1']);
  t.deepEqual(world.logValues(1, 't', 0), ['a0', 'a1', 'a2', 'a3', 'a4', 'c0', 'c1'], 'the old leader truncated b0..b4 away');
  t.true(results.filter((entry) => entry.value.startsWith('b')).every((entry) => entry.result.ok), 'acknowledged with acks=1, then lost');
});

test('against real brokers, a long one-way partition: failures are honest and idempotence writes nothing twice', (t) => {
  for (const idempotent of [true, false]) {
    const world = new ReplicationWorld({ brokers: [1, 2, 3], seed: 5 });
    world.createTopic('t', [[1, 2, 3]]);
    world.sim.runFor(100);
    const { results, send } = clients(world, { 'enable.idempotence': idempotent, 'delivery.timeout.ms': 40_000, 'request.timeout.ms': 10_000 });
    for (let i = 0; i < 3_000; i++) world.sim.scheduler.after(i * 3, () => send(`v${i}`));
    // Requests reach the leader, its answers do not come back, for longer than delivery.timeout.ms.
    world.sim.scheduler.after(2_000, () => world.sim.partition(['broker-1'], ['producer-1'], { oneWay: true }));
    world.sim.scheduler.after(50_000, () => world.sim.heal());
    world.sim.runFor(120_000);
    const log = world.logValues(1, 't', 0);
    const copies = new Map<string, number>();
    for (const value of log) copies.set(value, (copies.get(value) ?? 0) + 1);
    const failed = results.filter((entry) => !entry.result.ok);
    t.is(results.length, 3_000);
    t.true(failed.length > 0, 'some sends outlived delivery.timeout.ms');
    t.true(failed.every((entry) => entry.result.ok || entry.result.indeterminate || !copies.has(entry.value)), 'a definite failure is never in the log');
    t.true(results.every(({ value, result }) => !result.ok || log[result.offset] === value), 'an acknowledged offset holds the record');
    const duplicates = [...copies.values()].filter((count) => count > 1).length;
    if (idempotent) t.is(duplicates, 0, 'idempotence: each record at most once');
    else t.true(duplicates > 0, 'without idempotence the retries of unanswered requests wrote duplicates');
  }
});

// When a batch goes: linger.ms and batch.size, as Kafka's RecordAccumulator decides.
import test from 'ava';
import type { ProduceRequest } from '../../engine/protocol/produce.ts';
import { readBatches } from '../../engine/records/batch.ts';
import { producerWorld } from '../support/client-world.ts';

function produceRequests(world: ReturnType<typeof producerWorld>): Array<{ atMs: number; records: number; batches: number }> {
  return world.kafka.requestsOfType('ProduceRequest').map(({ atMs, request }) => {
    let records = 0;
    let batches = 0;
    for (const topic of (request as ProduceRequest).topicData) {
      for (const partition of topic.partitions) {
        for (const batch of readBatches(partition.records)) {
          batches++;
          records += batch.recordCount;
        }
      }
    }
    return { atMs, records, batches };
  });
}

test('linger.ms holds a batch open for more records, then sends them in one request', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'linger.ms': 50 });
  world.sim.runFor(100); // the producer id first (metadata comes with the first send, in ~0.1 ms)
  const startMs = world.sim.now();
  world.send('t', 'a');
  world.sim.runFor(10);
  world.send('t', 'b');
  world.sim.runFor(10);
  world.send('t', 'c');
  world.sim.runFor(500);
  const requests = produceRequests(world);
  t.is(requests.length, 1);
  t.is(requests[0].records, 3);
  t.true(requests[0].atMs >= startMs + 50 && requests[0].atMs < startMs + 55, `sent at +${requests[0].atMs - startMs} ms`);
  t.deepEqual(world.results.map((entry) => entry.result.ok && entry.result.offset), [0, 1, 2]);
});

test('with Kafka 4.0\'s default linger.ms of 5 a lone record waits 5 ms', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  const startMs = world.sim.now();
  world.send('t', 'a');
  world.sim.runFor(100);
  const [request] = produceRequests(world);
  t.true(request.atMs >= startMs + 5 && request.atMs < startMs + 6, `sent at +${request.atMs - startMs} ms`);
});

test('a batch that reaches batch.size goes at once; the last, partial one waits for linger.ms', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'linger.ms': 10_000, 'batch.size': 1000 });
  world.sim.runFor(100);
  const startMs = world.sim.now();
  for (let i = 0; i < 20; i++) world.send('t', `${i}`.padStart(100, '0'), 'same-key');
  world.sim.runFor(1_000);
  const early = produceRequests(world);
  t.true(early.length >= 1);
  t.true(early.every((request) => request.atMs < startMs + 5), 'full batches go without waiting for linger.ms');
  const recordsEarly = early.reduce((sum, request) => sum + request.records, 0);
  t.true(recordsEarly >= 16 && recordsEarly < 20, `${recordsEarly} records in full batches`);
  t.true(early.every((request) => request.records <= 9), 'no batch exceeds batch.size (9 records of ~108 bytes)');
  world.sim.runFor(10_000);
  const all = produceRequests(world);
  const last = all[all.length - 1];
  t.is(all.reduce((sum, request) => sum + request.records, 0), 20);
  t.true(last.atMs >= startMs + 10_000, 'the partial batch waited for linger.ms');
});

test('flush() sends lingering batches at once and calls back when all records completed', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'linger.ms': 60_000 });
  world.sim.runFor(100);
  world.send('t', 'a');
  world.send('t', 'b');
  let flushedAtMs = -1;
  const startMs = world.sim.now();
  world.producer.flush(() => (flushedAtMs = world.sim.now()));
  world.sim.runFor(1_000);
  t.true(flushedAtMs >= startMs && flushedAtMs < startMs + 100);
  t.is(world.results.length, 2);
});

test('compression.type=gzip sends gzip batches the broker can read back', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'compression.type': 'gzip' });
  for (let i = 0; i < 50; i++) world.send('t', `value-${i}-${'z'.repeat(200)}`);
  world.sim.runFor(1_000);
  const [request] = world.kafka.requestsOfType('ProduceRequest');
  const records = (request.request as ProduceRequest).topicData[0].partitions[0].records;
  t.is([...readBatches(records)][0].compression, 'gzip');
  t.true(records.length < 50 * 200 / 4, 'compressed');
  t.is(world.kafka.records('t', 0).length, 50);
});

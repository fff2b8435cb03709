// Retries, idempotence and timeouts: what a producer does when answers are lost, late or errors, and what each
// outcome tells the caller.
import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { ProduceRequest } from '../../engine/protocol/produce.ts';
import type { Request } from '../../engine/protocol/envelope.ts';
import { producerWorld, values } from '../support/client-world.ts';

const isProduce = (request: Request): request is ProduceRequest => request.type === 'ProduceRequest';

/** Sends `count` records 10 ms apart to partition 0 of `t`, so each goes in its own request. */
function sendSpaced(world: ReturnType<typeof producerWorld>, prefix: string, count: number): string[] {
  const sent = values(prefix, count);
  sent.forEach((value, i) => world.sim.scheduler.after(i * 10, () => world.send('t', value, null, { partition: 0 })));
  return sent;
}

test('idempotent retries keep order and sequence across dropped responses (the broker deduplicates)', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  // From the second produce on, answers are lost for a while (on one connection, a lost answer loses the
  // answers behind it): five requests wait, are appended, and time out after request.timeout.ms.
  let produces = 0;
  const lossEndsMs = world.sim.now() + 1_000;
  world.kafka.dropResponse = (_, request) => isProduce(request) && ++produces >= 2 && world.sim.now() < lossEndsMs;
  const sent = sendSpaced(world, 'r', 8);
  world.sim.runFor(60_000);
  const log = world.kafka.records('t', 0);
  t.deepEqual(log.map((record) => record.value), sent, 'each record once, in send order');
  t.deepEqual(log.map((record) => record.sequence), [0, 1, 2, 3, 4, 5, 6, 7]);
  t.true(world.kafka.requestsOfType('ProduceRequest').length > sent.length, 'the batch whose answer was lost was sent again');
  for (const [i, value] of sent.entries()) {
    const result = world.resultOf(value)!;
    t.true(result.ok && result.offset === i, `${value}: ${JSON.stringify(result)}`);
  }
});

test('idempotence keeps order when a batch is rejected while later ones are in flight: they wait for it', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  // The third batch is turned away (a transient NOT_ENOUGH_REPLICAS); the next ones, already pipelined behind
  // it, get OUT_OF_ORDER_SEQUENCE_NUMBER and must not overtake it.
  let produces = 0;
  world.kafka.produceError = () => (++produces === 3 ? ErrorCode.NOT_ENOUGH_REPLICAS : undefined);
  const sent = sendSpaced(world, 'r', 8);
  world.sim.runFor(60_000);
  t.deepEqual(world.kafka.records('t', 0).map((record) => record.value), sent);
  t.true(world.results.every((entry) => entry.result.ok));
  t.is(world.producer.producerIdAndEpoch()!.producerEpoch, 0, 'no epoch bump was needed');
});

test('without idempotence a retry after a dropped response writes the record twice', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'enable.idempotence': false });
  world.sim.runFor(100);
  let produces = 0;
  world.kafka.dropResponse = (_, request) => isProduce(request) && ++produces === 1;
  world.send('t', 'once');
  world.sim.runFor(60_000);
  t.deepEqual(world.kafka.records('t', 0).map((record) => record.value), ['once', 'once']);
  const result = world.resultOf('once')!;
  t.true(result.ok && result.offset === 1, 'the caller hears only the second write');
});

test('without idempotence a retried batch can land after later ones', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'enable.idempotence': false });
  world.sim.runFor(100);
  let produces = 0;
  world.kafka.produceError = () => (++produces === 1 ? ErrorCode.NOT_ENOUGH_REPLICAS : undefined);
  sendSpaced(world, 'r', 4);
  world.sim.runFor(1); // the topic's metadata is in
  // Answers take 50 ms from now: r1..r3 are in flight, and appended, before r0's rejection comes back.
  world.sim.network.setExtraLatency('broker-1', 'producer-1', 50);
  world.sim.runFor(1_000);
  t.deepEqual(world.kafka.records('t', 0).map((record) => record.value), ['r1', 'r2', 'r3', 'r0'], 'r0 retried after its backoff, behind the others');
  t.true(world.results.every((entry) => entry.result.ok));
});

test('delivery.timeout.ms fails records as indeterminate when requests were sent and never answered', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  world.kafka.dropResponse = (_, request) => isProduce(request);
  const startMs = world.sim.now();
  world.send('t', 'lost?');
  world.sim.runFor(200_000);
  const [entry] = world.results;
  t.like(entry.result, { ok: false, error: 'DELIVERY_TIMEOUT', indeterminate: true, retriable: true });
  t.true(entry.atMs >= startMs + 120_000 && entry.atMs < startMs + 120_010, `failed at +${entry.atMs - startMs} ms`);
  t.true(world.kafka.requestsOfType('ProduceRequest').length >= 3, 'retried after each request timeout');
  t.is(world.kafka.records('t', 0).length, 1, 'it was in fact written: indeterminate is the honest answer');
});

test('delivery.timeout.ms fails records as definite when nothing was ever sent (no leader)', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1, leaders: [7] }] });
  world.send('t', 'never');
  world.sim.runFor(130_000);
  t.like(world.resultOf('never'), { ok: false, error: 'DELIVERY_TIMEOUT', indeterminate: false });
  t.is(world.kafka.requestsOfType('ProduceRequest').length, 0);
});

test('a send to a topic that never appears in metadata fails after max.block.ms, definitely', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'max.block.ms': 5_000 });
  world.send('missing', 'x');
  world.send('t', 'queued-behind');
  world.sim.runFor(4_000);
  t.is(world.results.length, 0, 'the later send waits behind the blocked one, as calls on one thread would');
  world.sim.runFor(2_000);
  t.like(world.resultOf('x'), { ok: false, error: 'METADATA_TIMEOUT', indeterminate: false, partition: -1 });
  t.like(world.resultOf('queued-behind'), { ok: true, offset: 0 });
});

test('an error the broker raises before appending fails a batch definitely', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'enable.idempotence': false, acks: '1', retries: 0 });
  world.sim.runFor(100);
  world.kafka.produceError = () => ErrorCode.NOT_LEADER_OR_FOLLOWER;
  world.send('t', 'rejected');
  world.sim.runFor(1_000);
  t.like(world.resultOf('rejected'), { ok: false, error: 'NOT_LEADER_OR_FOLLOWER', indeterminate: false, retriable: true });
});

test('after NOT_LEADER_OR_FOLLOWER the producer refreshes metadata and sends to the new leader', (t) => {
  const world = producerWorld({ brokers: 3, topics: [{ name: 't', partitions: 1, leaders: [1] }] });
  world.send('t', 'before');
  world.sim.runFor(1_000);
  const metadataBefore = world.kafka.requestsOfType('MetadataRequest').length;
  world.kafka.moveLeader('t', 0, 2);
  world.send('t', 'after');
  world.sim.runFor(1_000);
  t.like(world.resultOf('after'), { ok: true, offset: 1 });
  const produces = world.kafka.requestsOfType('ProduceRequest');
  t.deepEqual(produces.map((entry) => entry.broker), [1, 1, 2], 'tried the old leader, then the new one');
  t.true(world.kafka.requestsOfType('MetadataRequest').length > metadataBefore);
  t.deepEqual(world.kafka.records('t', 0).map((record) => record.value), ['before', 'after']);
});

test('an OUT_OF_ORDER_SEQUENCE_NUMBER for the next expected batch bumps the epoch and restarts sequences at 0', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  let produces = 0;
  world.kafka.produceError = () => (++produces === 2 ? ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER : undefined);
  const sent = sendSpaced(world, 'r', 4);
  world.sim.runFor(10_000);
  const log = world.kafka.records('t', 0);
  t.deepEqual(log.map((record) => record.value), sent);
  t.deepEqual(log.map((record) => record.sequence), [0, 0, 1, 2], 'sequences restart at 0 under the new epoch');
  t.is(world.producer.producerIdAndEpoch()!.producerEpoch, 1);
  t.true(world.results.every((entry) => entry.result.ok));
});

test('at most max.in.flight.requests.per.connection produce requests wait for answers per broker', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.sim.runFor(100);
  world.kafka.dropResponse = (_, request) => isProduce(request);
  sendSpaced(world, 'r', 12);
  world.sim.runFor(20_000);
  t.is(world.kafka.requestsOfType('ProduceRequest').length, 5);
});

test('a broker crash loses an answer; the batch is retried once the broker is back and written once', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] });
  world.send('t', 'warm-up');
  world.sim.runFor(1_000);
  world.sim.network.setExtraLatency('broker-1', 'producer-1', 50); // answers take 50 ms
  world.send('t', 'a');
  world.sim.runFor(30); // appended, the answer on its way
  t.is(world.kafka.records('t', 0).length, 2);
  world.sim.crash('broker-1'); // the connection resets, the answer is gone
  world.sim.runFor(1_000);
  t.is(world.results.length, 1, 'retrying, not failed');
  world.sim.restart('broker-1');
  world.sim.runFor(60_000);
  t.like(world.resultOf('a'), { ok: true, offset: 1 });
  t.deepEqual(world.kafka.records('t', 0).map((record) => record.value), ['warm-up', 'a']);
});

test('acks=0 succeeds when the request is sent, with offset -1', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { acks: '0' });
  world.send('t', 'fire-and-forget');
  world.sim.runFor(1_000);
  t.like(world.resultOf('fire-and-forget'), { ok: true, offset: -1 });
  t.is(world.kafka.records('t', 0).length, 1);
});

test('a record larger than max.request.size fails at once, definitely', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'max.request.size': 1000 });
  world.send('t', 'x'.repeat(2000));
  t.like(world.results[0]?.result, { ok: false, error: 'RECORD_TOO_LARGE', indeterminate: false });
});

test('close() completes what was sent, then refuses new sends', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'linger.ms': 1_000 });
  world.send('t', 'a');
  let closed = false;
  world.producer.close(() => (closed = true));
  world.send('t', 'late');
  t.like(world.resultOf('late'), { ok: false, error: 'PRODUCER_CLOSED', indeterminate: false });
  world.sim.runFor(500);
  t.true(closed);
  t.like(world.resultOf('a'), { ok: true });
});

test('after a sent batch expires the producer bumps its epoch, so the next batches start a fresh sequence', (t) => {
  const world = producerWorld({ brokers: 1, topics: [{ name: 't', partitions: 1 }] }, { 'delivery.timeout.ms': 35_000 });
  world.sim.runFor(100);
  const lossEndsMs = world.sim.now() + 40_000;
  world.kafka.dropResponse = (_, request) => isProduce(request) && world.sim.now() < lossEndsMs;
  world.send('t', 'r0');
  world.sim.runFor(36_000);
  t.like(world.resultOf('r0'), { ok: false, error: 'DELIVERY_TIMEOUT', indeterminate: true });
  world.send('t', 'r1');
  world.sim.runFor(30_000);
  t.like(world.resultOf('r1'), { ok: true });
  t.is(world.producer.producerIdAndEpoch()!.producerEpoch, 1);
  const log = world.kafka.records('t', 0);
  t.deepEqual(log.map((record) => [record.value, record.sequence]), [['r0', 0], ['r1', 0]], 'r0 was written after all; r1 starts epoch 1 at sequence 0');
});

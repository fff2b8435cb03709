// Clients draw randomness and time only from their runtime: a seed replays a producer and a consumer exactly.
import test from 'ava';
import { parseConfig } from '../../engine/config/index.ts';
import { Consumer } from '../../engine/client/consumer.ts';
import { Producer } from '../../engine/client/producer.ts';
import { Simulation } from '../../sim/simulation.ts';
import { FakeKafka } from '../support/fake-kafka.ts';

function run(seed: number): { hash: string; outcomes: string; polled: number } {
  const sim = new Simulation({ seed });
  const kafka = new FakeKafka(sim, { brokers: 3, topics: [{ name: 't', partitions: 6 }] });
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  let polled = 0;
  const outcomes: string[] = [];
  sim.addNode('producer-1', (runtime) => (producer = new Producer(runtime, parseConfig('producer', { 'bootstrap.servers': ['broker-1', 'broker-2'] }))));
  sim.addNode('consumer-1', (runtime) => (consumer = new Consumer(runtime, parseConfig('consumer', { 'bootstrap.servers': ['broker-3'], 'auto.offset.reset': 'earliest' }), {
    onRecords: (batch) => (polled += batch.records.length),
  })));
  consumer!.assign(Array.from({ length: 6 }, (_, partition) => ({ topic: 't', partition })));
  // Answers from broker-1 to the producer stall past request.timeout.ms, then the link heals.
  sim.scheduler.at(1_000, () => sim.partition(['broker-1'], ['producer-1'], { oneWay: true }));
  sim.scheduler.at(36_000, () => sim.heal());
  for (let i = 0; i < 2_000; i++) {
    sim.scheduler.at(i * 2, () => producer!.send({ topic: 't', key: i % 3 === 0 ? null : `k${i % 50}`, value: `v${i}` },
      (result) => outcomes.push(result.ok ? `${result.partition}@${result.offset}` : result.error)));
  }
  sim.scheduler.at(1_500, () => kafka.moveLeader('t', 2, 3));
  sim.runFor(100_000);
  return { hash: sim.traceHash(), outcomes: outcomes.join(' '), polled };
}

test('the same seed replays producer and consumer to the same outcomes and trace hash', (t) => {
  const first = run(11);
  const second = run(11);
  t.is(first.hash, second.hash);
  t.is(first.outcomes, second.outcomes);
  t.is(first.outcomes.split(' ').length, 2_000);
  t.is(first.polled, 2_000, 'every record written once and read once');
  t.true(first.outcomes.split(' ').every((outcome) => outcome.includes('@')), 'every send succeeded');
});

import test from 'ava';
import { resolveRun } from '../../sim/run.ts';
import { counted } from '../../sim/counted.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { SMALL_SCENARIO } from '../support/small-scenario.ts';

test('counted reads as English', (t) => {
  t.is(counted(1, 'partition'), '1 partition');
  t.is(counted(2, 'fault'), '2 faults');
  t.is(counted(0, 'seed'), '0 seeds');
  t.is(counted(1, 'worker thread'), '1 worker thread');
});

test('the run banner counts in English: 1 partition, 1 controller, 1 fault, 1 producer', (t) => {
  const one: Scenario = {
    ...SMALL_SCENARIO,
    cluster: { brokers: 1, controllers: 1 },
    topic: { ...SMALL_SCENARIO.topic, partitions: 1, replicationFactor: 1 },
    config: { ...SMALL_SCENARIO.config, broker: { 'min.insync.replicas': 1 } },
    faults: { timeline: [SMALL_SCENARIO.faults!.timeline![0]!] },
  };
  const options = resolveRun(one, 1, { mode: 'scenario', source: 'one' }).options;
  t.is(options['cluster'], '1 broker, 1 controller');
  t.is(options['topic'], 'orders: 1 partition, replication factor 1');
  t.is(options['faults.timeline'], '1 fault');
  t.is(options['workload'], '1 producer (100/s records), 1 consumer');
  const two = resolveRun(SMALL_SCENARIO, 1, { mode: 'scenario', source: 'small' }).options;
  t.is(two['topic'], 'orders: 2 partitions, replication factor 3');
  t.is(two['faults.timeline'], '2 faults');
});

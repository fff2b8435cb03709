import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'steady-load-with-no-faults',
  summary: 'three brokers under steady acks=all load and no faults: the baseline for throughput and latency',
  teaching: `Two producers send 1,000 records a second each (100-byte values, linger.ms 5, acks=all, idempotence on)
to six partitions replicated three times; one consumer reads everything from the earliest offset. Nothing fails.

Look at the high watermark of each partition: it follows the log end offset of the leader closely, because the
followers fetch continuously and the high watermark is the smallest log end offset in the ISR. The produce
latency is a few round trips (the leader waits for both followers to fetch the batch); the end-to-end latency
adds the consumer's fetch. This run is the yardstick for the fault scenarios.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 } },
  workload: { producers: [{ ratePerSec: 1_000, count: 2 }], consumers: 1 },
  phases: { faultsMs: 0, livenessMs: 20_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
});

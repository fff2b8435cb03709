// A small scenario for tests: three brokers, a short run, a couple of faults, a swarm section.
import { defineScenario } from '../../sim/scenario.ts';

export const SMALL_SCENARIO = defineScenario({
  name: 'small-test-scenario',
  summary: 'a small scenario for tests',
  teaching: 'A small scenario for tests. Three brokers and one producer. A crash and an isolation. Nothing is lost.',
  cluster: { brokers: 3, controllers: 1 },
  topic: { name: 'orders', partitions: 2, replicationFactor: 3 },
  config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all', 'enable.idempotence': true } },
  workload: { producers: [{ ratePerSec: 100 }], consumers: 1 },
  faults: {
    timeline: [
      { kind: 'crash', target: 'leader:orders-0', atMs: 1_000, durationMs: 3_000 },
      { kind: 'isolate', target: 'broker-2', atMs: 6_000, durationMs: 2_000 },
    ],
  },
  phases: { faultsMs: 9_000, livenessMs: 8_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: { mix: { crash: 1, pause: 1, isolate: 1 }, targets: 'brokers', meanGapMs: 2_000, durationMs: [500, 3_000], waitForRecovery: true },
    vary: { rateFactor: [0.5, 2], extraLatencyMs: [0, 1], config: { 'producer.linger.ms': [0, 5, 20] }, thinFaultMix: true },
    expect: 'no-anomalies',
  },
});

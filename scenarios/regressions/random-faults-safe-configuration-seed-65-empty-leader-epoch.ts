// Shrunk by `npm run shrink` from random-faults-safe-configuration seed 65 (swarm mode), run on the engine
// before the fix of issue 9's defect 1, where it showed under-replicated: 4 faults -> 4, in 20 runs; one
// producer, no consumer. With the fix it must show nothing (the expectation was edited by hand to say so).

import { defineScenario } from '../../sim/scenario.ts';

export default defineScenario({
  name: 'random-faults-safe-configuration-seed-65-empty-leader-epoch',
  summary: 'a follower that led an epoch without appending rejoins the ISR (seed 65 of the safe swarm, once under-replicated)',
  teaching: `A reproduction of a bug the under-replicated checker found by random search, written by npm run shrink from
seed 65 of random-faults-safe-configuration and kept as a regression. A broker became the leader of a
partition, recorded the new leader epoch at its log end, and was cut off before anything was appended in that
epoch. Back as a follower it asked the new leader about that empty epoch; the answer ended at its own log end,
so its truncation removed nothing and it asked again, forever: it never rejoined the ISR, and the partition
stayed under-replicated until a restart. Kafka's UnifiedLog.truncateTo cuts the leader epoch cache at the log
end even when it removes no record, for exactly this case; the engine now does too. What the configuration is:
the original scenario's teaching text (npm run scenario -- random-faults-safe-configuration).`,
  cluster: { brokers: 3, controllers: 3 },
  hardware: 'lan-nvme',
  extraLatencyMs: 1,
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
  },
  workload: {
    producers: [
      {
        ratePerSec: 29,
        config: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 20 },
      },
    ],
    consumers: 0,
  },
  faults: {
    timeline: [
      { kind: 'crash', target: 'leader:orders-2', atMs: 5391, durationMs: 4473 },
      { kind: 'partition-one-way-in', target: 'leader:orders-5', atMs: 13064, durationMs: 9423 },
      { kind: 'pause', target: 'broker-2', atMs: 22487, durationMs: 9358 },
      { kind: 'isolate', target: 'leader:orders-3', atMs: 31890, durationMs: 8110 },
    ],
  },
  phases: { faultsMs: 40000, livenessMs: 15000, quiesceMs: 15000 },
  expect: 'no-anomalies',
  defaultSeed: 65,
});

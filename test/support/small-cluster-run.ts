// A short safe cluster run with random broker faults, small enough for npm test.
import type { ClusterRunSpec } from '../../sim/cluster-run.ts';

export const SMALL_SAFE_RUN: ClusterRunSpec = {
  cluster: { brokers: 3, controllers: 3, brokerConfig: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false } },
  topic: { name: 'orders', numPartitions: 6, replicationFactor: 3 },
  workload: {
    producers: [
      { ratePerSec: 100, config: { acks: 'all', 'enable.idempotence': true } },
      { ratePerSec: 100, config: { acks: 'all', 'enable.idempotence': true } },
    ],
    consumers: 1,
  },
  faults: {
    random: {
      mix: { crash: 1, 'power-loss': 1, isolate: 1, 'partition-one-way-in': 1, 'partition-one-way-out': 1 },
      targets: 'brokers',
      meanGapMs: 3_000,
      durationMs: [1_000, 12_000],
      waitForRecovery: true,
    },
  },
  faultsUntilMs: 15_000,
  livenessMs: 15_000,
  quiesceMs: 8_000,
};

// Steady load with no faults: 3 brokers, 6 partitions, 2 producers at 5,000 records/s each (100-byte
// values, linger.ms 5, acks=all, idempotence) and one consumer. The figure to read is acknowledged records
// per simulated second, and how much faster than real time the simulation runs them.

import type { ClusterRunSpec } from '../sim/cluster-run.ts';

export const spec: ClusterRunSpec = {
  cluster: { brokers: 3, controllers: 3, brokerConfig: { 'min.insync.replicas': 2 } },
  topic: { name: 'orders', numPartitions: 6, replicationFactor: 3 },
  workload: {
    producers: [{ ratePerSec: 5_000 }, { ratePerSec: 5_000 }],
    consumers: 1,
  },
  faultsUntilMs: 0,
  livenessMs: 30_000,
  quiesceMs: 5_000,
};

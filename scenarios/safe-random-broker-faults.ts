// The safe configuration under random broker faults, one broker at a time: replication factor 3,
// min.insync.replicas=2, acks=all, idempotence on, unclean election off. Crashes (kill -9), power losses,
// isolations and one-way partitions hit one broker at a time: a fault starts only once the previous one has
// ended AND the cluster has recovered from it (every partition's ISR full again), because a broker that came
// back is fenced and out of the ISR until it has caught up, and a second failure meanwhile is two at once.
// After the heal the load goes on so that liveness can be judged. Kafka promises no lost, duplicated or
// reordered acknowledged record here. (Without the wait, a power loss of the last ISR member loses acked
// writes, as Kafka 4.0 does: see test/replication/last-replica-standing.test.ts.)

import type { ClusterRunSpec } from '../sim/cluster-run.ts';

export const spec: ClusterRunSpec = {
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
      kinds: ['crash', 'power-loss', 'isolate', 'partition-one-way-in', 'partition-one-way-out'],
      targets: 'brokers',
      meanGapMs: 3_000,
      minDurationMs: 1_000,
      maxDurationMs: 12_000,
      oneAtATime: true,
    },
  },
  faultsUntilMs: 40_000,
  livenessMs: 40_000,
  quiesceMs: 15_000,
};

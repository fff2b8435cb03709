import { defineScenario, type RandomFaultSpec } from '../../sim/scenario.ts';

/** Up to two faults at a time, drawn without waiting for the cluster to recover: no power loss. */
const FAULTS: RandomFaultSpec = {
  mix: { crash: 2, pause: 1, isolate: 1 },
  targets: 'brokers',
  aimAtLeaders: true,
  meanGapMs: 3_000,
  durationMs: [1_000, 12_000],
  maxConcurrent: 2,
};

// Not in the catalogue: a swarm for CI and for the long runs (npm run swarm -- ./scenarios/swarms/...).
export default defineScenario({
  name: 'two-faults-at-once-safe-configuration',
  summary: 'the safe configuration under two overlapping kills, pauses or isolations: writes may stall, nothing is lost',
  teaching: `The safe configuration (replication factor 3, min.insync.replicas=2, acks=all, idempotent producers,
unclean leader election off) against two failures at once: kill -9, a long pause, an isolation, overlapping
on any two brokers, partition leaders included, with no wait for the cluster to recover in between. With two of
three replicas gone an ISR can shrink to one and acks=all then refuses writes (NOT_ENOUGH_REPLICAS) until a
replica is back: that is the price of min.insync.replicas=2, not a loss. No power loss: a kill keeps the page
cache, so what a replica acknowledged survives it. After the heal every write must be acknowledged again and
every ISR must fill up again; nothing acknowledged may be lost, duplicated or reordered.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: { random: FAULTS },
  phases: { faultsMs: 40_000, livenessMs: 60_000, quiesceMs: 15_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: FAULTS,
    vary: { rateFactor: [0.5, 3], extraLatencyMs: [0, 2], config: { 'producer.linger.ms': [0, 5, 20] } },
    expect: 'no-anomalies',
  },
});

import { defineScenario, type RandomFaultSpec } from '../sim/scenario.ts';

/** One failure at a time, each healed before the next: the scripted run and every swarm seed draw from these. */
const FAULTS: RandomFaultSpec = {
  mix: { crash: 2, 'power-loss': 2, pause: 1, isolate: 1, 'partition-one-way-in': 1, 'partition-one-way-out': 1, 'packet-loss': 1, 'latency-spike': 1, 'disk-slow': 1 },
  targets: 'brokers',
  aimAtLeaders: true,
  meanGapMs: 3_000,
  durationMs: [1_000, 12_000],
  waitForRecovery: true,
};

export default defineScenario({
  name: 'random-faults-safe-configuration',
  summary: 'random crashes, power losses, pauses and partitions against the safe configuration: nothing is lost',
  teaching: `The safe configuration: replication factor 3, min.insync.replicas=2, acks=all, idempotent producers,
unclean leader election off. The nemesis hits the brokers with random faults: kill -9, power loss (the page
cache is lost), a long GC pause, isolation, one-way partitions, packet loss and latency spikes, a slow disk.
One failure at a time as the cluster sees it: a fault waits until the previous one has ended and every ISR is
full again, because Kafka promises nothing against two overlapping failures with min.insync.replicas=2.

After the heal the load goes on (the liveness phase) and the cluster must acknowledge new writes again. Look for
the ISR shrinking while a broker is down and growing back once it has caught up, the leader epoch moving at
each election, and the high watermark never going backwards. Run it as a swarm (npm run swarm) to let each
seed draw its own fault mix, rates and network latency.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: {
    random: FAULTS,
  },
  phases: { faultsMs: 40_000, livenessMs: 30_000, quiesceMs: 15_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: FAULTS,
    vary: { rateFactor: [0.5, 3], extraLatencyMs: [0, 2], config: { 'producer.linger.ms': [0, 5, 20] }, thinFaultMix: true },
    expect: 'no-anomalies',
  },
});

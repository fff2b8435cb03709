import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'correlated-power-loss-with-flush-on-every-write',
  summary: 'every broker loses power at once, but each write is fsynced before it is acknowledged: nothing acknowledged is lost',
  teaching: `The same cluster, load and blackout as correlated-power-loss-without-fsync — replication factor
3, min.insync.replicas=2, acks=all, and all three brokers losing power at the same instant, 40 s into the run
— with one topic setting changed: flush.messages=1. Each broker now fsyncs its log after every append; the
leader answers the producer only once its own fsync has completed and the followers have fetched the batch,
and a follower fsyncs what it fetched before it fetches again (so the high watermark never counts a record
that is only in a follower's page cache). Whatever was acknowledged is on the disks of at least two brokers,
and a power loss of every broker cannot take it away. Records the leader had appended but not yet acknowledged
may still vanish; the producer did not hear back about them, and retries them.

The price is latency. Every produce request now waits for fsyncs on the leader and on a follower in turn (a
flush syncs the segment's .log, .index and .timeindex files, as Kafka's does), and on these cloud volumes (EBS
gp3-like, ~1.5 ms per fsync, one queue per device) a broker syncing every batch of its six partitions keeps
its volume busy: requests queue behind each other's fsyncs and batches grow until the volume keeps up.
Measured on seeds 1..5, produce p50 is 5.8 ms without fsync and ~395 ms with it; without the blackout (the
same runs with no fault, seed 1) produce p99 goes from 6.9 ms to 432 ms. Over the whole run the p99 of both is
the blackout itself, 10.7 to 11.8 s: producers wait for the brokers to come back. This is why Kafka leaves
flushing to the operating system and relies on replicas in different failure domains (racks, zones) instead: a
correlated failure of every replica is rare if the replicas do not share a power supply. Set flush.messages=1
(or the broker-wide log.flush.interval.messages) only where such a failure must not lose acknowledged data.

In the report: the power-loss lane across every broker, the log end offsets falling back only by records that
were never acknowledged, and no anomaly.`,
  cluster: { brokers: 3, controllers: 3 },
  hardware: 'cloud',
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    topic: { 'flush.messages': 1 },
    producer: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    timeline: [{ kind: 'power-loss', target: 'brokers', atMs: 40_000, durationMs: 5_000 }],
  },
  phases: { faultsMs: 45_000, livenessMs: 20_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    // Power losses of every broker at once (the group target `brokers`), among kills and isolations of single
    // brokers and of partition leaders.
    faults: {
      mix: { 'power-loss': 2, crash: 1, isolate: 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      targetsByKind: { 'power-loss': ['brokers'] },
      meanGapMs: 4_000,
      durationMs: [2_000, 10_000],
    },
    expect: 'no-anomalies',
  },
});

import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'correlated-power-loss-without-fsync',
  summary: 'every broker loses power at once under acks=all without fsync: acknowledged records only in page caches are lost',
  teaching: `Kafka's durability rests on replication, not on the disk. By default a broker never calls fsync
for the log (flush.messages and flush.ms are "never"): an append lands in the operating system's page cache,
and the kernel writes it to the device later (here, as on Linux, dirty data older than 30 s goes out at the
next flusher run, every 5 s). acks=all answers the producer once every in-sync replica has the record in its
page cache. That is safe against any failure that spares at least one replica's memory: a kill -9 keeps the
page cache (the kernel still owns it), and a machine that loses power is repaired from the replicas that did
not. What it does not survive is a correlated failure of every replica at once — a rack or a data centre
losing power, a kernel panic across the fleet: records acknowledged in the last tens of seconds existed
nowhere but in RAM.

Here the safe configuration (replication factor 3, min.insync.replicas=2, acks=all, idempotent producers,
unclean election off), on cloud instances (EBS gp3-like volumes), meets a power loss of all three brokers at
the same instant, 40 s into the run. Each broker comes back with what its disk kept: log segments cut at
whatever the kernel had written back, a torn last write dropped by recovery. The controllers elect leaders
among the returning brokers, followers truncate to the leaders' logs (leader epochs keep the replicas in
agreement), the producers go on and write new records at the offsets that the lost ones had.

In the report: the power-loss lane across every broker; the log end offsets of every partition fall back at
the restart by the seconds of data that were not yet written back; lost-write lists acknowledged records with
the offset each was acknowledged at and the record that holds that offset now. The fix, when a correlated
failure must not lose data, is an fsync before each acknowledgement — see
correlated-power-loss-with-flush-on-every-write, and compare the produce latency.`,
  cluster: { brokers: 3, controllers: 3 },
  hardware: 'cloud',
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    timeline: [{ kind: 'power-loss', target: 'brokers', atMs: 40_000, durationMs: 5_000 }],
  },
  phases: { faultsMs: 45_000, livenessMs: 20_000, quiesceMs: 5_000 },
  // The lost records' offsets are taken by later ones: two acknowledgements name one offset with different
  // records (inconsistent-offsets), and a producer's acknowledged offsets go backwards (nonmonotonic-send).
  expect: { shows: ['lost-write'], mayShow: ['inconsistent-offsets', 'nonmonotonic-send'] },
  swarm: {
    // Power losses (and kills) of single brokers that may overlap until every replica is down: a random
    // schedule cannot aim at the group `brokers`, so the correlated failure is built from overlapping ones.
    faults: {
      mix: { 'power-loss': 3, crash: 1 },
      targets: 'brokers',
      meanGapMs: 3_000,
      durationMs: [3_000, 15_000],
      maxConcurrent: 3,
    },
    // When the load after the outage does not refill the lost offsets before the run ends, the final high
    // watermark stays below one a consumer saw before it (hw-regression): committed records un-committed. A
    // record a consumer had read is lost while its acknowledgement is still on the way; the producer retries
    // it and it is written again at another offset (duplicate: one value seen at two offsets).
    expect: { mayShow: ['inconsistent-offsets', 'nonmonotonic-send', 'hw-regression', 'duplicate'], find: ['lost-write'] },
  },
});

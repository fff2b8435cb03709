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
    expect: { mayShow: ['inconsistent-offsets', 'nonmonotonic-send', 'hw-regression', 'duplicate'], find: ['lost-write'] },
  },
});

import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';
const PARTITIONS = 8;

export default defineScenario({
  name: 'kip-101-divergence-under-high-watermark-truncation',
  summary: 'both replicas lose power and the follower truncates to its stale high watermark: the replicas diverge (pre-KIP-101)',
  teaching: `KIP-101's second failure. Kafka does not fsync each write by default: a record acknowledged under acks=all
may sit in the page cache of every replica. Here a topic has two replicas (min.insync.replicas=1, Kafka's
default) and both brokers lose power, 2.5 s apart. broker-1 goes first, so the controller fences it first and
broker-2 is left the last ISR member: when broker-2 comes back it leads every partition, with whatever its disk
kept, and the producer writes new records at offsets that broker-1 may still hold with other contents. A few
seconds later broker-1 comes back and follows.

Before KIP-101 a returning follower truncated only to its own high watermark, which its checkpoint file
(replication-offset-checkpoint) remembered from before the outage. Where broker-2 kept less of a partition
than broker-1 did, below that checkpointed high watermark, broker-1 keeps its old records and fetches only
what lies after them: the two replicas now hold different records at the same offsets, below the high
watermark, for good. A consumer reading from one or the other sees different histories. What a power loss
keeps of a file's unsynced tail is drawn per file (nothing, all, a torn last write, a cut anywhere), so the
topic has eight partitions: some of them tell the story in almost every run. The checkpoint is written every
second (replica.high.watermark.checkpoint.interval.ms, 5 s by default) so that it covers most of what broker-2
lost.

In the report: the divergence anomaly names the first offset where broker-1 and broker-2 disagree; broker-1's
record there carries an older leader epoch than broker-2's. Acknowledged records that only page caches held
are gone as well (lost-write) — no truncation rule brings back what every copy lost. Leader epochs fix the
divergence, not the loss: see kip-101-sequences-with-leader-epochs and correlated-power-loss-with-flush-on-every-write.`,
  cluster: { brokers: 2, controllers: 3 },
  topic: { name: TOPIC, partitions: PARTITIONS, replicationFactor: 2 },
  config: {
    broker: {
      'min.insync.replicas': 1,
      'unclean.leader.election.enable': false,
      'replica.high.watermark.checkpoint.interval.ms': 1_000,
      'replication.truncation': 'high-watermark',
    },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 100 }], consumers: 1 },
  faults: {
    steps: [
      { label: 'broker-1 loses power', atMs: 8_000, do: (ctx) => ctx.powerLoss('broker-1') },
      { label: 'broker-2 loses power', afterMs: 2_500, do: (ctx) => ctx.powerLoss('broker-2') },
      { label: 'broker-2 comes back', afterMs: 12_000, do: (ctx) => ctx.restart('broker-2') },
      {
        label: 'broker-2 leads every partition',
        when: (ctx) => Array.from({ length: PARTITIONS }, (_, p) => ctx.leaderReplica(TOPIC, p)).every((leader) => leader?.broker === 'broker-2'),
        timeoutMs: 20_000,
      },
      { label: 'broker-1 comes back', afterMs: 3_000, do: (ctx) => ctx.restart('broker-1') },
    ],
  },
  // The story's last step comes ~26 s in; the heal at 30 s. In a swarm, random faults fill those 30 s.
  phases: { faultsMs: 30_000, livenessMs: 20_000, quiesceMs: 5_000 },
  // What comes with the divergence: acknowledged records only page caches held are gone (lost-write); their
  // offsets are reused by later records (inconsistent-offsets) and the producer's acknowledged offsets stop
  // increasing (nonmonotonic-send).
  expect: { shows: ['divergence'], mayShow: ['lost-write', 'inconsistent-offsets', 'nonmonotonic-send'] },
  swarm: {
    // Power losses that overlap (both brokers down at once), at random.
    faults: {
      mix: { 'power-loss': 3, crash: 1 },
      targets: 'brokers',
      meanGapMs: 2_000,
      durationMs: [2_000, 10_000],
      maxConcurrent: 2,
    },
    // Besides the scripted story's kinds: a leader that truncated to a stale high watermark un-commits records
    // it had already made visible, so the final high watermark ends below one seen earlier (hw-regression). A
    // record a consumer had read is lost with the page caches while its acknowledgement is still on the way;
    // the producer retries it and it is written again at another offset (duplicate: one value, two offsets).
    expect: { mayShow: ['lost-write', 'inconsistent-offsets', 'nonmonotonic-send', 'hw-regression', 'duplicate'], find: ['divergence'] },
  },
});

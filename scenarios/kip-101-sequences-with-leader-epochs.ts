import { defineScenario, type ScriptContext } from '../sim/scenario.ts';
import { KIP_101_LOST_WRITE_STEPS } from './kip-101-lost-write-under-high-watermark-truncation.ts';

const TOPIC = 'orders';
const PARTITIONS = 1;
const BROKERS = ['broker-1', 'broker-2', 'broker-3'];

/** Every partition led by a live broker, with all three replicas in its ISR. */
function fullyReplicated(ctx: ScriptContext): boolean {
  for (let p = 0; p < PARTITIONS; p++) {
    const leader = ctx.leaderReplica(TOPIC, p);
    if (leader === undefined || leader.isr.length < BROKERS.length) return false;
  }
  return true;
}

export default defineScenario({
  name: 'kip-101-sequences-with-leader-epochs',
  summary: 'both KIP-101 failure sequences, replayed with leader epochs: nothing acknowledged is lost, no replicas diverge',
  teaching: `Both failure sequences of KIP-101, one after the other, on a cluster with Kafka's default truncation rule
(leader epochs): three brokers, replication factor 3, min.insync.replicas=2, acks=all, unclean election off.

First sequence (kip-101-lost-write-under-high-watermark-truncation): the followers of orders-0 are cut off from
each other; when an acknowledged record sits above both followers' high watermarks, the leader is killed; the
new leader is killed as soon as it is elected; the last follower leads. Under the old rule the follower that
started following the second leader cut its log back to its high watermark, dropping the acknowledged record.
With leader epochs it keeps its log until the leader answers "where do our logs part?": every broker keeps a
leader-epoch cache (leader-epoch-checkpoint: the first offset of each epoch) and the follower's fetch carries
the epoch of its last record (KIP-320); the leader answers with the end offset of that epoch in its own log,
and the follower truncates only above it. A record the leader still has is never cut, so the last follower
leads with every acknowledged record.

Second sequence (kip-101-divergence-under-high-watermark-truncation): every broker loses power, 2.5 s apart;
broker-3, the last one standing, comes back first and leads; 3 s later the other two return and follow. Under
the old rule a returning follower kept its log up to the high watermark its checkpoint file remembered, even
where the new leader's log, cut at its last fsync, holds other records: the replicas diverged for good. With
leader epochs the follower asks where its last epoch ends in the leader's log and truncates there, so the
replicas end identical. Leader epochs fix the divergence, not the loss: a record that sat only in page caches
is gone whatever the rule (that is what kip-101-divergence-under-high-watermark-truncation also shows, and
correlated-power-loss-without-fsync). So this topic has flush.messages=1 (an fsync before each
acknowledgement): nothing acknowledged is lost to the power losses, and what is left to go wrong is what leader
epochs fix. Each power loss is also a leader change, so the second sequence exercises the first one's rule
again, three times over.

In the report: the leader epoch of orders-0 steps up at each election (twice within seconds in the first
sequence, then at each power loss); the log end offsets of the returning followers drop to the divergence
point and climb back to the leader's; the ISR shrinks to one broker and grows back; no anomaly. Run it with
--set broker.replication.truncation=high-watermark to see the old rule lose an acknowledged write in the first
sequence (and in seeds 1 and 2 a second one in the second sequence, where a follower of a new leader truncates
to its high watermark once more).`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: PARTITIONS, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false, 'replica.high.watermark.checkpoint.interval.ms': 1_000 },
    topic: { 'flush.messages': 1 },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 50 }], consumers: 1 },
  faults: {
    steps: [
      // The first sequence: KIP-101's lost write.
      ...KIP_101_LOST_WRITE_STEPS,
      {
        label: 'heal: the killed brokers restart and catch up',
        afterMs: 3_000,
        do: (ctx) => ctx.healAll(),
      },
      { label: 'every partition is fully replicated again', when: fullyReplicated, timeoutMs: 40_000 },
      // The second sequence: KIP-101's divergence.
      { label: 'broker-1 loses power', afterMs: 2_000, do: (ctx) => ctx.powerLoss('broker-1') },
      { label: 'broker-2 loses power', afterMs: 2_500, do: (ctx) => ctx.powerLoss('broker-2') },
      { label: 'broker-3 loses power', afterMs: 2_500, do: (ctx) => ctx.powerLoss('broker-3') },
      { label: 'broker-3 comes back', afterMs: 10_000, do: (ctx) => ctx.restart('broker-3') },
      {
        label: 'broker-3 leads every partition',
        when: (ctx) => Array.from({ length: PARTITIONS }, (_, p) => ctx.leaderReplica(TOPIC, p)).every((leader) => leader?.broker === 'broker-3'),
        timeoutMs: 20_000,
      },
      {
        label: 'broker-1 and broker-2 come back',
        afterMs: 3_000,
        do: (ctx) => {
          ctx.restart('broker-1');
          ctx.restart('broker-2');
        },
      },
    ],
  },
  phases: { faultsMs: 30_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    // The faults both sequences are made of, at random and overlapping: kills, isolations and power losses.
    faults: {
      mix: { crash: 2, 'power-loss': 2, isolate: 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 2_000,
      durationMs: [2_000, 10_000],
      maxConcurrent: 2,
    },
    expect: 'no-anomalies',
  },
});

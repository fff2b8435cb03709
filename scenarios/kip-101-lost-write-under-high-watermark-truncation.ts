import { defineScenario, type ScriptStep } from '../sim/scenario.ts';

const TOPIC = 'orders';

/** KIP-101's first sequence on orders-0 (kip-101-sequences-with-leader-epochs replays it with leader epochs). */
export const KIP_101_LOST_WRITE_STEPS: readonly ScriptStep[] = [
  {
    label: 'the followers of orders-0 are cut off from each other',
    atMs: 2_000,
    do: (ctx) => {
      const [one, other] = ctx.followersOf(TOPIC, 0);
      ctx.partition([one!], [other!]);
    },
  },
  {
    label: 'an acknowledged record is above both followers\' high watermarks: kill -9 the leader',
    when: (ctx) => {
      const acked = ctx.lastAckedOffset(TOPIC, 0);
      return acked >= 0 && ctx.followersOf(TOPIC, 0).every((node) => ctx.replica(node, TOPIC, 0)!.highWatermark <= acked);
    },
    do: (ctx) => ctx.crash(ctx.leaderOf(TOPIC, 0)),
  },
  {
    label: 'a follower leads orders-0: kill -9 it before the other fetches from it',
    when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
    timeoutMs: 30_000,
    do: (ctx) => ctx.crash(ctx.leaderOf(TOPIC, 0)),
  },
  {
    label: 'the other follower leads orders-0',
    when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
    timeoutMs: 30_000,
  },
];

export default defineScenario({
  name: 'kip-101-lost-write-under-high-watermark-truncation',
  summary: 'followers truncate to their high watermark on a leader change (pre-KIP-101): an acknowledged write is lost',
  teaching: `Before KIP-101 (Kafka 0.11), a replica that started following a new leader cut its log back to its own
high watermark and fetched the rest again. But a follower learns the high watermark one fetch after the leader
moves it: it may hold a record the leader has already acknowledged under acks=all and still believe that
record uncommitted. Truncating to the high watermark throws that acknowledged record away; if this follower
then leads before it has fetched the record back, the record is gone for good. Every other setting here is
the safe one: replication factor 3, min.insync.replicas=2, acks=all, idempotent producer, unclean election
off. Only replication.truncation=high-watermark brings the old rule back.

The story, on one partition: the two followers are cut off from each other (harmless: they both fetch from
the leader). As soon as an acknowledged record lies at or above both followers' high watermarks, the leader
is killed. The controller fences it and elects a follower; the other follower starts following the new
leader, truncates to its high watermark and so drops the acknowledged record, and cannot fetch it back, being
cut off from the new leader. The new leader is killed at once; the controller elects the remaining follower
cleanly (it is the last ISR member) and it leads without the record.

In the report: the leader epoch of orders-0 steps up twice in a few seconds; the log end offset of the last
leader dips below an acknowledged offset; the lost-write anomaly names the acknowledged offset and the record
that later took its place. KIP-101 replaced the rule with leader epochs: a follower asks the leader where
their logs part (OffsetsForLeaderEpoch, later folded into Fetch by KIP-320) and truncates only there, so it
keeps every record the leader kept — run kip-101-sequences-with-leader-epochs to see the same story end well.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false, 'replication.truncation': 'high-watermark' },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 50 }], consumers: 1 },
  faults: {
    steps: KIP_101_LOST_WRITE_STEPS,
  },
  // The story's last step comes ~20 s in; the heal (every crashed broker restarted, the cut removed) at 30 s.
  // In a swarm, random faults fill those 30 s.
  phases: { faultsMs: 30_000, livenessMs: 15_000, quiesceMs: 5_000 },
  // The lost record's offset is reused by the next one the producer sends: two acknowledgements name the same
  // offset with different records (inconsistent-offsets), and the producer's acknowledged offsets stop
  // increasing (nonmonotonic-send).
  expect: { shows: ['lost-write'], mayShow: ['inconsistent-offsets', 'nonmonotonic-send'] },
  swarm: {
    // Two brokers down close together, hitting leaders: the window between a leader change and the
    // truncated follower catching up is where an acknowledged record can vanish. Kills and isolations only,
    // no power loss: two power losses at once lose unsynced records under any truncation rule (see
    // correlated-power-loss-without-fsync); with kill -9 the same swarm under leader epochs loses nothing.
    faults: {
      mix: { crash: 2, isolate: 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 2_000,
      durationMs: [2_000, 12_000],
      maxConcurrent: 2,
    },
    // Random faults also tell the rule's other half: a replica that kept the record, its high watermark above
    // it, comes back and truncates only to that high watermark, keeping the record where the leader now has
    // another: the replicas diverge (KIP-101's second case, see kip-101-divergence-under-high-watermark-truncation).
    // And a new leader that truncated to a stale high watermark un-commits records a consumer already read:
    // the final high watermark is below one the run made visible (hw-regression).
    expect: { mayShow: ['inconsistent-offsets', 'nonmonotonic-send', 'divergence', 'hw-regression'], find: ['lost-write'] },
  },
});

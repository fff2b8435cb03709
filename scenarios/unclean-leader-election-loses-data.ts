import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';

let oldLeader = '';

export default defineScenario({
  name: 'unclean-leader-election-loses-data',
  summary: 'min.insync.replicas=1 and unclean election: the ISR shrinks to the leader, it dies, a stale replica leads',
  teaching: `Jepsen's analysis of Kafka (Kyle Kingsbury, 2013) in one run. With min.insync.replicas=1 the ISR may
shrink to the leader alone, and acks=all then means only "the leader has it". Lose that leader, let a replica
outside the ISR take over (unclean.leader.election.enable=true), and every write acknowledged while the leader
was alone is gone. Kafka's answer was min.insync.replicas (an acks=all write needs that many ISR members) and,
since 0.11, unclean leader election off by default.

The story, on a single-partition topic replicated three times, acks=all, replica.lag.time.max.ms=5000 (Kafka's
default is 30 s; the story only needs the ISR to shrink within a short run):
  2 s   the followers are cut off from the leader (the leader still reaches the controllers and the
        clients). acks=all sends wait: the ISR is full and the followers cannot fetch, so the high watermark
        does not move.
  ~7 s  the leader finds its followers lagging for replica.lag.time.max.ms and shrinks the ISR to itself (it
        asks the controller, which it can still reach). The high watermark jumps to the log end: under
        min.insync.replicas=1 every waiting send, and every send that follows, is acknowledged by the leader
        alone.
  +3 s  the leader is killed (kill -9) and the followers' network heals.
  +12 s the controller has fenced the dead leader (broker.session.timeout.ms, 9 s). No ISR member is alive, so
        with unclean leader election a stale follower is elected, without anything written since 2 s. Then the
        old leader restarts, finds by leader epoch where its log diverges from the new leader's (KIP-320) and
        truncates the acknowledged records away.

What to look for in the report: the ISR size of orders-0 falling 3 -> 1, the leader lane jumping to another
broker with a higher epoch, and the lost-write anomalies, each a record the producer was told was stored. The new
leader reuses the lost records' offsets, so the consumer, which had read some of them, later finds other records
at the same offsets (inconsistent-offsets), and the producer sees its acknowledged offsets step backwards
(nonmonotonic-send, once per step). The swarm may also show hw-regression: records below the old leader's high
watermark, committed and visible to consumers, are un-committed by the election; when the load stops before
the new leader's log grows past the old high watermark, the final one stays below it. There is no divergence: after the truncation all replicas agree, on a log
without the acknowledged records. Run it with --set broker.min.insync.replicas=2 --set
broker.unclean.leader.election.enable=false: the same faults lose nothing (writes are refused with
NOT_ENOUGH_REPLICAS while the leader is alone, and the partition waits for its last ISR member to come back).`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 1, 'unclean.leader.election.enable': true, 'replica.lag.time.max.ms': 5_000 },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 50 }], consumers: 1 },
  faults: {
    steps: [
      {
        label: 'the followers are cut off from the leader of orders-0',
        atMs: 2_000,
        do: (ctx) => {
          oldLeader = ctx.leaderOf(TOPIC, 0);
          ctx.partition([oldLeader], ctx.followersOf(TOPIC, 0));
        },
      },
      {
        label: 'the ISR shrinks to the leader alone',
        when: (ctx) => ctx.isrOf(TOPIC, 0).length === 1,
        timeoutMs: 15_000,
      },
      {
        label: 'kill -9 the leader, heal the followers',
        afterMs: 3_000,
        do: (ctx) => {
          ctx.crash(oldLeader);
          ctx.heal();
        },
      },
      {
        // No `when` here: under the safe counterpart (--set below) nobody may be elected while the old leader is
        // dead, and the story must still run to show that.
        label: 'the old leader restarts (by now the controller has fenced it and elected a stale follower)',
        afterMs: 12_000,
        do: (ctx) => ctx.restart(oldLeader),
      },
    ],
  },
  phases: { faultsMs: 25_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: { shows: ['lost-write'], mayShow: ['inconsistent-offsets', 'nonmonotonic-send'] },
  swarm: {
    faults: {
      mix: { crash: 3, isolate: 1, 'partition-one-way-in': 1, 'partition-one-way-out': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 2_000,
      durationMs: [3_000, 12_000],
      maxConcurrent: 2,
    },
    vary: { rateFactor: [0.5, 2] },
    expect: { mayShow: ['inconsistent-offsets', 'nonmonotonic-send', 'hw-regression'], find: ['lost-write'] },
  },
});

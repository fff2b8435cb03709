import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';

let oldLeader = '';

export default defineScenario({
  name: 'leader-crash-under-acks-one',
  summary: 'acks=1: the leader, cut off from its followers, is killed; the records it alone acknowledged are lost',
  teaching: `acks=1 means "the leader has written it to its log": the producer is answered before any follower has
fetched the record. That is faster than acks=all, and it is a bet that the leader lives until its followers have
copied the record. (Kafka refuses enable.idempotence=true with acks=1, so idempotence is off here; Kafka 3.0
made acks=all and idempotence the producer's defaults for exactly this reason.)

The story, on a single-partition topic replicated three times:
  2 s  the leader of orders-0 is cut off from its two followers. It still reaches the controllers and the
       clients, so it keeps its leadership and keeps acknowledging every write under acks=1. The followers
       fetch nothing.
  5 s  the leader is killed (kill -9) and the network heals. The cut lasted 3 s, far less than
       replica.lag.time.max.ms (30 s), so the leader never removed the followers from the ISR: both are still
       "in sync" as far as the controller knows. Once the dead broker is fenced (broker.session.timeout.ms,
       9 s), the controller elects one of them, a clean election, with the leader epoch one higher.
       The new leader has nothing of the last 3 s.
  then the old leader restarts. It asks the new leader where their logs diverge (by leader epoch, KIP-320)
       and truncates its log to that point: the 3 s of acknowledged records are gone from every replica.

What to look for in the report: the lost-write anomalies, each naming a record the producer was told was
stored at some offset, and the leader-epoch change on orders-0 right after the kill. The new leader hands the
same offsets to new records, so a consumer that had read the old record at an offset later finds another one
there: inconsistent-offsets comes along. And the producer itself sees an offset go backwards: its last record
on the old leader was acknowledged at, say, offset 258 and its next one on the new leader at 102, which the
nonmonotonic-send checker reports (once per such step back); without idempotence a retried batch can also land
after the batch sent behind it (up to five requests are in flight), which the swarm sometimes shows. There is no divergence: the replicas agree with each other at the end,
they just agree on a log without the acknowledged records. Run it with --set producer.acks=all
--set producer.enable.idempotence=true to see the same faults lose nothing.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 1, 'enable.idempotence': false },
  },
  workload: { producers: [{ ratePerSec: 50 }], consumers: 1 },
  faults: {
    steps: [
      {
        label: 'the leader of orders-0 is cut off from its followers',
        atMs: 2_000,
        do: (ctx) => {
          oldLeader = ctx.leaderOf(TOPIC, 0);
          ctx.partition([oldLeader], ctx.followersOf(TOPIC, 0));
        },
      },
      {
        label: 'kill -9 the leader, heal the network',
        afterMs: 3_000,
        do: (ctx) => {
          ctx.crash(oldLeader);
          ctx.heal();
        },
      },
      {
        label: 'a follower leads in a new epoch; the old leader restarts',
        when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
        do: (ctx) => ctx.restart(oldLeader),
      },
    ],
  },
  phases: { faultsMs: 20_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: { shows: ['lost-write'], mayShow: ['inconsistent-offsets', 'nonmonotonic-send'] },
  swarm: {
    faults: {
      mix: { crash: 2, isolate: 1, 'partition-one-way-out': 1, 'partition-one-way-in': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [2_000, 10_000],
      maxConcurrent: 2,
    },
    vary: { rateFactor: [0.5, 2] },
    expect: { mayShow: ['inconsistent-offsets', 'nonmonotonic-send'], find: ['lost-write'] },
  },
});

import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';
/** Extra one-way latency on the slow follower's link to its leader: a fetch round trip takes ~6 s. */
const SLOW_LINK_MS = 3_000;

let slowFollower = '';
/** The slow link, as the step that slowed it holds it: end() makes it fast again. */
let slowLink: { end(): void } | undefined;

export default defineScenario({
  name: 'slow-follower-shrinks-and-expands-the-isr',
  summary: 'a follower falls behind: the leader drops it from the ISR, acks=all goes on with two, and it rejoins',
  teaching: `The ISR (in-sync replicas) is the set of replicas the leader waits for. Under acks=all the leader
answers a producer once the high watermark has passed the batch, and the high watermark is the smallest log
end offset among the ISR: so the slowest member of the ISR sets the pace of every acks=all write.
replica.lag.time.max.ms bounds that: a follower that has not caught up with the leader's log end within that
long is removed from the ISR (the leader asks the controller, which records the new ISR in its metadata log).
Kafka's default is 30 s; here it is 5 s so that the story fits in a short run.

The story, on a single-partition topic replicated three times, min.insync.replicas=2, acks=all:
  5 s   one follower of orders-0 becomes slow: its link to the leader gets 3 s of extra latency each way, so
        each fetch round trip takes about 6 s. The ISR still holds it, and the high watermark can move only
        when its fetches arrive: the produce latency jumps to seconds.
  ~12 s the leader sees the follower lagging for more than replica.lag.time.max.ms and shrinks the ISR to 2.
        The high watermark now follows the two fast replicas, and acks=all latency drops back to milliseconds.
        Two is still min.insync.replicas, so no write is refused.
  25 s  the link is fast again. The follower fetches what it missed; once it has reached the leader's log end
        the leader adds it back: the ISR expands to 3.

What to look for in the report: the slow link on the fault lane, between the follower and the leader; on
orders-0, the ISR size goes 3 -> 2 -> 3, with no leader change (the epoch
stays the same: only the ISR changed); the produce latency chart rises while the slow follower is still in the
ISR and falls as soon as it is dropped; the slow follower's log end offset lags behind the others and then
climbs back. No anomaly: removing a follower from the ISR never loses data, it only lowers the number of copies
an acknowledged record is guaranteed to have (here 2, the floor min.insync.replicas sets).`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'replica.lag.time.max.ms': 5_000, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: {
    steps: [
      {
        label: 'a follower of orders-0 becomes slow (+3 s each way on its link to the leader)',
        atMs: 5_000,
        do: (ctx) => {
          slowFollower = ctx.followersOf(TOPIC, 0)[0]!;
          slowLink = ctx.slowLink(slowFollower, ctx.leaderOf(TOPIC, 0), SLOW_LINK_MS);
        },
      },
      {
        label: 'the leader drops the slow follower: the ISR shrinks to 2',
        when: (ctx) => ctx.isrOf(TOPIC, 0).length === 2 && !ctx.isrOf(TOPIC, 0).includes(slowFollower),
        timeoutMs: 15_000,
      },
      {
        label: 'the follower is fast again',
        atMs: 25_000,
        do: () => slowLink!.end(),
      },
      {
        label: 'it has caught up: the ISR expands to 3',
        when: (ctx) => ctx.isrOf(TOPIC, 0).length === 3,
        timeoutMs: 15_000,
      },
    ],
  },
  phases: { faultsMs: 35_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { 'latency-spike': 2, 'packet-loss': 1, 'disk-slow': 1 },
      targets: 'brokers',
      meanGapMs: 4_000,
      durationMs: [3_000, 15_000],
      waitForRecovery: true,
    },
    vary: { rateFactor: [0.5, 2], config: { 'broker.replica.lag.time.max.ms': [2_000, 5_000, 10_000] } },
    expect: 'no-anomalies',
  },
});

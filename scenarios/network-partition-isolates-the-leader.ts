import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';

let oldLeader = '';
let oldEpoch = -1;

export default defineScenario({
  name: 'network-partition-isolates-the-leader',
  summary: 'the leader of orders-0 is cut off from the other brokers and the controllers: a new leader takes over, nothing is lost',
  teaching: `A network partition puts the leader of orders-0 on one side, alone, and every other broker and the three
KRaft controllers on the other. The clients can still reach it: this is the dangerous case, a "zombie" leader
that still believes it leads and still receives writes. The configuration is the safe one: replication
factor 3, min.insync.replicas=2, acks=all, idempotent producers, unclean leader election off.

The story:
  8 s   the leader of orders-0 is cut off. Its heartbeats no longer reach the controllers and its followers'
        fetches no longer reach it. Producers keep sending to it. Under acks=all it may answer only once every
        ISR member has the batch; its followers cannot fetch, and to drop them from the ISR it would have to ask
        the controller, which it cannot reach. So it acknowledges nothing: its high watermark is stuck, and the
        produce requests wait in its purgatory.
        The other partitions stall too: the cut-off broker is a follower of theirs, still in their ISR
        (replica.lag.time.max.ms is 30 s), so their high watermarks wait for its fetches, which never come.
  ~17 s the controller has heard no heartbeat for broker.session.timeout.ms (9 s): it fences the broker, removes
        it from every ISR (3 -> 2, still min.insync.replicas) and elects a new leader for orders-0 from the ISR,
        one epoch higher. orders-1 and orders-2 resume at once.
  23 s  the partition heals. The connections come back at their next TCP retransmission (the retransmission
        timeout doubled all through the cut), so it takes the old leader a few more seconds to read the new
        metadata. Then it becomes a follower, truncates the records it appended during the cut (none of them was
        acknowledged), fetches from the new leader and rejoins the ISR; the requests in its purgatory fail with
        NOT_LEADER_OR_FOLLOWER, and the producers refresh their metadata and resend to the new leader
        (idempotence makes the resends safe).

This is why acks=all with min.insync.replicas >= 2 survives partitions: a leader on the minority side cannot
acknowledge a write on its own. (With acks=1 the zombie would acknowledge every write it receives, and those
would be lost at the heal: see leader-crash-under-acks-one.) It is also why partitions cost availability: the
producers learn about the new leader only when the old one answers them or their request.timeout.ms (30 s)
runs out. Run it with --set producer.request.timeout.ms=10000 to see them give up on the zombie earlier.

What to look for in the report: on orders-0, a new leader with a higher epoch about 9 s after the cut, the ISR
going 3 -> 2 -> 3 on every partition, the acknowledged-records chart at zero until the fencing, then at two
thirds until the producers leave the zombie; produce latency of tens of seconds for the records that waited on
it. No anomaly: nothing the zombie wrote was ever acknowledged.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    steps: [
      {
        label: 'the leader of orders-0 is cut off from the other brokers and the controllers',
        atMs: 8_000,
        do: (ctx) => {
          const leader = ctx.leaderReplica(TOPIC, 0)!;
          oldLeader = leader.broker;
          oldEpoch = leader.leaderEpoch;
          const others = [...ctx.brokers().filter((node) => node !== oldLeader), ...ctx.controllers()];
          ctx.partition([oldLeader], others);
        },
      },
      {
        label: 'the controller has fenced it and elected a new leader in a higher epoch',
        when: (ctx) => {
          const leader = ctx.leaderReplica(TOPIC, 0);
          return leader !== undefined && leader.broker !== oldLeader && leader.leaderEpoch > oldEpoch;
        },
        timeoutMs: 14_000,
      },
      {
        label: 'the partition heals',
        atMs: 23_000,
        do: (ctx) => ctx.heal(),
      },
      {
        label: 'the old leader has caught up as a follower: the ISR is full again',
        when: (ctx) => ctx.isrOf(TOPIC, 0).length === 3,
        timeoutMs: 20_000,
      },
    ],
  },
  phases: { faultsMs: 28_000, livenessMs: 20_000, quiesceMs: 10_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { isolate: 2, 'split-halves': 1, bridge: 1, 'partition-one-way-in': 1, 'partition-one-way-out': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [2_000, 15_000],
      waitForRecovery: true,
    },
    vary: { rateFactor: [0.5, 2], config: { 'producer.linger.ms': [0, 5, 20] } },
    expect: 'no-anomalies',
  },
});

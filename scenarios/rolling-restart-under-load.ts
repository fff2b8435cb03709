import { defineScenario, type ScriptContext, type ScriptStep } from '../sim/scenario.ts';

const TOPIC = 'orders';
const PARTITIONS = 3;
const BROKERS = ['broker-1', 'broker-2', 'broker-3'];
/** How long a stopped broker stays down: the time an operator takes to upgrade and start it. */
const DOWN_MS = 5_000;
/** How long the ISR stays full before the next broker stops: operators check twice. */
const SETTLE_MS = 5_000;

/** Every partition's ISR holds all three replicas: the cluster can lose one broker again. */
function isrFull(ctx: ScriptContext): boolean {
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const leader = ctx.leaderReplica(TOPIC, partition);
    if (leader === undefined || leader.isr.length !== 3) return false;
  }
  return true;
}

/** One broker's turn: wait for a full ISR, give it a few seconds, stop the broker cleanly, wait for it to exit, start it. */
function restartSteps(broker: string, first: boolean): ScriptStep[] {
  return [
    {
      label: first ? 'every ISR is full' : 'every ISR is full again',
      atMs: first ? 2_000 : undefined,
      when: isrFull,
      timeoutMs: 30_000,
    },
    {
      label: `${broker} begins a controlled shutdown`,
      afterMs: SETTLE_MS,
      when: isrFull,
      timeoutMs: 30_000,
      do: (ctx) => ctx.controlledShutdown(broker),
    },
    {
      label: `${broker} has handed its leaderships over and flushed its logs; the process has exited`,
      when: (ctx) => ctx.isDown(broker),
      timeoutMs: 35_000,
    },
    {
      label: `${broker} starts again`,
      afterMs: DOWN_MS,
      do: (ctx) => ctx.restart(broker),
    },
  ];
}

export default defineScenario({
  name: 'rolling-restart-under-load',
  summary: 'each broker in turn is stopped cleanly and restarted under acks=all load, one at a time: nothing is lost',
  teaching: `A rolling restart is how a Kafka cluster is upgraded or reconfigured without downtime: one broker at a
time is stopped, changed and started again, while producers and consumers carry on. The configuration is the
safe one: replication factor 3, min.insync.replicas=2, acks=all, idempotent producers.

Each broker's turn:
  - Wait until every partition's ISR is full (3 of 3). This is the rule of a rolling restart. A broker that has
    just come back is behind: it is a replica, but not yet in the ISR, until it has fetched everything it
    missed. Stop the next broker before that, and some partition is down to one in-sync replica: below
    min.insync.replicas=2, acks=all writes to it are refused (NOT_ENOUGH_REPLICAS) and, if that last replica
    fails too, the partition has no eligible leader at all. Operators watch the under-replicated-partitions
    metric fall to zero between restarts for this reason, and here the script waits five more seconds with
    the ISR full before it goes on.
  - A controlled shutdown (controlled.shutdown.enable, on by default): the broker tells the active controller
    it is stopping; the controller moves the leadership of every partition it leads to another ISR member (a
    new leader epoch for each) and removes it from the ISRs; then the broker flushes its logs and writes the
    clean-shutdown marker, and exits. Producers get NOT_LEADER_OR_FOLLOWER, refresh their metadata and go on
    with the new leaders in well under a second: no session timeout to wait for, unlike a crash.
  - Five seconds later it starts again. Its clean-shutdown marker lets it skip log recovery; it registers
    with the controller, fetches the five seconds it missed from the leaders, and rejoins each ISR.

What to look for in the report: the story-step markers (three rounds of shutdown, exit, start) and, on the
fault lane, each broker's controlled shutdown from its start to its restart; on each partition the leader moving away from the broker being stopped, each move one epoch higher, and ISR sizes
going 3 -> 2 -> 3 three times, never lower; produce latency staying low throughout (compare with
leader-crash-under-acks-all, where the producers wait about 9 s for the controller to notice a kill -9).
Leadership does not move back after a restart: Tributary does not model Kafka's preferred-leader rebalance
(auto.leader.rebalance.enable, which checks every leader.imbalance.check.interval.seconds, five minutes by
default, so it would not have run within this run either). No anomaly.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: PARTITIONS, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false, 'controlled.shutdown.enable': true },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    steps: [
      ...BROKERS.flatMap((broker, i) => restartSteps(broker, i === 0)),
      { label: 'the last broker is back in every ISR', when: isrFull, timeoutMs: 30_000 },
    ],
  },
  phases: { faultsMs: 20_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { crash: 2, 'power-loss': 1, pause: 1 },
      targets: 'brokers',
      meanGapMs: 2_000,
      durationMs: [2_000, 8_000],
      waitForRecovery: true,
    },
    vary: { rateFactor: [0.5, 3], config: { 'producer.linger.ms': [0, 5, 20] } },
    expect: 'no-anomalies',
  },
});

import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';

export default defineScenario({
  name: 'leader-crash-under-acks-all',
  summary: 'the leader of orders-0 is killed (kill -9) under acks=all load and restarted later: nothing acknowledged is lost',
  teaching: `The safe configuration: replication factor 3, min.insync.replicas=2, acks=all and idempotent producers.
Under acks=all the leader answers a producer only once every replica in the ISR (in-sync replicas) has fetched
the batch, that is once the high watermark has passed it, and only while the ISR holds at least
min.insync.replicas members. So an acknowledged record is on at least two brokers.

At 8 s the broker leading orders-0 is killed with kill -9. Its followers stop receiving fetch answers; the
producers' requests to it time out and are retried. The controllers notice the dead broker when its heartbeats
have stopped for broker.session.timeout.ms (9 s by default), fence it, and elect a new leader for each partition
it led, choosing from the ISR: a follower that has every acknowledged record. The leader epoch goes up by one, and the dead broker leaves
the ISR (it shrinks from 3 to 2). With two replicas in the ISR, min.insync.replicas=2 is still met, so the
producers, once they have refreshed their metadata, carry on against the new leader; idempotence makes their
retries safe (no duplicates).

At 20 s the old leader restarts. It recovers its log from disk, learns it is now a follower, truncates whatever
it had written past what the new leader holds (by leader epoch, KIP-101/KIP-320), fetches until it has caught up,
and the leader adds it back to the ISR (3 again).

What to look for in the report: on orders-0, the leader lane changes broker at about 8 s with the epoch one
higher; the ISR size goes 3 -> 2 -> 3; the produce latency chart has a spike of about 9 s (the records sent to the dead
leader wait for the election) and then returns to normal; no anomaly, and in particular no lost-write.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    timeline: [{ kind: 'crash', target: `leader:${TOPIC}-0`, atMs: 8_000, durationMs: 12_000 }],
  },
  phases: { faultsMs: 25_000, livenessMs: 20_000, quiesceMs: 10_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { crash: 3, 'power-loss': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [2_000, 12_000],
      waitForRecovery: true,
    },
    vary: { rateFactor: [0.5, 3], config: { 'producer.linger.ms': [0, 5, 20] } },
    expect: 'no-anomalies',
  },
});

// Shrunk by `npm run shrink` from leader-crash-under-acks-one seed 13 (swarm mode):
// 4 faults -> 2, in 27 runs.

import { defineScenario } from '../../sim/scenario.ts';

export default defineScenario({
  name: 'leader-crash-under-acks-one-seed-13-lost-write',
  summary: 'lost-write in leader-crash-under-acks-one, seed 13, shrunk to 2 faults',
  teaching: `A minimal reproduction, written by npm run shrink: seed 13 of leader-crash-under-acks-one showed lost-write; its fault
schedule and workload were cut down (delta debugging) while lost-write still appeared. The faults are a fixed
timeline, so this file reproduces the failure without drawing a random schedule.

What the original scenario teaches:

acks=1 means "the leader has written it to its log": the producer is answered before any follower has
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
  hardware: 'lan-nvme',
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    topic: {},
    consumer: {},
  },
  workload: {
    producers: [
      {
        ratePerSec: 6,
        config: { acks: 1, 'enable.idempotence': false },
      },
    ],
    consumers: 0,
  },
  faults: {
    timeline: [
      { kind: 'partition-one-way-in', target: 'broker-1', atMs: 2586, durationMs: 7533 },
      { kind: 'partition-one-way-in', target: 'leader:orders-0', atMs: 14547, durationMs: 5453 },
    ],
  },
  phases: { faultsMs: 20000, livenessMs: 7500, quiesceMs: 5000 },
  expect: {
    shows: ['lost-write'],
    mayShow: ['unavailable'],
  },
  defaultSeed: 13,
});

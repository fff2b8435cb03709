import { defineScenario } from '../sim/scenario.ts';

const TOPIC = 'orders';

export default defineScenario({
  name: 'slow-disk-on-the-leader',
  summary: 'the disk of the leader of orders-0 turns 100 times slower for 15 s under fsync-per-write: latency soars, nothing is lost',
  teaching: `A disk that becomes slow without failing (a dying SSD, a noisy neighbour on a shared volume, a RAID rebuild)
is one of the most common real faults, and one of the hardest to see. Here the disk of the broker leading orders-0
becomes 100 times slower at 8 s for 15 s: each fsync takes 25 ms instead of 0.25 ms.

By default Kafka never fsyncs on the write path: a produce request is appended to the page cache and the
operating system writes it back later; durability comes from replication, not from the disk. Under the defaults
a slow disk is invisible to producers (until dirty pages fill the page cache or consumers read data that has left
it). Try it: --set topic.flush.messages=9223372036854775807 restores the default and the produce latency does not
move. This scenario sets the topic's flush.messages=1 instead, which operators choose when they want every
acknowledged write on the leader's disk as well: each append is followed by an fsync before the leader goes on.

The story: from 8 s every append on the slow broker waits for a 25 ms fsync, behind the others in the device
queue. Under acks=all the leader answers only after its own append and the followers' fetches, so the produce
latency jumps from milliseconds to seconds. The slow broker is also a follower of orders-1 and orders-2 and
fsyncs what it fetches, so those partitions' high watermarks wait for it too. The producers adapt: requests are
slower, so more records gather in each batch (linger and batch.size), and after a dip the throughput comes back
while the latency stays high. The ISR does not shrink: the leader is never judged by the ISR, and the slow
broker, as a follower, stays within replica.lag.time.max.ms (30 s) of its leaders. At 23 s the disk is fast
again, the queue drains, and the latency drops back within a second.

What to look for in the report: the disk-slow fault lane on the leader of orders-0; the produce latency chart
climbing to a few seconds and staying there for the 15 s, while the acknowledged-records chart dips and then
recovers; no leader change, ISR sizes flat at 3; no anomaly. A slow disk costs latency, not data.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: TOPIC, partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    topic: { 'flush.messages': 1 },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    timeline: [{ kind: 'disk-slow', target: `leader:${TOPIC}-0`, atMs: 8_000, durationMs: 15_000, intensity: 100 }],
  },
  phases: { faultsMs: 25_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { 'disk-slow': 3, 'latency-spike': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [3_000, 15_000],
      maxConcurrent: 2,
    },
    vary: { rateFactor: [0.5, 2], config: { 'topic.flush.messages': [1, 100, 1_000_000_000] } },
    expect: 'no-anomalies',
  },
});

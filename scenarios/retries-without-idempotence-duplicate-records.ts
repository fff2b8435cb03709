import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'retries-without-idempotence-duplicate-records',
  summary: 'responses are dropped or late, producers without idempotence retry: batches that had landed are appended twice',
  teaching: `A producer that hears nothing back cannot tell a request that was lost on the way from a response
that was lost on the way back. With retries on (Kafka's default) it sends the batch again. If the first
attempt had reached the leader and been appended, the retry is appended too, at new offsets: the log holds the
same records twice. Here idempotence is switched off (enable.idempotence=false; acks=all and retries stay on),
and the brokers' links drop packets and, for a while, answer late: request.timeout.ms is 2 s, and a latency
spike of 2.5 s each way makes every answer arrive after the producer has given up on it. The producer closes
the connection, reconnects and resends; the leader, knowing nothing of the first attempt, appends the batch
again.

In the report: the duplicate anomaly names a record and the two offsets that hold it, both in the final log;
the produce latency chart jumps to the request timeout during the faults; the retries go on to succeed, so the
producer counts every send as acknowledged once. Before Kafka 3.0 this was the default behaviour. Compare
idempotent-producer-retries-under-dropped-responses: the same faults with enable.idempotence=true, where the
broker recognises a retried batch by its producer id and sequence number and answers it without appending.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2 },
    producer: { acks: 'all', 'enable.idempotence': false, retries: 2_147_483_647, 'request.timeout.ms': 2_000, 'delivery.timeout.ms': 60_000, 'linger.ms': 5 },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: {
    timeline: [
      { kind: 'packet-loss', target: 'brokers', atMs: 5_000, durationMs: 10_000, intensity: 0.2 },
      { kind: 'latency-spike', target: 'brokers', atMs: 20_000, durationMs: 5_000, intensity: 2_500 },
    ],
  },
  phases: { faultsMs: 30_000, livenessMs: 15_000, quiesceMs: 5_000 },
  // Without idempotence up to five requests are in flight per connection and nothing orders their retries: a
  // batch retried after a later one succeeded lands after it (nonmonotonic-send, the reordering Kafka's docs
  // warn about for max.in.flight.requests.per.connection > 1 without idempotence).
  expect: { shows: ['duplicate'], mayShow: ['nonmonotonic-send'] },
  swarm: {
    faults: {
      mix: { 'packet-loss': 2, 'latency-spike': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [2_000, 10_000],
      maxConcurrent: 2,
    },
    expect: { mayShow: ['nonmonotonic-send'], find: ['duplicate'] },
  },
});

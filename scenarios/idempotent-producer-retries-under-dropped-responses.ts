import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'idempotent-producer-retries-under-dropped-responses',
  summary: 'responses are dropped or late and producers retry, but idempotence dedups the retried batches: no duplicates',
  teaching: `A producer that hears nothing back cannot tell a request lost on the way from a response lost on
the way back, so it resends the batch; if the first attempt had been appended, a plain retry appends it twice
(see retries-without-idempotence-duplicate-records). Idempotence (enable.idempotence=true, Kafka's default
since 3.0, with acks=all) closes that gap. The producer gets a producer id from the cluster and numbers its
batches per partition; every batch carries the id, the producer epoch and the sequence number of its first
record. The leader remembers, per producer id, the last five batches it appended (the producer state;
followers apply the same updates, so a new leader knows them too, and a restarted broker rebuilds it from its
log's batch headers). A batch whose sequence it has already appended is answered with the offset of the first
copy and not appended again; a batch that skips ahead is refused with OUT_OF_ORDER_SEQUENCE_NUMBER, which
keeps the order too, with up to five requests in flight.

The faults are those of the unsafe twin: the brokers' links drop a fifth of their packets for 10 s, then
answer 2.5 s late for 5 s while request.timeout.ms is 2 s, so the producers time out, reconnect and resend
batches the leaders already hold. In the report: the produce latency jumps to the request timeout during the
faults, every send is acknowledged once, each record sits at exactly one offset, and there is no anomaly.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2 },
    producer: { acks: 'all', 'enable.idempotence': true, retries: 2_147_483_647, 'request.timeout.ms': 2_000, 'delivery.timeout.ms': 60_000, 'linger.ms': 5 },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: {
    timeline: [
      { kind: 'packet-loss', target: 'brokers', atMs: 5_000, durationMs: 10_000, intensity: 0.2 },
      { kind: 'latency-spike', target: 'brokers', atMs: 20_000, durationMs: 5_000, intensity: 2_500 },
    ],
  },
  phases: { faultsMs: 30_000, livenessMs: 15_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: {
      mix: { 'packet-loss': 2, 'latency-spike': 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [2_000, 10_000],
      maxConcurrent: 2,
    },
    vary: { rateFactor: [0.5, 3], config: { 'producer.linger.ms': [0, 5, 20], 'producer.request.timeout.ms': [1_000, 2_000, 5_000] } },
    expect: 'no-anomalies',
  },
});

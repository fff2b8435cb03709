import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'retention-deletes-old-segments-while-consumers-read',
  summary: 'retention deletes old segments under a consumer that lags behind: it resets to the earliest offset, nothing is lost',
  teaching: `A Kafka log is a list of segment files; only the newest (the active segment) takes appends. Here
a segment rolls every 16 KiB (segment.bytes) and each partition keeps at most 128 KiB (retention.bytes) and
nothing older than 20 s (retention.ms); every broker checks retention each second
(log.retention.check.interval.ms). Whole segments, oldest first, are deleted — never the active one — and the
partition's log start offset moves up to the first offset of the oldest segment left. The deleted files are
renamed *.deleted and removed file.delete.delay.ms later; offsets below the log start are no longer readable.

One consumer reads too slowly: the broker holds each of its fetches for fetch.max.wait.ms (500 ms;
fetch.min.bytes is far above what arrives) and returns at most 8 KiB a partition (max.partition.fetch.bytes),
about 16 KiB a second, while the producer writes 20 to 40 KiB a second to each partition (keys are not spread
evenly). The consumer falls behind until, after a few seconds, retention deletes the segment it is about to
read: its next fetch answers OFFSET_OUT_OF_RANGE, and with auto.offset.reset=earliest it jumps to the new log
start. Being slower than the producer, it stays at that edge: each retention check deletes the oldest segment,
which is the one it reads, and it resets again, about once a second. It reads some 6,000 of the 16,000
records. The others were not lost: retention deleted them, which is what the topic was configured to do. A
reader that must see every record has to keep up, or retention must be long enough for the slowest reader.

In the report: each partition's log start offset climbing a segment at a time, the log end offset running
ahead of it by retention.bytes; the consumer's lag growing, then pinned at the retention window; and no
anomaly. The lost-write checker does not count records below the final log start offset (retention deleted
them), and each reset is recorded as a seek, so the consumer's jump forward is not a poll-skip. As a swarm,
the same runs under one broker fault at a time: a restarted broker finds its log start again from the
segments left on its disk and must not bring deleted records back.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 2, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'log.retention.check.interval.ms': 1_000 },
    topic: { 'segment.bytes': 16_384, 'retention.bytes': 131_072, 'retention.ms': 20_000 },
    producer: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
    consumer: { 'fetch.min.bytes': 10_000_000, 'fetch.max.wait.ms': 500, 'max.partition.fetch.bytes': 8_192, 'auto.offset.reset': 'earliest' },
  },
  workload: { producers: [{ ratePerSec: 400, valueBytes: 100 }], consumers: 1 },
  phases: { faultsMs: 20_000, livenessMs: 20_000, quiesceMs: 5_000 },
  expect: 'no-anomalies',
  swarm: {
    // Retention under broker faults, one at a time: a restarted broker finds its log start again from the
    // segments left on its disk, and must not bring deleted records back.
    faults: {
      mix: { crash: 2, 'power-loss': 2, pause: 1, isolate: 1 },
      targets: 'brokers',
      aimAtLeaders: true,
      meanGapMs: 3_000,
      durationMs: [1_000, 8_000],
      waitForRecovery: true,
    },
    vary: { rateFactor: [0.5, 2] },
    expect: 'no-anomalies',
  },
});

import { defineScenario, type RandomFaultSpec } from '../sim/scenario.ts';

/**
 * What the safe configuration may show when a disk hands back flipped bits. Each kind is a consequence of a
 * bit flipped in a batch header field that the v2 CRC does not cover (baseOffset, partitionLeaderEpoch); a
 * flip anywhere else is caught by the CRC and the read is simply done again.
 *   unavailable        a follower handed a batch whose baseOffset was flipped downwards refuses it as Kafka
 *                      does (UnexpectedAppendOffset / OffsetsOutOfOrder) and marks the partition failed: it
 *                      fetches it no more, yet stays in the ISR until replica.lag.time.max.ms (30 s, checked
 *                      every 15 s) drops it, and acks=all waits for it meanwhile — up to 45 s, past the bound.
 *   under-replicated   the same follower fetches that partition no more until its leadership changes (Kafka's
 *                      failed partitions are retried only then), so the ISR may still be short at the end.
 *   divergence         a low bit of partitionLeaderEpoch flipped to an epoch that still lies in
 *                      [0, the leader epoch] passes every check (Kafka's and the engine's): the follower stores
 *                      the same records under another epoch. A baseOffset flipped upwards by a little is stored
 *                      as a gap (Kafka accepts gaps: compaction makes them) with the records at wrong offsets.
 *   poll-skip, nonmonotonic-poll, inconsistent-offsets, duplicate
 *                      a consumer takes a flipped baseOffset for the batch's offset (check.crcs cannot see it):
 *                      it skips offsets (poll-skip), reads records under offsets that are not theirs
 *                      (inconsistent-offsets), so that one record shows at two offsets (duplicate), or goes back
 *                      (nonmonotonic-poll); records read under an offset flipped far upwards lie above any high
 *                      watermark the partition ever had, which the checker takes for one that fell (hw-regression).
 * Nothing acknowledged is lost (no lost-write), no replica's own high watermark goes back, and the engine's
 * invariants hold: what breaks is what a reader believes about offsets, and who replicates.
 */
const SILENT_CORRUPTION_MAY_SHOW = [
  'unavailable', 'under-replicated', 'divergence', 'poll-skip', 'nonmonotonic-poll', 'inconsistent-offsets', 'duplicate',
  'hw-regression',
] as const;

/**
 * Corrupted reads on brokers and partition leaders, and kills of the consumer (a restarted consumer reads its
 * partitions again from the start, from the disk), two at a time at most: a consumer restart must overlap a
 * corruption for the consumer to read corrupted bytes. No broker is killed, so two faults at once never take
 * two replicas away.
 */
const FAULTS: RandomFaultSpec = {
  mix: { 'disk-corrupt-reads': 3, crash: 2 },
  targets: 'brokers',
  aimAtLeaders: true,
  targetsByKind: { crash: ['consumer-1'] },
  meanGapMs: 3_000,
  durationMs: [1_000, 12_000],
  maxConcurrent: 2,
  intensity: { 'disk-corrupt-reads': [0.2, 1] },
};

export default defineScenario({
  name: 'silent-corruption-outside-the-crc',
  summary: "the leader's disk flips bits in what it reads: the CRC catches most, not a flipped offset or leader epoch",
  teaching: `Every Kafka record batch (format v2) carries a CRC-32C, and every replica and consumer checks it. But
the CRC covers the batch from its attributes field to its end: the records, their timestamps, the producer id
and sequence. It leaves out the first four header fields, because a leader rewrites them in place when it
appends: baseOffset (8 bytes), batchLength (4), partitionLeaderEpoch (4) and magic (1). A bit flipped there
passes the CRC.

Here the safe configuration (replication factor 3, min.insync.replicas=2, acks=all, idempotent producers)
runs on a disk that flips one bit in every read the leader of orders-0 makes for 20 s; what is stored stays
intact. A second after the fault begins the consumer restarts and reads the partition again from its start, in
small fetches, so that it reads from the disk. Most flips land in records: a follower refuses the batch
(CORRUPT_MESSAGE) and fetches it again, the consumer gets the same error and reads again (check.crcs). Some
land in the header. A partitionLeaderEpoch that comes out negative or above the leader's epoch is refused as
corrupt (Kafka 4.1 refuses the second kind too); one still within range is stored by a follower, which then
holds the same records under another epoch (divergence). A flipped baseOffset makes a follower refuse the batch
and stop fetching the partition, as Kafka's fetcher marks a partition failed on an unexpected offset:
acknowledgements wait until replica.lag.time.max.ms drops it from the ISR (see the produce latency). The
consumer cannot tell a flipped baseOffset from a gap that compaction left: it skips offsets (poll-skip) and
reads records under offsets that are not theirs (inconsistent-offsets; one record then shows at two offsets,
which the duplicate checker reports).

In the report: the disk-corrupt-reads lane on the leader of orders-0 and the consumer's restart; each
anomaly names the offsets at stake, and the acknowledgements and the replicas' logs show where those records
really are: nothing acknowledged is lost, the consumer was misled. Run the swarm (npm run swarm) to see how
often each consequence comes up over many seeds and fault mixes.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
    // Small fetches: many reads, each of which the disk may corrupt.
    consumer: { 'max.partition.fetch.bytes': 1024 },
  },
  workload: { producers: [{ ratePerSec: 200, count: 2 }], consumers: 1 },
  faults: {
    timeline: [
      { kind: 'disk-corrupt-reads', target: 'leader:orders-0', atMs: 25_000, durationMs: 20_000, intensity: 1 },
      // The consumer restarts and reads the partition again from the start: those reads come from the disk.
      { kind: 'crash', target: 'consumer-1', atMs: 26_000, durationMs: 1_000 },
    ],
  },
  phases: { faultsMs: 45_000, livenessMs: 60_000, quiesceMs: 15_000 },
  expect: { shows: ['poll-skip', 'inconsistent-offsets'], mayShow: [...SILENT_CORRUPTION_MAY_SHOW] },
  swarm: {
    faults: FAULTS,
    vary: { rateFactor: [0.5, 3] },
    expect: { mayShow: [...SILENT_CORRUPTION_MAY_SHOW], find: ['poll-skip', 'inconsistent-offsets'] },
  },
});

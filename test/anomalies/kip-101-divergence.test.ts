// KIP-101's second failure: every replica loses power with records only in its page cache (Kafka does not
// fsync each write by default). The one that comes back first leads and writes new records at offsets the
// other still holds — with other contents. Before leader epochs the other replica, coming back, truncated
// only to its own high watermark, which its checkpoint file remembered above the leader's log end: it keeps
// its old records where the leader has new ones, and the replicas diverge below the high watermark for good.
// (replication.truncation=high-watermark brings that rule back.)
//
// The story, on two brokers and a topic with replication factor 2, acks=all and min.insync.replicas=1
// (Kafka's default, so a lone replica may take writes):
//   8 s     broker-1 loses power.
//   +2.5 s  broker-2 loses power: every replica is down. The gap (more than broker.heartbeat.interval.ms)
//           makes the controller fence broker-1 first, so broker-2 is left the last ISR member of every
//           partition and is the one that may lead when it returns, unclean election being off.
//   +12 s   broker-2 comes back, recovers what its disk kept, and leads every partition; the producer goes on
//           writing to it.
//   +3 s    broker-1 comes back and follows.
// What a power loss keeps of a file's unsynced tail is drawn per file (sim/disk.ts: nothing, everything, a
// torn last write, or a cut anywhere). A partition tells KIP-101's story when broker-2 kept less of it than
// broker-1 did, below broker-1's checkpointed high watermark — about a third of the time. The topic has eight
// partitions so that some of them almost surely do (29 seeds of 30 tried), and the high watermark checkpoint
// is written every second (replica.high.watermark.checkpoint.interval.ms, 5 s by default) so that it covers
// most of what broker-2 lost.
// The safe counterpart runs the same script with the default truncation (leader epochs): broker-1 asks the
// leader where their logs part and truncates there. It still loses the acknowledged records that no replica
// had on disk — no truncation rule brings back what every copy lost, which is why KIP-101 does not claim to —
// but its replicas agree.

import test from 'ava';
import { runScripted, type ScriptedRunResult, type ScriptedRunSpec } from '../support/scripted-run.ts';
import { kindsFound, lostWrites, summary } from './story.ts';

const TOPIC = 'orders';
const PARTITIONS = 8;
const SEED = 1;

function story(truncation: 'high-watermark' | 'leader-epoch'): ScriptedRunSpec {
  return {
    cluster: {
      brokers: 2,
      controllers: 3,
      brokerConfig: { 'min.insync.replicas': 1, 'replica.high.watermark.checkpoint.interval.ms': 1_000, 'replication.truncation': truncation },
    },
    topic: { name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 2 },
    workload: { producers: [{ ratePerSec: 100, config: { acks: 'all', 'enable.idempotence': true } }], consumers: 1 },
    script: [
      { label: 'broker-1 loses power', atMs: 8_000, do: (ctx) => ctx.powerLoss('broker-1') },
      { label: 'broker-2 loses power', afterMs: 2_500, do: (ctx) => ctx.powerLoss('broker-2') },
      { label: 'broker-2 comes back', afterMs: 12_000, do: (ctx) => ctx.restart('broker-2') },
      {
        label: 'broker-2 leads every partition',
        when: (ctx) => Array.from({ length: PARTITIONS }, (_, p) => ctx.leaderReplica(TOPIC, p)).every((leader) => leader?.broker === 'broker-2'),
        timeoutMs: 20_000,
      },
      { label: 'broker-1 comes back', afterMs: 3_000, do: (ctx) => ctx.restart('broker-1') },
    ],
    livenessMs: 10_000,
    quiesceMs: 5_000,
  };
}

const runs = new Map<string, ScriptedRunResult>();

/** Each mode runs once; both tests read the high-watermark run. */
function run(truncation: 'high-watermark' | 'leader-epoch'): ScriptedRunResult {
  let result = runs.get(truncation);
  if (result === undefined) runs.set(truncation, (result = runScripted(story(truncation), SEED)));
  return result;
}

function lostValues(run: ScriptedRunResult): Set<string> {
  return new Set(lostWrites(run).map((a) => a.values[0]!));
}

test('truncating to the high watermark after every replica lost power makes the replicas diverge (KIP-101, second case)', (t) => {
  const unsafe = run('high-watermark');
  const message = summary(unsafe);
  const divergences = unsafe.verdict.anomalies.filter((a) => a.kind === 'divergence');
  t.true(divergences.length > 0, message);
  for (const divergence of divergences) {
    // The returning broker kept its old record where the new leader wrote a new one, in a later epoch.
    const offset = divergence.detail['firstOffset'];
    const stale = divergence.records.find((w) => w.broker === 'broker-1' && w.offset === offset);
    const fresh = divergence.records.find((w) => w.broker === 'broker-2' && w.offset === offset);
    t.truthy(stale, divergence.message);
    t.truthy(fresh, divergence.message);
    t.not(stale!.value, fresh!.value, divergence.message);
    t.true(stale!.leaderEpoch < fresh!.leaderEpoch, divergence.message);
  }
});

test('with leader epochs the same outage leaves the replicas in agreement, losing only what no disk kept', (t) => {
  const safe = run('leader-epoch');
  const unsafe = run('high-watermark');
  const message = summary(safe);
  t.is(safe.verdict.counts.divergence, 0, message);
  // Acknowledged records that were in every replica's page cache only are gone in both modes; with them go
  // their offsets (reused by later records) and the producer's offset order. Nothing else is wrong.
  t.true(safe.verdict.counts['lost-write']! > 0, message);
  for (const kind of kindsFound(safe)) t.true(['lost-write', 'inconsistent-offsets', 'nonmonotonic-send'].includes(kind), message);
  const lostByUnsafe = lostValues(unsafe);
  for (const value of lostValues(safe)) t.true(lostByUnsafe.has(value), `${value} was lost with leader epochs only\n${message}`);
});

// KIP-101's first failure: before leader epochs, a replica that became a follower truncated its log to its
// own high watermark. A follower learns the high watermark one fetch after the leader moves it, so it may
// cut a record the leader already acknowledged; if it then leads before fetching it again, that
// acknowledged record is gone. (replication.truncation=high-watermark brings that rule back.)
//
// KIP-101 tells it with a follower that restarts. In KRaft a restarted broker's old registration is fenced,
// which takes it out of every ISR, and it rejoins only once caught up to the leader's high watermark, so a
// restart cannot make it an ISR member missing a committed record. The same rule bites on a leader change
// instead: a follower truncates to its high watermark when it starts following the new leader.
//
// The story, on three brokers and a single-partition topic with replication factor 3, acks=all,
// min.insync.replicas=2, unclean election off — every setting safe but the truncation rule:
//   2 s   the two followers are cut off from each other (they fetch from the leader, not from each other:
//         nothing changes yet).
//   then, as soon as a record the producer has had acknowledged lies at or above both followers' high
//         watermarks (they hold it, but have not yet heard it is committed; at 50 records/s this is true
//         almost all the time, and waiting for it makes the story independent of the seed): kill -9 the
//         leader.
//   ~9 s later the controller fences it and elects a follower. The other follower starts following it and,
//         pre-KIP-101, truncates to its high watermark, dropping that acknowledged record; it cannot fetch it
//         back, being cut off from the new leader. The new leader is killed at once.
//   ~9 s later the controller fences it too and elects the remaining follower — cleanly: it is the last ISR
//         member. It leads without the acknowledged record.
// The safe counterpart runs the same script with the default truncation (leader epochs): the follower keeps
// its log until the leader tells it where they diverge, so it leads with every acknowledged record.

import test from 'ava';
import { runScripted, type ScriptedRunSpec } from '../support/scripted-run.ts';
import { kindsFound, lostAckedValues, lostWrites, summary } from './story.ts';

const TOPIC = 'orders';
const SEED = 1;

interface Story {
  readonly spec: ScriptedRunSpec;
  /** The highest offset acknowledged when the first leader was killed. */
  ackedAtCrash(): number;
}

function story(truncation: 'high-watermark' | 'leader-epoch'): Story {
  let ackedAtCrash = -1;
  const spec: ScriptedRunSpec = {
    cluster: { brokers: 3, controllers: 3, brokerConfig: { 'min.insync.replicas': 2, 'replication.truncation': truncation } },
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 50, config: { acks: 'all', 'enable.idempotence': true } }], consumers: 1 },
    script: [
      {
        label: 'the followers are cut off from each other',
        atMs: 2_000,
        do: (ctx) => {
          const [one, other] = ctx.followersOf(TOPIC, 0);
          ctx.partition([one!], [other!]);
        },
      },
      {
        label: 'an acknowledged record is above both followers\' high watermarks: kill -9 the leader',
        when: (ctx) => {
          const acked = ctx.lastAckedOffset(TOPIC, 0);
          return acked >= 0 && ctx.followersOf(TOPIC, 0).every((node) => ctx.replica(node, TOPIC, 0)!.highWatermark <= acked);
        },
        do: (ctx) => {
          ackedAtCrash = ctx.lastAckedOffset(TOPIC, 0);
          ctx.crash(ctx.leaderOf(TOPIC, 0));
        },
      },
      {
        label: 'a follower leads: kill -9 it before the other fetches from it',
        when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
        timeoutMs: 30_000,
        do: (ctx) => ctx.crash(ctx.leaderOf(TOPIC, 0)),
      },
      {
        label: 'the other follower leads',
        when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
        timeoutMs: 30_000,
      },
    ],
    livenessMs: 15_000,
    quiesceMs: 5_000,
  };
  return { spec, ackedAtCrash: () => ackedAtCrash };
}

test('truncating to the high watermark on a leader change loses an acknowledged write (KIP-101, first case)', (t) => {
  const { spec, ackedAtCrash } = story('high-watermark');
  const run = runScripted(spec, SEED);
  const message = summary(run);
  const lost = lostWrites(run);
  t.true(lost.length > 0, message);
  t.is(lostAckedValues(run).length, lost.length, message);
  // What was lost is the record that was acknowledged but not yet known committed by the followers.
  t.true(lost.some((a) => a.offsets.includes(ackedAtCrash())), `acked at the crash: ${ackedAtCrash()}\n${message}`);
});

test('with leader epochs the same leader changes keep every acknowledged write', (t) => {
  const run = runScripted(story('leader-epoch').spec, SEED);
  t.deepEqual(kindsFound(run), [], summary(run));
  t.true(run.stats.produced.acked > 500, summary(run));
});

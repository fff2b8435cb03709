// acks=1 answers the producer as soon as the leader has the record; if the leader dies before a follower
// fetched it, a follower that never had it becomes leader and the acknowledged record is gone (Kafka's
// documentation of acks; the reason acks=all and min.insync.replicas exist).
//
// The story, on three brokers and a single-partition topic with replication factor 3:
//   2 s   the leader is cut off from its followers (it still reaches the controllers and the clients);
//         producers keep writing and the leader keeps acknowledging under acks=1.
//   5 s   the leader is killed (kill -9) and the network heals. The cut lasted 3 s, far less than
//         replica.lag.time.max.ms (30 s), so the leader never shrank the ISR: both followers are still in
//         it, and once the controller fences the dead leader (broker.session.timeout.ms) one of them is
//         elected cleanly — without the 3 s of records.
//         Once a follower leads, the old leader restarts and truncates to the new leader's log.
// The safe counterpart runs the same script with acks=all and min.insync.replicas=2: during the cut the
// high watermark cannot move, so no send is acknowledged; the producer retries them on the new leader.

import test from 'ava';
import type { ConfigOverrides } from '../../engine/config/types.ts';
import { runScripted, type ScriptedRunSpec } from '../../sim/scripted-run.ts';
import { kindsFound, lostAckedValues, summary } from './story.ts';

const TOPIC = 'orders';
const SEED = 1;

function story(producer: ConfigOverrides): ScriptedRunSpec {
  let oldLeader = '';
  return {
    cluster: { brokers: 3, controllers: 3, brokerConfig: { 'min.insync.replicas': 2 } },
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 50, config: producer }], consumers: 1 },
    script: [
      {
        label: 'the leader is cut off from its followers',
        atMs: 2_000,
        do: (ctx) => {
          oldLeader = ctx.leaderOf(TOPIC, 0);
          ctx.partition([oldLeader], ctx.followersOf(TOPIC, 0));
        },
      },
      {
        label: 'kill -9 the leader, heal the network',
        afterMs: 3_000,
        do: (ctx) => {
          ctx.crash(oldLeader);
          ctx.heal();
        },
      },
      {
        label: 'a follower leads; the old leader restarts',
        when: (ctx) => ctx.leaderReplica(TOPIC, 0) !== undefined,
        do: (ctx) => ctx.restart(oldLeader),
      },
    ],
    livenessMs: 15_000,
    quiesceMs: 5_000,
  };
}

test('acks=1 loses acknowledged writes when the leader, cut off from its followers, is killed', (t) => {
  const run = runScripted(story({ acks: 1, 'enable.idempotence': false }), SEED);
  const message = summary(run);
  t.true(run.verdict.counts['lost-write']! > 50, message);
  // Every lost write was acknowledged to the producer, and the evidence says so.
  t.is(lostAckedValues(run).length, run.verdict.counts['lost-write']!, message);
  // The new leader reused the lost records' offsets for other records.
  t.true(run.verdict.counts['inconsistent-offsets']! > 0, message);
  // Leader epochs keep the replicas in agreement: the loss is acks=1's, not replication's.
  t.is(run.verdict.counts.divergence, 0, message);
});

test('acks=all with min.insync.replicas=2 loses nothing under the same faults', (t) => {
  const run = runScripted(story({ acks: 'all', 'enable.idempotence': true }), SEED);
  t.deepEqual(kindsFound(run), [], summary(run));
  t.true(run.stats.produced.acked > 500, summary(run));
});

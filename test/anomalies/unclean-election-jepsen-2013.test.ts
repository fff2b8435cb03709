// Jepsen's Kafka analysis (Kyle Kingsbury, 2013): with min.insync.replicas=1 the ISR may shrink to the
// leader alone, and acks=all then means "the leader has it". Lose that leader, let a replica outside the ISR
// take over (unclean leader election), and every write acknowledged while the leader was alone is gone.
//
// The story, on three brokers and a single-partition topic with replication factor 3, acks=all and
// replica.lag.time.max.ms=5000 (Kafka's default is 30 s; the story only needs the ISR to shrink):
//   2 s   the followers are cut off from the leader. acks=all sends wait: the ISR is full and the followers
//         do not fetch, so the high watermark cannot move.
//   ~7 s  the leader finds its followers lagging for replica.lag.time.max.ms and shrinks the ISR to itself
//         (it still reaches the controllers). The high watermark jumps to the log end: under
//         min.insync.replicas=1 every waiting send, and every send that follows, is acknowledged by the leader
//         alone.
//   +3 s  the leader is killed (kill -9) and the followers' network heals.
//   +12 s the controller has fenced the dead leader (broker.session.timeout.ms). No ISR member is left alive,
//         so with unclean.leader.election.enable=true a stale follower is elected, without anything written
//         since 2 s. Then the old leader restarts and truncates to the new leader's log.
// The safe counterpart runs the same script with min.insync.replicas=2 and unclean election off: with the ISR
// down to the leader, sends are refused (NOT_ENOUGH_REPLICAS, retried by the producer); the partition has no
// leader while its only ISR member is dead, and the old leader leads again when it restarts.

import test from 'ava';
import type { ConfigOverrides } from '../../engine/config/types.ts';
import { runScripted, type ScriptedRunSpec } from '../../sim/scripted-run.ts';
import { kindsFound, lostAckedValues, summary } from './story.ts';

const TOPIC = 'orders';
const SEED = 1;

function story(brokerConfig: ConfigOverrides): ScriptedRunSpec {
  let oldLeader = '';
  return {
    cluster: { brokers: 3, controllers: 3, brokerConfig: { ...brokerConfig, 'replica.lag.time.max.ms': 5_000 } },
    topic: { name: TOPIC, numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 50, config: { acks: 'all', 'enable.idempotence': true } }], consumers: 1 },
    script: [
      {
        label: 'the followers are cut off from the leader',
        atMs: 2_000,
        do: (ctx) => {
          oldLeader = ctx.leaderOf(TOPIC, 0);
          ctx.partition([oldLeader], ctx.followersOf(TOPIC, 0));
        },
      },
      {
        label: 'the ISR shrinks to the leader alone',
        when: (ctx) => ctx.isrOf(TOPIC, 0).length === 1,
        timeoutMs: 15_000,
      },
      {
        label: 'kill -9 the leader, heal the followers',
        afterMs: 3_000,
        do: (ctx) => {
          ctx.crash(oldLeader);
          ctx.heal();
        },
      },
      {
        label: 'the controller has fenced the dead leader; it restarts',
        afterMs: 12_000,
        do: (ctx) => ctx.restart(oldLeader),
      },
    ],
    livenessMs: 15_000,
    quiesceMs: 5_000,
  };
}

test('min.insync.replicas=1 and unclean election lose the writes acknowledged by a lone leader', (t) => {
  const run = runScripted(story({ 'min.insync.replicas': 1, 'unclean.leader.election.enable': true }), SEED);
  const message = summary(run);
  t.true(run.verdict.counts['lost-write']! > 100, message);
  t.is(lostAckedValues(run).length, run.verdict.counts['lost-write']!, message);
  t.true(run.verdict.counts['inconsistent-offsets']! > 0, message);
  t.is(run.verdict.counts.divergence, 0, message);
});

test('min.insync.replicas=2 without unclean election loses nothing under the same faults', (t) => {
  const run = runScripted(story({ 'min.insync.replicas': 2, 'unclean.leader.election.enable': false }), SEED);
  t.deepEqual(kindsFound(run), [], summary(run));
  t.true(run.stats.produced.acked > 500, summary(run));
});

// Jepsen's Kafka analysis (Kyle Kingsbury, 2013): with min.insync.replicas=1 the ISR may shrink to the
// leader alone, and acks=all then means "the leader has it". Lose that leader, let a replica outside the ISR
// take over (unclean leader election), and every write acknowledged while the leader was alone is gone.
//
// The story is the catalogue's unclean-leader-election-loses-data (scenarios/): three brokers, one partition
// with replication factor 3, acks=all, replica.lag.time.max.ms=5000 (the story only needs the ISR to shrink):
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
import { kindsFound, lostAckedValues, runStory, summary } from './story.ts';

const STORY = 'unclean-leader-election-loses-data';
const SEED = 1;

test('min.insync.replicas=1 and unclean election lose the writes acknowledged by a lone leader', (t) => {
  const run = runStory(STORY, SEED);
  const message = summary(run);
  t.true(run.verdict.counts['lost-write']! > 100, message);
  t.is(lostAckedValues(run).length, run.verdict.counts['lost-write']!, message);
  t.true(run.verdict.counts['inconsistent-offsets']! > 0, message);
  t.is(run.verdict.counts.divergence, 0, message);
});

test('min.insync.replicas=2 without unclean election loses nothing under the same faults', (t) => {
  const run = runStory(STORY, SEED, ['broker.min.insync.replicas=2', 'broker.unclean.leader.election.enable=false']);
  t.deepEqual(kindsFound(run), [], summary(run));
  t.true(run.stats.produced.acked > 500, summary(run));
});

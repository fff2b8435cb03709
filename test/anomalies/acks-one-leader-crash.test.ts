// acks=1 answers the producer as soon as the leader has the record; if the leader dies before a follower
// fetched it, a follower that never had it becomes leader and the acknowledged record is gone (Kafka's
// documentation of acks; the reason acks=all and min.insync.replicas exist).
//
// The story is the catalogue's leader-crash-under-acks-one (scenarios/, which tells it step by step): the leader
// is cut off from its followers, keeps acknowledging under acks=1, and is killed; a follower that never had
// those records is elected. The safe counterpart runs the same story with acks=all and idempotence: during the
// cut the high watermark cannot move, so no send is acknowledged; the producer retries them on the new leader.

import test from 'ava';
import { kindsFound, lostAckedValues, runStory, summary } from './story.ts';

const STORY = 'leader-crash-under-acks-one';
const SEED = 1;

test('acks=1 loses acknowledged writes when the leader, cut off from its followers, is killed', (t) => {
  const run = runStory(STORY, SEED);
  const message = summary(run);
  t.true(run.verdict.counts['lost-write']! > 50, message);
  // Every lost write is a record whose producer was told it was stored.
  t.is(lostAckedValues(run).length, run.verdict.counts['lost-write']!, message);
  // The new leader reuses the lost records' offsets for other records.
  t.true(run.verdict.counts['inconsistent-offsets']! > 0, message);
  // After the truncation the replicas agree: the loss is silent.
  t.is(run.verdict.counts.divergence, 0, message);
});

test('acks=all with min.insync.replicas=2 loses nothing under the same faults', (t) => {
  const run = runStory(STORY, SEED, ['acks=all', 'enable.idempotence=true']);
  t.deepEqual(kindsFound(run), [], summary(run));
  t.true(run.stats.produced.acked > 500, summary(run));
});

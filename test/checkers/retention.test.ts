// Retention deletes whole segments from the front of a log; the records in them are gone by design. A
// consumer that falls behind the log start gets OFFSET_OUT_OF_RANGE and, with auto.offset.reset=earliest,
// jumps to the new log start: the harness records that jump as a seek (reason 'reset').

import test from 'ava';
import { checkLostWrites } from '../../sim/checkers/lost-write.ts';
import { checkPollSkips } from '../../sim/checkers/poll-skip.ts';
import { leaderOnly, log, Run } from './build.ts';

/** Six records acknowledged at offsets 0..5; a consumer read 0 and 1 before retention moved the log start to 4. */
function readThenDeleted(): Run {
  const run = new Run();
  for (let i = 0; i < 6; i++) run.at(10 + i).acked('p1', `p1-${i}`, i);
  run.at(20).poll('c1', log(['p1-0', 'p1-1']));
  return run;
}

test('records a consumer read below the final log start were deleted by retention, not lost', (t) => {
  const history = readThenDeleted().finish(100);
  t.deepEqual(checkLostWrites(history, leaderOnly(log(['p1-4', 'p1-5'], 4), { logStart: 4 })), []);
});

test('a record read above the final log start and missing from the log is still lost', (t) => {
  const run = readThenDeleted();
  run.at(30).indeterminate('p1', 'p1-6');
  run.at(40).poll('c1', log(['p1-6'], 6));
  const history = run.finish(100);
  // The log start moved to 4; p1-5 (acknowledged) and p1-6 (read) are above it and absent.
  const found = checkLostWrites(history, leaderOnly(log(['p1-4'], 4), { logStart: 4 }));
  t.deepEqual(found.map((a) => a.values[0]), ['p1-5', 'p1-6']);
  t.deepEqual(found.map((a) => a.detail['acknowledged']), [true, false]);
});

test('a consumer reset to the log start jumps over deleted offsets without a poll-skip', (t) => {
  const run = readThenDeleted();
  run.at(25).seek('c1', 4, 'reset');
  run.at(30).poll('c1', log(['p1-4', 'p1-5'], 4));
  t.deepEqual(checkPollSkips(run.finish(100), leaderOnly(log(['p1-4', 'p1-5'], 4), { logStart: 4 })), []);
});

test('the same jump with no reset recorded is a poll-skip over the acknowledged offsets 2 and 3', (t) => {
  const run = readThenDeleted();
  run.at(30).poll('c1', log(['p1-4', 'p1-5'], 4));
  const found = checkPollSkips(run.finish(100), leaderOnly(log(['p1-4', 'p1-5'], 4), { logStart: 4 }));
  t.is(found.length, 1);
  t.true(found[0]!.offsets.includes(2) && found[0]!.offsets.includes(3), JSON.stringify(found[0]!.offsets));
});

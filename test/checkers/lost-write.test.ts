import test from 'ava';
import { checkLostWrites } from '../../sim/checkers/lost-write.ts';
import { finalState, leaderOnly, log, partition, replica, Run } from './build.ts';

function threeAcked(): { run: Run; ids: number[] } {
  const run = new Run();
  const ids = [run.at(10).acked('p1', 'p1-0', 0), run.at(20).acked('p1', 'p1-1', 1), run.at(30).acked('p1', 'p1-2', 2)];
  return { run, ids };
}

test('an acknowledged record missing from the final committed log is a lost write', (t) => {
  const { run, ids } = threeAcked();
  const history = run.finish(100);
  const found = checkLostWrites(history, leaderOnly(log(['p1-0', 'p2-9', 'p1-2'])));
  t.is(found.length, 1);
  const [lost] = found;
  t.is(lost!.kind, 'lost-write');
  t.deepEqual(lost!.values, ['p1-1']);
  t.deepEqual(lost!.offsets, [1]);
  t.deepEqual(lost!.opIds, [ids[1]]);
  t.is(lost!.timeMs, 20);
  t.deepEqual(
    lost!.records.map((r) => [r.from, r.offset, r.value]),
    [['ack', 1, 'p1-1'], ['final', 1, 'p2-9']],
  );
  t.regex(lost!.message, /"p1-1" was acknowledged at offset 1 of orders-0 .* broker-1 .* holds "p2-9"/);
});

test('the same history with the record present has no lost write', (t) => {
  const { run } = threeAcked();
  t.deepEqual(checkLostWrites(run.finish(100), leaderOnly(log(['p1-0', 'p1-1', 'p1-2']))), []);
});

test('a record present at another offset than acknowledged is not lost', (t) => {
  const { run } = threeAcked();
  t.deepEqual(checkLostWrites(run.finish(100), leaderOnly(log(['p1-0', 'p1-2', 'p1-1']))), []);
});

test('a record above the final high watermark is not committed, so it is lost', (t) => {
  const { run } = threeAcked();
  const history = run.finish(100);
  const found = checkLostWrites(history, leaderOnly(log(['p1-0', 'p1-1', 'p1-2']), { hw: 2 }));
  t.deepEqual(found.map((a) => a.values[0]), ['p1-2']);
  t.deepEqual(checkLostWrites(history, leaderOnly(log(['p1-0', 'p1-1', 'p1-2']), { hw: 3 })), []);
});

test('indeterminate and failed sends that are missing are not lost writes', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).indeterminate('p1', 'p1-1');
  run.at(30).failed('p1', 'p1-2');
  t.deepEqual(checkLostWrites(run.finish(100), leaderOnly(log(['p1-0']))), []);
});

test('an indeterminate send that a poll returned is known written and is lost if it vanishes', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).indeterminate('p1', 'p1-1');
  const pollId = run.at(40).poll('c1', log(['p1-0', 'p1-1']));
  const history = run.finish(100);
  const found = checkLostWrites(history, leaderOnly(log(['p1-0'])));
  t.is(found.length, 1);
  t.deepEqual(found[0]!.values, ['p1-1']);
  t.deepEqual(found[0]!.opIds, [pollId]);
  t.is(found[0]!.detail['acknowledged'], false);
  t.regex(found[0]!.message, /was read at offset 1 of orders-0 \(poll #\d+\)/);
  t.deepEqual(checkLostWrites(history, leaderOnly(log(['p1-0', 'p1-1']))), []);
});

test('records below the log start offset were removed by retention, not lost', (t) => {
  const { run } = threeAcked();
  const history = run.finish(100);
  t.deepEqual(checkLostWrites(history, leaderOnly(log(['p1-2'], 2), { logStart: 2 })), []);
  const found = checkLostWrites(history, leaderOnly(log(['p1-1'], 1), { logStart: 1, hw: 2 }));
  t.deepEqual(found.map((a) => a.values[0]), ['p1-2']);
});

test('the final leader is the reference, and a follower still holding the record is shown as evidence', (t) => {
  const { run } = threeAcked();
  const state = finalState(
    partition([
      replica('broker-1', log(['p1-0', 'p1-1']), { leader: true }),
      replica('broker-2', log(['p1-0', 'p1-1', 'p1-2']), { hw: 2 }),
    ]),
  );
  const found = checkLostWrites(run.finish(100), state);
  t.is(found.length, 1);
  t.deepEqual(found[0]!.values, ['p1-2']);
  t.true(found[0]!.records.some((r) => r.from === 'final' && r.broker === 'broker-2' && r.value === 'p1-2'));
  t.is(found[0]!.detail['reference'], 'broker-1');
});

test('without a final leader the replica with the highest high watermark is the reference', (t) => {
  const { run } = threeAcked();
  const state = finalState(
    partition([
      replica('broker-1', log(['p1-0']), {}),
      replica('broker-2', log(['p1-0', 'p1-1', 'p1-2']), {}),
    ]),
  );
  t.deepEqual(checkLostWrites(run.finish(100), state), []);
});

test('every known write of a partition no replica was captured for is lost', (t) => {
  const { run } = threeAcked();
  const found = checkLostWrites(run.finish(100), finalState());
  t.is(found.length, 3);
  t.regex(found[0]!.message, /no replica of orders-0 was captured/);
});

test('compacted topics are not checked for lost writes', (t) => {
  const { run } = threeAcked();
  t.deepEqual(checkLostWrites(run.finish(100), leaderOnly(log(['p1-0'])), { compactedTopics: ['orders'] }), []);
});

import test from 'ava';
import { checkDuplicates } from '../../sim/checkers/duplicate.ts';
import { finalState, leaderOnly, log, partition, replica, Run } from './build.ts';

test('a value at two offsets of the final log is a duplicate', (t) => {
  const run = new Run();
  const sendId = run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).acked('p1', 'p1-1', 1);
  const found = checkDuplicates(run.finish(100), leaderOnly(log(['p1-0', 'p1-1', 'p1-0'])));
  t.is(found.length, 1);
  const [duplicate] = found;
  t.deepEqual(duplicate!.values, ['p1-0']);
  t.deepEqual(duplicate!.offsets, [0, 2]);
  t.is(duplicate!.opIds[0], sendId);
  t.deepEqual(
    duplicate!.records.map((r) => [r.from, r.offset]),
    [['ack', 0], ['final', 0], ['final', 2]],
  );
  t.regex(duplicate!.message, /"p1-0" appears at 2 offsets of orders-0: 0 \(ack of send #0\), 2 \(final log of broker-1\)/);
});

test('the same history without the second copy has no duplicate', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).acked('p1', 'p1-1', 1);
  t.deepEqual(checkDuplicates(run.finish(100), leaderOnly(log(['p1-0', 'p1-1']))), []);
});

test('a value acknowledged at one offset and polled at another is a duplicate', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const pollId = run.at(30).poll('c1', log(['p2-0', 'p1-0']));
  const found = checkDuplicates(run.finish(100), finalState());
  t.is(found.length, 1);
  t.deepEqual(found[0]!.offsets, [0, 1]);
  t.true(found[0]!.opIds.includes(pollId));
  t.is(found[0]!.timeMs, 30);
});

test('reading one record twice at the same offset is not a duplicate', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(30).poll('c1', log(['p1-0']));
  run.at(40).poll('c2', log(['p1-0']));
  t.deepEqual(checkDuplicates(run.finish(100), leaderOnly(log(['p1-0']))), []);
});

test('a copy held only by a follower is left to divergence', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const state = finalState(
    partition([
      replica('broker-1', log(['p1-0', 'p1-1']), { leader: true }),
      replica('broker-2', log(['p1-0', 'p1-0'])),
    ]),
  );
  t.deepEqual(checkDuplicates(run.finish(100), state), []);
});

import test from 'ava';
import { checkPhantomRecords } from '../../sim/checkers/phantom-record.ts';
import { finalState, leaderOnly, log, partition, replica, Run } from './build.ts';

test('a value in a replica log that no producer sent is a phantom record', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const state = finalState(
    partition([replica('broker-1', log(['p1-0']), { leader: true }), replica('broker-2', log(['p1-0', '\u0000garbage']))]),
  );
  const found = checkPhantomRecords(run.finish(100), state);
  t.is(found.length, 1);
  t.deepEqual(found[0]!.values, ['\u0000garbage']);
  t.deepEqual(found[0]!.offsets, [1]);
  t.deepEqual(found[0]!.records.map((r) => r.broker), ['broker-2']);
});

test('a log holding only sent values has no phantom record', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(11).indeterminate('p1', 'p1-1');
  run.at(20).poll('c1', log(['p1-0', 'p1-1']));
  t.deepEqual(checkPhantomRecords(run.finish(100), leaderOnly(log(['p1-0', 'p1-1']))), []);
});

test('a polled value no producer sent is a phantom record', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const pollId = run.at(20).poll('c1', log(['p1-0', 'zz']));
  const found = checkPhantomRecords(run.finish(100), leaderOnly(log(['p1-0'])));
  t.deepEqual(found.map((a) => a.opIds), [[pollId]]);
});

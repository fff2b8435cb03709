import test from 'ava';
import { checkInconsistentOffsets } from '../../sim/checkers/inconsistent-offsets.ts';
import { finalState, leaderOnly, log, partition, replica, Run } from './build.ts';

test('an offset acknowledged with one value and polled with another is inconsistent', (t) => {
  const run = new Run();
  const sendId = run.at(10).acked('p1', 'p1-0', 0);
  const pollId = run.at(30).poll('c1', log(['p2-0']));
  const found = checkInconsistentOffsets(run.finish(100), finalState());
  t.is(found.length, 1);
  const [anomaly] = found;
  t.is(anomaly!.kind, 'inconsistent-offsets');
  t.deepEqual(anomaly!.offsets, [0]);
  t.deepEqual(anomaly!.values, ['p1-0', 'p2-0']);
  t.deepEqual(anomaly!.opIds, [sendId, pollId]);
  t.is(anomaly!.timeMs, 30);
  t.regex(anomaly!.message, /Offset 0 of orders-0 .*"p1-0" \(ack of send #0\), "p2-0" \(poll #1\)/);
});

test('the same history where the poll agrees is consistent', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(30).poll('c1', log(['p1-0']));
  t.deepEqual(checkInconsistentOffsets(run.finish(100), finalState()), []);
});

test('a final committed log that disagrees with an acknowledgement is inconsistent', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).acked('p1', 'p1-1', 1);
  const history = run.finish(100);
  const found = checkInconsistentOffsets(history, leaderOnly(log(['p1-0', 'p9-9'])));
  t.deepEqual(found.map((a) => a.offsets[0]), [1]);
  t.deepEqual(found[0]!.records.map((r) => [r.from, r.value]), [['ack', 'p1-1'], ['final', 'p9-9']]);
  t.deepEqual(checkInconsistentOffsets(history, leaderOnly(log(['p1-0', 'p1-1']))), []);
});

test('the uncommitted tail of the final log is not an observation', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).acked('p1', 'p1-1', 1);
  t.deepEqual(checkInconsistentOffsets(run.finish(100), leaderOnly(log(['p1-0', 'p9-9']), { hw: 1 })), []);
});

test('a follower that disagrees is left to divergence', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const state = finalState(
    partition([replica('broker-1', log(['p1-0']), { leader: true }), replica('broker-2', log(['p9-9']))]),
  );
  t.deepEqual(checkInconsistentOffsets(run.finish(100), state), []);
});

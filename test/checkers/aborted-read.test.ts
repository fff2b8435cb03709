import test from 'ava';
import { checkAbortedReads } from '../../sim/checkers/aborted-read.ts';
import { finalState, leaderOnly, log, Run } from './build.ts';

test('a failed send whose record a poll returns is an aborted read', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  const sendId = run.at(20).failed('p1', 'p1-1', 'NOT_ENOUGH_REPLICAS');
  const pollId = run.at(30).poll('c1', log(['p1-0', 'p1-1']));
  const found = checkAbortedReads(run.finish(100), finalState());
  t.is(found.length, 1);
  const [anomaly] = found;
  t.is(anomaly!.kind, 'aborted-read');
  t.deepEqual(anomaly!.values, ['p1-1']);
  t.deepEqual(anomaly!.opIds, [sendId, pollId]);
  t.is(anomaly!.timeMs, 30);
  t.is(anomaly!.detail['jepsen'], 'G1a');
  t.regex(anomaly!.message, /Send #1 of "p1-1" failed with NOT_ENOUGH_REPLICAS, yet the record is at offset 1 of orders-0 \(poll #2\)/);
});

test('the same failed send that nobody reads and the log lacks is no anomaly', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-0', 0);
  run.at(20).failed('p1', 'p1-1', 'NOT_ENOUGH_REPLICAS');
  run.at(30).poll('c1', log(['p1-0']));
  t.deepEqual(checkAbortedReads(run.finish(100), leaderOnly(log(['p1-0']))), []);
});

test('a failed send present in the final committed log is an aborted read', (t) => {
  const run = new Run();
  run.at(20).failed('p1', 'p1-1');
  const found = checkAbortedReads(run.finish(100), leaderOnly(log(['p1-1'])));
  t.deepEqual(found.map((a) => a.records.map((r) => [r.from, r.broker])), [[['final', 'broker-1']]]);
});

test('an indeterminate send that turns up is not an aborted read', (t) => {
  const run = new Run();
  run.at(20).indeterminate('p1', 'p1-1');
  run.at(30).poll('c1', log(['p1-1']));
  t.deepEqual(checkAbortedReads(run.finish(100), leaderOnly(log(['p1-1']))), []);
});

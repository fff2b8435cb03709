import test from 'ava';
import { checkNonmonotonicPolls } from '../../sim/checkers/nonmonotonic-poll.ts';
import { finalState, log, records, Run } from './build.ts';

test('a consumer that reads offset 2 and then 1 without a seek polls nonmonotonically', (t) => {
  const run = new Run();
  const first = run.at(10).poll('c1', log(['v0', 'v1', 'v2']));
  const second = run.at(20).poll('c1', records([[1, 'v1']]));
  const found = checkNonmonotonicPolls(run.finish(100), finalState());
  t.is(found.length, 1);
  const [anomaly] = found;
  t.deepEqual(anomaly!.offsets, [2, 1]);
  t.deepEqual(anomaly!.opIds, [first, second]);
  t.deepEqual(anomaly!.values, ['v2', 'v1']);
  t.regex(anomaly!.message, /c1 read offset 2 of orders-0 \(poll #0\) and then offset 1 \(poll #1\), going backwards/);
});

test('the same consumer reading on from offset 3 is monotonic', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1', 'v2']));
  run.at(20).poll('c1', records([[3, 'v3']]));
  t.deepEqual(checkNonmonotonicPolls(run.finish(100), finalState()), []);
});

test('reading the same offset twice is nonmonotonic', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(20).poll('c1', records([[1, 'v1'], [2, 'v2']]));
  const found = checkNonmonotonicPolls(run.finish(100), finalState());
  t.is(found.length, 1);
  t.regex(found[0]!.message, /read offset 1 of orders-0 twice/);
});

test('a seek back to an earlier offset makes rereading legitimate', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1', 'v2']));
  run.at(15).seek('c1', 1, 'rebalance');
  run.at(20).poll('c1', records([[1, 'v1']]));
  t.deepEqual(checkNonmonotonicPolls(run.finish(100), finalState()), []);
});

test('reading before the position a seek set is nonmonotonic', (t) => {
  const run = new Run();
  const seekId = run.at(5).seek('c1', 2, 'assign');
  const pollId = run.at(10).poll('c1', log(['v0', 'v1', 'v2']));
  const found = checkNonmonotonicPolls(run.finish(100), finalState());
  // One descent (to 0); from there 1 and 2 read on in order.
  t.deepEqual(found.map((a) => a.offsets), [[2, 0]]);
  t.deepEqual(found[0]!.opIds, [seekId, pollId]);
});

test('different consumers and partitions are independent', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1', 'v2']));
  run.at(20).poll('c2', log(['v0']));
  run.at(30).poll('c1', log(['w0']), { partition: 1 });
  t.deepEqual(checkNonmonotonicPolls(run.finish(100), finalState()), []);
});

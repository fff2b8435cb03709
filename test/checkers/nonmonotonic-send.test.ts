import test from 'ava';
import { checkNonmonotonicSends } from '../../sim/checkers/nonmonotonic-send.ts';
import { finalState, Run } from './build.ts';

/** p1 sends a, b, c in that order; they are acknowledged at the given offsets. */
function threeSends(offsets: readonly [number, number, number]): { run: Run; ids: number[] } {
  const run = new Run();
  const ids = ['p1-a', 'p1-b', 'p1-c'].map((value, i) => run.at(10 + i).send('p1', value));
  ids.forEach((id, i) => run.at(50 + i).recorder.ackSend(id, offsets[i]!));
  return { run, ids };
}

test('acknowledged offsets out of one producer\'s send order are a nonmonotonic send', (t) => {
  const { run, ids } = threeSends([5, 7, 6]);
  const found = checkNonmonotonicSends(run.finish(100), finalState());
  t.is(found.length, 1);
  const [anomaly] = found;
  t.deepEqual(anomaly!.values, ['p1-b', 'p1-c']);
  t.deepEqual(anomaly!.offsets, [7, 6]);
  t.deepEqual(anomaly!.opIds, [ids[1], ids[2]]);
  t.deepEqual(anomaly!.records.map((r) => [r.from, r.offset]), [['ack', 7], ['ack', 6]]);
  t.regex(anomaly!.message, /p1 sent "p1-b" \(send #1\) before "p1-c" \(send #2\) to orders-0, but .* offsets 7 and 6/);
});

test('the same sends acknowledged in order are monotonic', (t) => {
  const { run } = threeSends([5, 6, 7]);
  t.deepEqual(checkNonmonotonicSends(run.finish(100), finalState()), []);
});

test('two sends acknowledged at the same offset are nonmonotonic', (t) => {
  const { run } = threeSends([5, 6, 6]);
  t.is(checkNonmonotonicSends(run.finish(100), finalState()).length, 1);
});

test('order is per producer and per partition', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-a', 9);
  run.at(11).acked('p2', 'p2-a', 3);
  run.at(12).acked('p1', 'p1-b', 4, { partition: 1 });
  run.at(13).acked('p1', 'p1-c', 10);
  t.deepEqual(checkNonmonotonicSends(run.finish(100), finalState()), []);
});

test('unacknowledged sends between two acknowledged ones do not hide a reordering', (t) => {
  const run = new Run();
  run.at(10).acked('p1', 'p1-a', 2);
  run.at(11).indeterminate('p1', 'p1-b');
  run.at(12).failed('p1', 'p1-c');
  run.at(13).acked('p1', 'p1-d', 1);
  const found = checkNonmonotonicSends(run.finish(100), finalState());
  t.deepEqual(found.map((a) => a.values), [['p1-a', 'p1-d']]);
});

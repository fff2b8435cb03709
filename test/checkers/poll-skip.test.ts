import test from 'ava';
import { checkPollSkips } from '../../sim/checkers/poll-skip.ts';
import { leaderOnly, log, records, Run } from './build.ts';

const FINAL = leaderOnly(log(['v0', 'v1', 'v2', 'v3']));

test('a consumer that reads offset 1 and then 3 skips offset 2', (t) => {
  const run = new Run();
  const first = run.at(10).poll('c1', log(['v0', 'v1']));
  const second = run.at(20).poll('c1', records([[3, 'v3']]));
  const found = checkPollSkips(run.finish(100), FINAL);
  t.is(found.length, 1);
  const [skip] = found;
  t.is(skip!.kind, 'poll-skip');
  t.deepEqual(skip!.offsets, [1, 2, 3]);
  t.deepEqual(skip!.values, ['v2']);
  t.deepEqual(skip!.opIds, [first, second]);
  t.deepEqual(skip!.records.map((r) => [r.from, r.offset]), [['poll', 1], ['poll', 3], ['final', 2]]);
  t.regex(skip!.message, /c1 read offset 1 of orders-0 \(poll #0\) and then offset 3 \(poll #1\), skipping 1 offset .*\(2; first "v2"\)/);
});

test('the same consumer reading offsets 2 and 3 next skips nothing', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(20).poll('c1', log(['v2', 'v3'], 2));
  t.deepEqual(checkPollSkips(run.finish(100), FINAL), []);
});

test('a skip inside one poll counts too', (t) => {
  const run = new Run();
  run.at(10).poll('c1', records([[0, 'v0'], [2, 'v2']]));
  t.deepEqual(checkPollSkips(run.finish(100), FINAL).map((a) => a.offsets), [[0, 1, 2]]);
});

test('an offset nobody ever saw holding a record is not a skip', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(20).poll('c1', records([[3, 'v3']]));
  // Offset 2 is, say, a transaction marker: no observation holds a record there.
  const final = leaderOnly(records([[0, 'v0'], [1, 'v1'], [3, 'v3']]));
  t.deepEqual(checkPollSkips(run.finish(100), final), []);
});

test('a seek without an offset forgets the position', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(15).seek('c1', null, 'rebalance');
  run.at(20).poll('c1', records([[3, 'v3']]));
  t.deepEqual(checkPollSkips(run.finish(100), FINAL), []);
});

test('a seek to an offset expects the next read there', (t) => {
  const fine = new Run();
  fine.at(10).poll('c1', log(['v0']));
  fine.at(15).seek('c1', 3, 'seek');
  fine.at(20).poll('c1', records([[3, 'v3']]));
  t.deepEqual(checkPollSkips(fine.finish(100), FINAL), []);

  const skipping = new Run();
  skipping.at(10).poll('c1', log(['v0']));
  const seekId = skipping.at(15).seek('c1', 2, 'assign');
  skipping.at(20).poll('c1', records([[3, 'v3']]));
  const found = checkPollSkips(skipping.finish(100), FINAL);
  t.is(found.length, 1);
  t.deepEqual(found[0]!.offsets, [2, 2, 3]);
  t.is(found[0]!.opIds[0], seekId);
  t.regex(found[0]!.message, /positioned at offset 2 of orders-0 by seek #1 \(assign\)/);
});

test('each consumer has its own position', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(20).poll('c2', records([[3, 'v3']]));
  t.deepEqual(checkPollSkips(run.finish(100), FINAL), []);
});

test('compacted topics are not checked for skips', (t) => {
  const run = new Run();
  run.at(10).poll('c1', log(['v0', 'v1']));
  run.at(20).poll('c1', records([[3, 'v3']]));
  t.deepEqual(checkPollSkips(run.finish(100), FINAL, { compactedTopics: ['orders'] }), []);
});

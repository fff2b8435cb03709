import test from 'ava';
import { checkUnavailable } from '../../sim/checkers/unavailable.ts';
import { finalState, leaderOnly, log, Run } from './build.ts';

const OPTIONS = { unavailableBoundMs: 500 };

/** A partition down until `healMs`, then sends at 1100 (fails), 1300 (the given outcome), 1700 (acked). */
function afterHeal(secondAcked: boolean): Run {
  const run = new Run();
  run.at(100).acked('p1', 'p1-0', 0);
  run.at(1000).recorder.heal();
  const failed = run.at(1100).send('p1', 'p1-1');
  run.at(1150).recorder.failSend(failed, 'NOT_LEADER_OR_FOLLOWER');
  const second = run.at(1300).send('p1', 'p1-2');
  if (secondAcked) run.at(1400).recorder.ackSend(second, 1);
  else run.at(1400).recorder.indeterminateSend(second, 'REQUEST_TIMED_OUT');
  run.at(1700).acked('p1', 'p1-3', secondAcked ? 2 : 1);
  return run;
}

test('no acknowledgement within the bound after the heal is unavailability', (t) => {
  const history = afterHeal(false).finish(3000);
  const found = checkUnavailable(history, finalState(), OPTIONS);
  t.is(found.length, 1);
  const [anomaly] = found;
  t.is(anomaly!.detail['side'], 'produce');
  t.is(anomaly!.detail['outstanding'], 2);
  t.is(anomaly!.detail['firstAckAfterMs'], 1700);
  t.deepEqual(anomaly!.values, ['p1-1', 'p1-2']);
  t.deepEqual(anomaly!.events.map((e) => [e.type, e.timeMs]), [['heal', 1000]]);
  t.regex(anomaly!.message, /No send to orders-0 was acknowledged within 500 ms of the heal at 1000 ms \(2 outstanding: 1 failed NOT_LEADER_OR_FOLLOWER, 1 indeterminate REQUEST_TIMED_OUT\); the first came at 1700 ms/);
});

test('an acknowledgement within the bound after the heal is availability', (t) => {
  t.deepEqual(checkUnavailable(afterHeal(true).finish(3000), finalState(), OPTIONS), []);
});

test('a run that ends before the bound has passed is not judged', (t) => {
  t.deepEqual(checkUnavailable(afterHeal(false).finish(1400), finalState(), OPTIONS), []);
});

test('a partition nobody sends to after the heal is not judged', (t) => {
  const run = new Run();
  run.at(100).acked('p1', 'p1-0', 0);
  run.at(1000).recorder.heal();
  t.deepEqual(checkUnavailable(run.finish(3000), finalState(), OPTIONS), []);
});

/** Records readable from 100 ms; the heal at 1000; consumers poll at 1200 and 1400. */
function consumers(readAfterHeal: boolean): Run {
  const run = new Run();
  run.at(100).acked('p1', 'p1-0', 0);
  run.at(200).acked('p1', 'p1-1', 1);
  run.at(1000).recorder.heal();
  run.at(1200).poll('c1', []);
  run.at(1400).poll('c1', readAfterHeal ? log(['p1-0', 'p1-1']) : []);
  return run;
}

test('consumers reading nothing within the bound while records are readable is unavailability', (t) => {
  const found = checkUnavailable(consumers(false).finish(3000), leaderOnly(log(['p1-0', 'p1-1'])), OPTIONS);
  t.is(found.length, 1);
  t.is(found[0]!.detail['side'], 'consume');
  t.is(found[0]!.detail['emptyPolls'], 2);
  t.regex(found[0]!.message, /Consumers of orders-0 read nothing within 500 ms after records above offset -1 were readable at 1000 ms/);
});

test('consumers reading within the bound are available', (t) => {
  t.deepEqual(checkUnavailable(consumers(true).finish(3000), leaderOnly(log(['p1-0', 'p1-1'])), OPTIONS), []);
});

test('acknowledged records missing from the final log do not make consumers unavailable', (t) => {
  t.deepEqual(checkUnavailable(consumers(false).finish(3000), leaderOnly([]), OPTIONS), []);
});

test('without a heal event the clock starts at 0', (t) => {
  const run = new Run();
  const id = run.at(100).send('p1', 'p1-0');
  run.at(900).recorder.indeterminateSend(id, 'REQUEST_TIMED_OUT');
  t.is(checkUnavailable(run.finish(3000), finalState(), OPTIONS).length, 1);
  t.deepEqual(checkUnavailable(run.finish(3000), finalState(), { ...OPTIONS, healMs: 1000 }), []);
});

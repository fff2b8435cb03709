import test from 'ava';
import { checkHwRegressions } from '../../sim/checkers/hw-regression.ts';
import type { SampleRecording } from '../../sim/history.ts';
import { leaderOnly, log, Run, TOPIC } from './build.ts';

function leaderSample(broker: string, leaderEpoch: number, highWatermark: number, incarnation = 0): SampleRecording {
  return {
    broker,
    incarnation,
    topic: TOPIC,
    partition: 0,
    highWatermark,
    logEndOffset: 10,
    leaderEpoch,
    isLeader: true,
    isr: [broker],
  };
}

const FINAL = leaderOnly(log(['a', 'b', 'c', 'd', 'e', 'f']));

test('a leader whose high watermark drops within one epoch is a regression', (t) => {
  const run = new Run();
  run.at(100).recorder.sample(leaderSample('broker-1', 1, 5));
  run.at(200).recorder.sample(leaderSample('broker-1', 1, 3));
  const found = checkHwRegressions(run.finish(1000), FINAL);
  t.is(found.length, 1);
  const [anomaly] = found;
  t.is(anomaly!.detail['rule'], 'within-term');
  t.deepEqual(anomaly!.offsets, [5, 3]);
  t.deepEqual(anomaly!.samples.map((s) => [s.timeMs, s.highWatermark]), [[100, 5], [200, 3]]);
  t.is(anomaly!.timeMs, 200);
  t.regex(anomaly!.message, /broker-1, leader of orders-0 in epoch 1, reported high watermark 5 at 100 ms and then 3 at 200 ms/);
});

test('a new leader starting below the old leader high watermark is legitimate', (t) => {
  const run = new Run();
  run.at(100).recorder.sample(leaderSample('broker-1', 1, 5));
  run.at(200).recorder.sample(leaderSample('broker-2', 2, 3));
  run.at(300).recorder.sample(leaderSample('broker-2', 2, 6));
  t.deepEqual(checkHwRegressions(run.finish(1000), FINAL), []);
});

test('a restarted leader is not held to what it reported before the restart', (t) => {
  const run = new Run();
  run.at(100).recorder.sample(leaderSample('broker-1', 1, 5, 0));
  run.at(200).recorder.sample(leaderSample('broker-1', 1, 3, 1));
  t.deepEqual(checkHwRegressions(run.finish(1000), FINAL), []);
});

test('a final high watermark below one a leader reported is a regression', (t) => {
  const run = new Run();
  run.at(100).recorder.sample(leaderSample('broker-1', 1, 8));
  const history = run.finish(1000);
  const found = checkHwRegressions(history, FINAL);
  t.is(found.length, 1);
  t.is(found[0]!.detail['rule'], 'below-frontier');
  t.deepEqual(found[0]!.offsets, [8, 6]);
  t.is(found[0]!.samples.length, 1);
  t.regex(found[0]!.message, /The high watermark of orders-0 reached 8 \(leader broker-1 in epoch 1 at 100 ms\) but the final high watermark of broker-1 is 6/);
  t.deepEqual(checkHwRegressions(history, leaderOnly(log(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']))), []);
});

test('a record a consumer read proves the high watermark passed it', (t) => {
  const run = new Run();
  const pollId = run.at(100).poll('c1', log(['a', 'b', 'c', 'd', 'e', 'f', 'g']));
  const history = run.finish(1000);
  const found = checkHwRegressions(history, FINAL);
  t.deepEqual(found.map((a) => a.opIds), [[pollId]]);
  t.deepEqual(found[0]!.offsets, [7, 6]);
  t.deepEqual(found[0]!.records.map((r) => [r.offset, r.value]), [[6, 'g']]);
  t.deepEqual(checkHwRegressions(history, leaderOnly(log(['a', 'b', 'c', 'd', 'e', 'f', 'g']))), []);
});

test('followers are not part of the visible frontier', (t) => {
  const run = new Run();
  run.at(100).recorder.sample({ ...leaderSample('broker-2', 1, 9), isLeader: false });
  t.deepEqual(checkHwRegressions(run.finish(1000), FINAL), []);
});

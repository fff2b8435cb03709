import test from 'ava';
import { ANOMALY_KINDS, checkAll, CheckOptionsError } from '../../sim/checkers/index.ts';
import type { AnomalyKind } from '../../sim/checkers/index.ts';
import type { FinalState, History, ObservedRecord } from '../../sim/history.ts';
import { finalState, partition, replica, Run } from './build.ts';

/**
 * A clean run: `producers` producers each send `perProducer` records round-robin over `partitions`
 * partitions of a 3-replica topic, acknowledged in order; one consumer per partition polls everything in
 * batches of 50; leaders are sampled after each batch. The final state holds exactly what was acknowledged.
 */
function cleanRun(producers: number, perProducer: number, partitions: number): { run: Run; logs: ObservedRecord[][] } {
  const run = new Run();
  const logs: ObservedRecord[][] = Array.from({ length: partitions }, () => []);
  let timeMs = 0;
  for (let i = 0; i < perProducer; i++) {
    for (let p = 0; p < producers; p++) {
      const partitionNo = (i + p) % partitions;
      const value = `p${p}-${i}`;
      const held = logs[partitionNo]!;
      const id = run.at(timeMs++).send(`producer-${p}`, value, { partition: partitionNo });
      run.at(timeMs++).recorder.ackSend(id, held.length);
      held.push({ offset: held.length, value, leaderEpoch: 1 });
    }
  }
  logs.forEach((held, partitionNo) => {
    for (let from = 0; from < held.length; from += 50) {
      run.at(timeMs++).poll(`consumer-${partitionNo}`, held.slice(from, from + 50), { partition: partitionNo });
      run.recorder.sample({
        broker: 'broker-1',
        incarnation: 0,
        topic: 'orders',
        partition: partitionNo,
        highWatermark: Math.min(held.length, from + 50),
        logEndOffset: held.length,
        leaderEpoch: 1,
        isLeader: true,
        isr: ['broker-1', 'broker-2', 'broker-3'],
      });
    }
  });
  return { run, logs };
}

function finalOf(logs: readonly ObservedRecord[][]): FinalState {
  return finalState(
    ...logs.map((held, partitionNo) =>
      partition(
        ['broker-1', 'broker-2', 'broker-3'].map((broker, i) => replica(broker, held, { leader: i === 0, epoch: 1 })),
        { partition: partitionNo, isr: ['broker-1', 'broker-2', 'broker-3'] },
      ),
    ),
  );
}

test('a clean history passes every checker, with a zero count for each kind', (t) => {
  const { run, logs } = cleanRun(3, 200, 4);
  const verdict = checkAll(run.finish(), finalOf(logs), { unavailableBoundMs: 10_000 });
  t.true(verdict.ok);
  t.deepEqual(verdict.anomalies, []);
  t.deepEqual(verdict.checked, [...ANOMALY_KINDS]);
  t.deepEqual(Object.values(verdict.counts), ANOMALY_KINDS.map(() => 0));
  t.like(verdict.stats, {
    produced: { attempted: 600, acked: 600, failed: 0, indeterminate: 0 },
    consumed: 600,
    partitions: 4,
    finalReplicas: 12,
    finalCommittedRecords: 600,
  });
});

test('a lost record in an otherwise clean history fails the verdict with the kinds that explain it', (t) => {
  const { run, logs } = cleanRun(3, 200, 4);
  const history = run.finish();
  // Every replica of partition 2 lost its tail from offset 100: acknowledged and polled records vanish.
  const truncated = logs.map((held, i) => (i === 2 ? held.slice(0, 100) : held));
  const verdict = checkAll(history, finalOf(truncated), { unavailableBoundMs: 10_000 });
  t.false(verdict.ok);
  t.is(verdict.counts['lost-write'], 50);
  t.is(verdict.counts['hw-regression'], 1);
  t.is(verdict.counts.duplicate, 0);
  t.true(verdict.anomalies.every((a) => a.partition === 2));
});

test('anomalies kept per kind are capped while counts stay exact', (t) => {
  const { run, logs } = cleanRun(1, 40, 1);
  const verdict = checkAll(run.finish(), finalOf([logs[0]!.slice(0, 10)]), {
    checkers: ['lost-write'],
    maxAnomaliesPerKind: 5,
  });
  t.is(verdict.counts['lost-write'], 30);
  t.is(verdict.anomalies.length, 5);
  t.deepEqual(verdict.checked, ['lost-write']);
  t.deepEqual(Object.keys(verdict.counts), ['lost-write']);
});

test('an unknown checker name is refused with the valid names', (t) => {
  const history: History = new Run().finish();
  t.throws(() => checkAll(history, finalState(), { checkers: ['lost-writes' as AnomalyKind] }), {
    instanceOf: CheckOptionsError,
    message: /unknown checker "lost-writes"; valid: lost-write, duplicate/,
  });
});

test('the availability window shows in the stats, and whether it was judged', (t) => {
  const run = new Run();
  run.at(1000).recorder.heal();
  const verdict = checkAll(run.finish(1200), finalState(), { unavailableBoundMs: 500 });
  t.deepEqual(verdict.stats.availability, { healMs: 1000, boundMs: 500, judged: false });
});

test('a history of 120 000 operations is checked in one linear pass per checker', (t) => {
  const { run, logs } = cleanRun(10, 10_000, 8);
  const history = run.finish();
  t.true(history.ops.length > 100_000);
  const verdict = checkAll(history, finalOf(logs), { unavailableBoundMs: 1_000_000 });
  t.true(verdict.ok);
  t.is(verdict.stats.produced.acked, 100_000);
});

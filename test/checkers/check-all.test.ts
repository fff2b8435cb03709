import test from 'ava';
import { CHECKER_KINDS, checkAll, CheckOptionsError } from '../../sim/checkers/index.ts';
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

const BROKERS = ['broker-1', 'broker-2', 'broker-3'];

/** A clean run of cleanRun(3, 200, 4) takes ~1.2 s of history; consumers poll once all is sent. The bound
 *  covers that first poll and the history lasts past it, so that availability is judged, not skipped. */
const CLEAN_BOUND_MS = 2_000;
const CLEAN_END_MS = 5_000;

/** Every replica holds the log, broker-1 leads, every broker runs and every ISR is full. */
function finalOf(logs: readonly ObservedRecord[][]): FinalState {
  const state = finalState(
    ...logs.map((held, partitionNo) => ({
      ...partition(
        BROKERS.map((broker, i) => replica(broker, held, { leader: i === 0, epoch: 1 })),
        { partition: partitionNo, isr: BROKERS },
      ),
      metadata: { replicas: BROKERS, isr: BROKERS, leader: 'broker-1', leaderEpoch: 1 },
    })),
  );
  return { ...state, brokers: BROKERS.map((broker) => ({ broker, standing: 'running' as const })) };
}

test('a clean history passes every checker, with a zero count for each kind', (t) => {
  const { run, logs } = cleanRun(3, 200, 4);
  const verdict = checkAll(run.finish(CLEAN_END_MS), finalOf(logs), { unavailableBoundMs: CLEAN_BOUND_MS });
  t.true(verdict.ok);
  t.deepEqual(verdict.anomalies, []);
  t.deepEqual(verdict.notJudged, []);
  t.deepEqual(verdict.checked, [...CHECKER_KINDS]);
  t.deepEqual(Object.values(verdict.counts), CHECKER_KINDS.map(() => 0));
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
  const history = run.finish(CLEAN_END_MS);
  // Every replica of partition 2 lost its tail from offset 100: acknowledged and polled records vanish.
  const truncated = logs.map((held, i) => (i === 2 ? held.slice(0, 100) : held));
  const verdict = checkAll(history, finalOf(truncated), { unavailableBoundMs: CLEAN_BOUND_MS });
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
  t.deepEqual(verdict.stats.availability, { startMs: 1000, from: 'heal', boundMs: 500, judged: false });
});

test('a history of 120 000 operations is checked in one linear pass per checker', (t) => {
  const { run, logs } = cleanRun(10, 10_000, 8);
  const history = run.finish(600_000);
  t.true(history.ops.length > 100_000);
  const verdict = checkAll(history, finalOf(logs), { unavailableBoundMs: 250_000 });
  t.deepEqual(verdict.notJudged, []);
  t.true(verdict.ok);
  t.is(verdict.stats.produced.acked, 100_000);
});

test('a checker that cannot judge the run is listed with why, and the verdict is not ok: not judged is never passed', (t) => {
  const { run, logs } = cleanRun(3, 200, 4);
  const verdict = checkAll(run.finish(CLEAN_END_MS), finalOf(logs), { unavailableBoundMs: 60_000 });
  t.deepEqual(verdict.anomalies, []);
  t.false(verdict.ok);
  t.deepEqual(verdict.notJudged, [{ checker: 'unavailable', why: 'the run ended at 5000 ms, before the availability window [0, 60000] ms closed: keep the load on for the bound (60000 ms) after the heal' }]);
  t.is(verdict.counts.unavailable, 0, 'the count stays: the report shows it as not judged');
  const noBrokers = checkAll(run.finish(CLEAN_END_MS), { partitions: finalOf(logs).partitions }, { unavailableBoundMs: CLEAN_BOUND_MS });
  t.deepEqual(noBrokers.notJudged.map((entry) => entry.checker), ['under-replicated']);
});

test('invariant is not a checker one can choose: the engine asserts its invariants in every run', (t) => {
  t.throws(() => checkAll(new Run().finish(), finalState(), { checkers: ['invariant'] }), {
    instanceOf: CheckOptionsError,
    message: /invariant is not a checker: the engine asserts its invariants itself/,
  });
});

import test from 'ava';
import { checkUnderReplicated } from '../../sim/checkers/under-replicated.ts';
import type { BrokerStanding, FinalPartition, FinalState } from '../../sim/history.ts';
import { log, partition, replica, Run } from './build.ts';

const BROKERS = ['broker-1', 'broker-2', 'broker-3'];

/** Partition `n` replicated on every broker, broker-1 leading, with the given ISR in the metadata. */
function part(n: number, isr: readonly string[], followerLogEnd = 3): FinalPartition {
  return {
    ...partition([
      replica('broker-1', log(['a', 'b', 'c']), { leader: true, epoch: 2 }),
      replica('broker-2', log(['a', 'b', 'c'].slice(0, followerLogEnd)), { epoch: 2 }),
      replica('broker-3', log(['a', 'b', 'c']), { epoch: 2 }),
    ], { partition: n, isr }),
    metadata: { replicas: BROKERS, isr, leader: 'broker-1', leaderEpoch: 2 },
  };
}

function state(partitions: FinalPartition[], standing: Partial<Record<string, BrokerStanding>> = {}): FinalState {
  return { partitions, brokers: BROKERS.map((broker) => ({ broker, standing: standing[broker] ?? 'running' })) };
}

/** A history healed at 1000 and quiesced at 9000, sampled once. */
function history(): ReturnType<Run['finish']> {
  const run = new Run();
  run.at(500).recorder.sample({ broker: 'broker-1', incarnation: 0, topic: 'orders', partition: 0, highWatermark: 3, logEndOffset: 3, leaderEpoch: 2, isLeader: true, isr: ['broker-1', 'broker-3'] });
  run.at(1000).recorder.heal();
  run.at(9000).recorder.quiesced();
  return run.finish(9000);
}

test('an ISR that lacks a replica at the end, with every broker up, is under-replicated', (t) => {
  const { anomalies, notJudged } = checkUnderReplicated(history(), state([part(0, ['broker-1', 'broker-3'], 1), part(1, BROKERS)]));
  t.is(notJudged, undefined);
  t.is(anomalies.length, 1);
  const [found] = anomalies;
  t.is(found!.kind, 'under-replicated');
  t.is(found!.partition, 0);
  t.is(found!.detail['missing'], 'broker-2');
  t.is(found!.detail['leaderLogEndOffset'], 3);
  t.is(found!.timeMs, 9000);
  t.deepEqual(found!.events.map((e) => e.type), ['heal', 'quiesced']);
  t.is(found!.samples.length, 1);
  t.is(
    found!.message,
    'The ISR of orders-0 at the end is {broker-1, broker-3}, without broker-2 of its replicas {broker-1, broker-2, broker-3}, ' +
      "though every broker is up: broker-2 is running and its log ends at 1 (leader epoch 2); the leader broker-1's log ends at 3, " +
      'high watermark 3 (8000 ms after the heal at 1000 ms).',
  );
});

test('full ISRs are not under-replicated, and every partition is judged', (t) => {
  t.deepEqual(checkUnderReplicated(history(), state([part(0, BROKERS), part(1, BROKERS)])), { anomalies: [] });
});

test('a broker still starting (up, fenced) counts as up: its partitions are judged', (t) => {
  const { anomalies, notJudged } = checkUnderReplicated(history(), state([part(0, ['broker-1', 'broker-3'])], { 'broker-2': 'starting' }));
  t.is(notJudged, undefined);
  t.is(anomalies.length, 1);
  t.regex(anomalies[0]!.message, /broker-2 is starting/);
});

test('partitions on a broker down or paused at the end are not judged, and the checker says which and why', (t) => {
  const down = state([part(0, ['broker-1', 'broker-3']), part(1, ['broker-1', 'broker-3'])], { 'broker-2': 'down' });
  t.deepEqual(checkUnderReplicated(history(), down), {
    anomalies: [],
    notJudged: 'no partition judged; not judged: orders-0, orders-1 (broker-2 was down at the end)',
  });
  const paused = state([part(0, BROKERS), { ...part(1, ['broker-1']), metadata: { replicas: ['broker-1', 'broker-3'], isr: ['broker-1'], leader: 'broker-1', leaderEpoch: 2 } }], { 'broker-3': 'paused', 'broker-2': 'running' });
  const result = checkUnderReplicated(history(), paused);
  t.is(result.notJudged, 'no partition judged; not judged: orders-0, orders-1 (broker-3 was paused at the end)');
});

test('some partitions judged and others not: the anomalies of the judged ones, and which were not', (t) => {
  const mixed: FinalState = {
    partitions: [
      { ...part(0, ['broker-1']), metadata: { replicas: ['broker-1', 'broker-2'], isr: ['broker-1'], leader: 'broker-1', leaderEpoch: 2 } },
      { ...part(1, ['broker-1']), metadata: { replicas: ['broker-1', 'broker-3'], isr: ['broker-1'], leader: 'broker-1', leaderEpoch: 2 } },
      { ...part(2, ['broker-1']), metadata: null },
    ],
    brokers: [{ broker: 'broker-1', standing: 'running' }, { broker: 'broker-2', standing: 'running' }, { broker: 'broker-3', standing: 'down' }],
  };
  const { anomalies, notJudged } = checkUnderReplicated(history(), mixed);
  t.deepEqual(anomalies.map((a) => a.partition), [0]);
  t.is(notJudged, "1 of 3 partitions judged; not judged: orders-1 (broker-3 was down at the end); orders-2 (no controller's metadata at the end)");
});

test('a final state that does not say which brokers are up is not judged at all', (t) => {
  t.deepEqual(checkUnderReplicated(history(), { partitions: [part(0, ['broker-1'])] }), {
    anomalies: [],
    notJudged: 'the final state does not say which brokers are up',
  });
});

import test from 'ava';
import { Piscina } from 'piscina';
import { runCluster } from '../../sim/cluster-run.ts';
import { SMALL_SAFE_RUN } from '../support/small-cluster-run.ts';

test('a whole cluster under random faults gives the same trace hash for the same seed, and another for another', (t) => {
  const first = runCluster(SMALL_SAFE_RUN, 3);
  const again = runCluster(SMALL_SAFE_RUN, 3);
  const other = runCluster(SMALL_SAFE_RUN, 4);
  t.true(first.faults.length > 0, 'the schedule must inject faults');
  t.true(first.stats.produced.acked > 1000, `the workload must make progress, acked ${first.stats.produced.acked}`);
  t.is(first.traceHash, again.traceHash);
  t.is(first.stats.events, again.stats.events);
  t.not(first.traceHash, other.traceHash);
});

test('a cluster seed run in a worker thread gives the same trace hash as in the main thread', async (t) => {
  const pool = new Piscina({ filename: new URL('../support/cluster-task.ts', import.meta.url).href, execArgv: ['--import', 'tsx'], maxThreads: 1 });
  try {
    const inWorker = (await pool.run({ seed: 5 })) as string;
    t.is(inWorker, runCluster(SMALL_SAFE_RUN, 5).traceHash);
  } finally {
    await pool.destroy();
  }
});

test('the safe configuration loses nothing acknowledged over a few seeds of random broker faults', (t) => {
  for (const seed of [1, 2, 3]) {
    const result = runCluster(SMALL_SAFE_RUN, seed);
    t.deepEqual(result.verdict.anomalies.map((a) => `${a.kind}: ${a.message}`), [], `seed ${seed}`);
    t.deepEqual(result.verdict.notJudged, [], `seed ${seed}: every checker judged it`);
  }
});

test('the final state has each partition as the controller\'s metadata has it, and how each broker stands', (t) => {
  const { finalState } = runCluster(SMALL_SAFE_RUN, 1);
  t.deepEqual(finalState.brokers, ['broker-1', 'broker-2', 'broker-3'].map((broker) => ({ broker, standing: 'running' })));
  t.is(finalState.partitions.length, 6);
  for (const partition of finalState.partitions) {
    const metadata = partition.metadata!;
    t.is(metadata.replicas.length, 3, `orders-${partition.partition}`);
    t.deepEqual([...metadata.isr].sort(), [...metadata.replicas].sort(), `orders-${partition.partition}: the ISR refilled after the heal`);
    t.true(partition.replicas.some((replica) => replica.isLeader && replica.broker === metadata.leader), `orders-${partition.partition}: the metadata names the live leader`);
  }
});

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
  }
});

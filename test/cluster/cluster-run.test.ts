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

test('a scenario\'s extra latency is configuration: it is still there after the heal', (t) => {
  const run = runCluster({
    cluster: { brokers: 3, controllers: 1 },
    topic: { name: 'orders', numPartitions: 1, replicationFactor: 3 },
    workload: { producers: [{ ratePerSec: 50, config: { acks: 1, 'enable.idempotence': false } }], consumers: 0 },
    extraLatencyMs: 100,
    faults: { script: [{ kind: 'isolate', target: 'broker-3', atMs: 1_000, durationMs: 1_000 }] },
    faultsUntilMs: 3_000,
    livenessMs: 4_000,
    quiesceMs: 1_000,
    checkers: ['lost-write'],
  }, 1);
  // acks=1: a request and its answer cross one link each, so 200 ms at least with +100 ms one way.
  const latencies = (after: number, before: number): number[] => run.history.ops
    .filter((op) => op.type === 'send' && op.outcome?.status === 'acked' && op.invokeMs >= after && op.invokeMs < before)
    .map((op) => (op.type === 'send' ? op.completeMs! - op.invokeMs : 0));
  const beforeHeal = latencies(run.readyAtMs, run.readyAtMs + 1_000);
  const afterHeal = latencies(run.healMs + 500, run.stopMs);
  t.true(beforeHeal.length > 20 && afterHeal.length > 100, `${beforeHeal.length} and ${afterHeal.length} acked sends`);
  t.true(Math.min(...beforeHeal) >= 200, `before the heal the fastest send took ${Math.min(...beforeHeal)} ms`);
  t.true(Math.min(...afterHeal) >= 200, `after the heal the fastest send took ${Math.min(...afterHeal)} ms`);
});

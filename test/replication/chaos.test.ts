// Random, overlapping crashes and partitions of whole brokers under acks=all (replication factor 3,
// min.insync.replicas=2), on the simulated cluster: no acknowledged write is lost or moved, and the replicas
// end identical.
import test from 'ava';
import { runCluster, type ClusterRunSpec } from '../../sim/cluster-run.ts';
import type { FinalState } from '../../sim/history.ts';

function chaos(faultsUntilMs: number): ClusterRunSpec {
  return {
    cluster: { brokers: 3, controllers: 1, brokerConfig: { 'replica.lag.time.max.ms': 2000 } },
    topic: { name: 'orders', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    workload: { producers: [{ ratePerSec: 50, config: { acks: 'all', 'enable.idempotence': false } }], consumers: 0 },
    // Up to all three brokers down or cut off at once: the partition stops, and nothing acknowledged may be lost.
    faults: {
      random: { mix: { crash: 1, isolate: 1, 'partition-one-way-out': 1 }, targets: 'brokers', meanGapMs: 1_500, durationMs: [1_500, 6_000], maxConcurrent: 3 },
    },
    faultsUntilMs,
    livenessMs: 10_000,
    quiesceMs: 20_000,
    checkers: ['lost-write', 'inconsistent-offsets', 'divergence'],
  };
}

/** Each replica's whole log, as `value@offset` lines. */
function logs(finalState: FinalState): string[][] {
  return finalState.partitions[0]!.replicas.map((replica) => replica.records.map((record) => `${record.value}@${record.offset}`));
}

test('under random crashes and partitions no acks=all write is lost and the replicas end identical', (t) => {
  for (const seed of [1, 2, 3]) {
    const run = runCluster(chaos(32_000), seed);
    t.true(run.faultIntervals.length > 10, `seed ${seed}: only ${run.faultIntervals.length} faults`);
    t.true(run.stats.produced.acked > 500, `seed ${seed}: only ${run.stats.produced.acked} acks`);
    t.deepEqual(run.verdict.anomalies.map((anomaly) => `${anomaly.kind}: ${anomaly.message}`), [], `seed ${seed}`);
    const [first, ...others] = logs(run.finalState);
    t.is(others.length, 2, `seed ${seed}: every replica captured`);
    for (const other of others) t.deepEqual(other, first, `seed ${seed}`);
  }
});

test('the same seed gives the same run', (t) => {
  const a = runCluster(chaos(16_000), 4);
  const b = runCluster(chaos(16_000), 4);
  t.is(a.traceHash, b.traceHash);
  t.deepEqual(logs(a.finalState), logs(b.finalState));
});

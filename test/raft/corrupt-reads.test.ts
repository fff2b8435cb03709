// A metadata log replica whose disk hands back corrupted bytes for a committed batch halts, as Kafka's raft IO
// thread hands the error to its fatal fault handler: it neither applies what it cannot read back nor trips
// an invariant meant for the engine's own bugs (found by the silent-corruption swarm, where a broker's
// observer crashed the run with a CorruptRecordError or broke raft-log-consistency).

import test from 'ava';
import { RaftCluster } from './raft-cluster.ts';

test('an observer whose read of a committed batch comes back corrupted halts instead of applying it or crashing the run', (t) => {
  let halted = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const cluster = new RaftCluster({ seed, voters: 1, observers: 1 }).countTraces();
    const observer = cluster.observerNodes[0]!;
    cluster.runUntilLeader(5_000);
    cluster.append([1, 2, 3]);
    t.true(cluster.runUntil(() => cluster.committedOn(observer).length === 3, 5_000), 'the observer applies the first batch');
    // From now on every read of the observer's disk flips one bit; what is stored stays intact.
    cluster.sim.disk(observer).corruptReads(1);
    cluster.append([4, 5, 6]);
    t.notThrows(() => cluster.sim.runFor(2_000), `seed ${seed}: the run goes on`);
    const values = cluster.committedOn(observer).map((record) => record.n);
    if (cluster.countTrace(observer, 'raft.unreadable-committed-batch') > 0) {
      halted++;
      t.is(cluster.sim.status(observer), 'crashed', 'it halted');
      t.deepEqual(values, [1, 2, 3], 'nothing it could not read back was applied');
    } else {
      // A flip the batch cannot show (its partitionLeaderEpoch) is read as if it were right.
      t.deepEqual(values, [1, 2, 3, 4, 5, 6]);
    }
  }
  t.true(halted >= 3, `${halted} of 6 seeds read a corrupted committed batch`);
});

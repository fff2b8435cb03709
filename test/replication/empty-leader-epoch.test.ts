// A broker that became leader, recorded its epoch at its log end and lost leadership before appending
// anything must rejoin the ISR as a follower (issue 9, defect 1). Before the fix its last fetched epoch stayed
// the empty one, the new leader's diverging-epoch answer ended at its log end, the truncation was a no-op and
// it asked again forever ("fetcher.divergence-stuck"): redundancy lost in silence until a restart.
//
// The story, on a whole cluster (three brokers, a KRaft controller), with no load running between steps so
// that nothing is appended in the empty epoch:
//   1. records go to the first leader L in epoch 0, every replica has them;
//   2. L is cut off: the controller fences it and elects B (epoch 1), which records epoch 1 at its log end;
//   3. B is cut off before anyone produces to it: the controller elects C (epoch 2);
//   4. everything heals: L and B follow C. B must be back in the ISR.

import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { ProduceRequest, ProduceResponse } from '../../engine/protocol/produce.ts';
import { Cluster } from '../../sim/cluster.ts';
import { Simulation } from '../../sim/simulation.ts';
import { batchOf, TestClient } from './replication-world.ts';

const TOPIC = { name: 'orders', numPartitions: 1, replicationFactor: 3 };

function leaderAfter(cluster: Cluster, previous: string, timeoutMs: number): string {
  const deadline = cluster.sim.now() + timeoutMs;
  for (;;) {
    const leader = cluster.leaderOf('orders', 0);
    if (leader !== undefined && leader !== previous) {
      const replica = cluster.broker(leader)!.broker.replicaManager.partition('orders', 0)!;
      const stale = cluster.broker(previous)?.broker.replicaManager.partition('orders', 0);
      if (stale === undefined || replica.leaderEpoch > stale.leaderEpoch) return leader;
    }
    if (cluster.sim.now() >= deadline) throw new Error(`no new leader after ${previous} within ${timeoutMs} ms`);
    cluster.sim.runFor(50);
  }
}

test('a broker that led an epoch without appending to it rejoins the ISR as a follower of the next leader', (t) => {
  const sim = new Simulation({ seed: 9 });
  const cluster = new Cluster(sim, { brokers: 3, controllers: 1, brokerConfig: { 'replica.lag.time.max.ms': 2000 } });
  sim.addNode('client', (runtime) => new TestClient(runtime));
  cluster.start([TOPIC]);
  const client = sim.handlers('client') as TestClient;

  const first = cluster.leaderOf('orders', 0)!;
  const records = batchOf(['a', 'b', 'c']);
  const id = client.send<ProduceRequest>(first, {
    type: 'ProduceRequest', sizeBytes: 64 + records.length, acks: -1, timeoutMs: 10_000,
    topicData: [{ topic: 'orders', partitions: [{ partition: 0, records }] }],
  });
  sim.runFor(1000);
  t.is((client.responses.get(id) as ProduceResponse).responses[0].partitions[0].errorCode, ErrorCode.NONE);

  const others = (node: string): string[] => [...cluster.brokerNodes, ...cluster.controllerNodes, 'client'].filter((n) => n !== node);
  sim.partition([first], others(first));
  const second = leaderAfter(cluster, first, 30_000);
  const secondReplica = cluster.broker(second)!.broker.replicaManager.partition('orders', 0)!;
  t.is(secondReplica.log.leaderEpochCache.latestEpoch(), secondReplica.leaderEpoch, 'the new leader recorded its epoch');
  t.is(secondReplica.logEndOffset, 3, 'and appended nothing in it');
  const emptyEpoch = secondReplica.leaderEpoch;

  sim.heal();
  sim.partition([second], others(second));
  const third = leaderAfter(cluster, second, 30_000);
  t.not(third, second);
  sim.heal();
  sim.runFor(20_000);

  const leader = cluster.broker(third)!.broker.replicaManager.partition('orders', 0)!;
  const rejoined = cluster.broker(second)!.broker.replicaManager.partition('orders', 0)!;
  t.is(rejoined.role, 'follower');
  t.is(rejoined.logEndOffset, 3);
  t.deepEqual([...leader.isr].sort(), [1, 2, 3], `the ISR is full again (it is [${leader.isr.join(',')}])`);
  t.false(rejoined.log.leaderEpochCache.epochEntries().some((entry) => entry.epoch === emptyEpoch), 'the empty epoch left the cache');
});

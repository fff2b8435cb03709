import test from 'ava';
import type { NodeId } from '../../engine/runtime.ts';
import { NotLeaderError } from '../../engine/raft/raft-client.ts';
import { RaftCluster, commitMarkerEverywhere } from './raft-cluster.ts';
import { runNemesis } from './raft-nemesis.ts';

const values = (cluster: RaftCluster, node: NodeId): number[] => cluster.committedOn(node).map((record) => record.n);

test('a partitioned minority cannot commit and a rejoining stale leader steps down and truncates', (t) => {
  const cluster = new RaftCluster({ seed: 21, voters: 3 }).countTraces();
  const stale = cluster.runUntilLeader(5_000) as NodeId;
  cluster.append([1]);
  cluster.sim.runFor(200);
  t.deepEqual(values(cluster, stale), [1]);
  const staleEpoch = cluster.client(stale)!.leaderAndEpoch().epoch;

  cluster.sim.isolate(stale);
  cluster.client(stale)!.append([{ n: 100 }, { n: 101 }]);
  cluster.sim.runFor(1_000);
  t.true(cluster.client(stale)!.isLeader(), 'still leader before check quorum runs out');
  t.deepEqual(values(cluster, stale), [1], 'the minority leader commits nothing');
  const staleEnd = cluster.client(stale)!.logEndOffset();
  t.true(cluster.client(stale)!.highWatermark() < staleEnd);

  const majority = cluster.voterNodes.filter((node) => node !== stale);
  t.true(cluster.runUntil(() => majority.some((node) => cluster.client(node)!.isLeader()), 6_000), 'the majority elects a leader');
  const leader = majority.find((node) => cluster.client(node)!.isLeader()) as NodeId;
  t.true(cluster.client(leader)!.leaderAndEpoch().epoch > staleEpoch);
  t.true(cluster.runUntil(() => !cluster.client(stale)!.isLeader(), 3_000), 'check quorum makes the cut-off leader resign');
  t.throws(() => cluster.client(stale)!.append([{ n: 102 }]), { instanceOf: NotLeaderError });
  cluster.client(leader)!.append([{ n: 2 }]);
  cluster.sim.runFor(500);
  t.deepEqual(values(cluster, leader), [1, 2]);

  cluster.sim.heal();
  t.true(cluster.runUntil(() => values(cluster, stale).includes(2), 10_000), 'the old leader catches up');
  const rejoined = cluster.client(stale)!;
  t.is(rejoined.role(), 'follower');
  t.deepEqual(rejoined.leaderAndEpoch(), cluster.client(leader)!.leaderAndEpoch());
  t.deepEqual(values(cluster, stale), [1, 2]);
  t.is(rejoined.logEndOffset(), cluster.client(leader)!.logEndOffset(), 'its uncommitted tail was truncated away');
  t.true(cluster.countTrace(stale, 'raft.truncate') >= 1);
  t.false([...cluster.committed.values()].some((n) => n >= 100), 'records of the stale epoch were never committed');
  t.is(cluster.leader(), leader, 'the rejoining replica did not disturb the new leader');
});

test('observers receive every committed record, never vote, and do not count for the majority', (t) => {
  const cluster = new RaftCluster({ seed: 31, voters: 3, observers: 2 }).countTraces();
  cluster.runUntilLeader(5_000);
  let next = 0;
  for (let round = 0; round < 40; round++) {
    cluster.append([next++, next++]);
    cluster.sim.runFor(25);
    if (round === 10) cluster.sim.crash('broker-101');
    if (round === 20) cluster.sim.restart('broker-101');
    if (round === 25) cluster.sim.powerLoss('broker-102');
    if (round === 30) cluster.sim.restart('broker-102');
  }
  t.true(commitMarkerEverywhere(cluster, 10_000));
  const leaderValues = values(cluster, cluster.leader() as NodeId);
  t.true(leaderValues.length >= 80);
  for (const observer of cluster.observerNodes) {
    t.deepEqual(values(cluster, observer), leaderValues, `${observer} saw every committed record, in order`);
    t.false(cluster.client(observer)!.isVoter);
    t.is(cluster.countTrace(observer, 'raft.vote-granted'), 0);
    t.is(cluster.countTrace(observer, 'raft.become-prospective'), 0);
  }
  // Two voters down: the observers' fetches must not make a majority.
  const leader = cluster.leader() as NodeId;
  for (const node of cluster.voterNodes) if (node !== leader) cluster.sim.crash(node);
  const before = cluster.client(leader)!.highWatermark();
  cluster.client(leader)!.append([{ n: 9_999 }]);
  cluster.sim.runFor(1_000);
  t.is(cluster.client(leader)!.highWatermark(), before);
  t.false(cluster.observerNodes.some((node) => values(cluster, node).includes(9_999)));
});

test('after a power outage every replica replays the committed log from offset 0, and a new leader is announced only after its replay', (t) => {
  const cluster = new RaftCluster({ seed: 41, voters: 3, observers: 1 });
  cluster.runUntilLeader(5_000);
  for (let i = 0; i < 30; i++) {
    cluster.append([i]);
    cluster.sim.runFor(10);
  }
  cluster.sim.runFor(500);
  const before = values(cluster, 'controller-1');
  t.is(before.length, 30);
  for (const node of cluster.nodes) cluster.sim.powerLoss(node);
  for (const node of cluster.nodes) cluster.sim.restart(node);
  const leader = cluster.runUntilLeader(10_000) as NodeId;
  t.truthy(leader);
  // The listener heard "you lead" only once it had been given every batch committed before.
  const announced = cluster.lastLeaderChange(leader)!;
  t.is(announced.leaderId, cluster.client(leader)!.replicaId);
  t.is(announced.committedSeen, 30);
  t.deepEqual(values(cluster, leader), before);
  t.true(commitMarkerEverywhere(cluster, 10_000));
  for (const node of cluster.nodes) {
    t.deepEqual(values(cluster, node).slice(0, 30), before, `${node} replayed everything`);
    t.is(cluster.committedOn(node)[0].offset, 1, 'from the start of the log (offset 0 is the first LeaderChange)');
  }
});

test('the same seed gives the same trace hash, and another seed a different one', (t) => {
  const hashOf = (seed: number): string => {
    const cluster = new RaftCluster({ seed, voters: 3, observers: 1 });
    cluster.runUntilLeader(5_000);
    runNemesis(cluster, { durationMs: 5_000, faults: ['crash', 'power-loss', 'partition'], faultsPerSecond: 2, appendEveryMs: 40 });
    cluster.sim.runFor(3_000);
    return cluster.sim.traceHash();
  };
  t.is(hashOf(7), hashOf(7));
  t.not(hashOf(7), hashOf(8));
});

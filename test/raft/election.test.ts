import test from 'ava';
import type { Message, NodeId } from '../../engine/runtime.ts';
import type { VoteRequest, VoteResponse } from '../../engine/raft/messages.ts';
import { parseQuorumState } from '../../engine/raft/quorum-state-file.ts';
import { RaftCluster } from './raft-cluster.ts';

const QUORUM_STATE = '/kraft-combined-logs/__cluster_metadata-0/quorum-state';

/** Up voters that consider themselves leader, by epoch. */
function leadersByEpoch(cluster: RaftCluster): Map<number, NodeId[]> {
  const byEpoch = new Map<number, NodeId[]>();
  for (const node of cluster.voterNodes) {
    const client = cluster.client(node);
    if (client === undefined || !client.isLeader()) continue;
    const epoch = client.leaderAndEpoch().epoch;
    byEpoch.set(epoch, [...(byEpoch.get(epoch) ?? []), node]);
  }
  return byEpoch;
}

test('a 3-voter quorum elects exactly one leader per epoch, checked after every event over 60 seeds with faults', (t) => {
  let elections = 0;
  let events = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const cluster = new RaftCluster({ seed, voters: 3 });
    const random = cluster.sim.random.stream('test-faults');
    const endMs = 12_000;
    let nextFaultMs = 2_000;
    while (cluster.sim.now() < endMs && cluster.sim.step()) {
      events++;
      for (const [epoch, nodes] of leadersByEpoch(cluster)) {
        if (nodes.length > 1) t.fail(`seed ${seed}: ${nodes.join(' and ')} both lead epoch ${epoch} at ${cluster.sim.now()} ms`);
      }
      if (cluster.sim.now() >= nextFaultMs) {
        // Crash or isolate the leader, or heal and restart everyone, in turn.
        nextFaultMs += random.int(1_500, 3_000);
        const leader = cluster.leader();
        const roll = random.int(0, 2);
        if (roll === 0 && leader !== undefined) cluster.sim.crash(leader);
        else if (roll === 1 && leader !== undefined) cluster.sim.isolate(leader);
        else {
          cluster.sim.heal();
          for (const node of cluster.voterNodes) if (cluster.sim.status(node) === 'crashed') cluster.sim.restart(node);
        }
      }
    }
    elections += cluster.leaders.size;
  }
  t.true(elections >= 60 * 2, `only ${elections} elections in 60 seeds: the faults did not force re-elections`);
  t.log(`${elections} elections, ${events} events checked`);
});

test('a first leader is elected within about two election timeouts', (t) => {
  const timesMs: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const cluster = new RaftCluster({ seed, voters: 3 });
    const leader = cluster.runUntilLeader(10_000);
    t.truthy(leader, `seed ${seed}: no leader`);
    timesMs.push(cluster.sim.now());
    t.is(cluster.leaders.size, 1, `seed ${seed}: ${cluster.leaders.size} elections for the first leader`);
  }
  timesMs.sort((a, b) => a - b);
  // election.timeout.ms 1000, randomised in [1000, 2000): the first timeout fires before 2 s.
  t.true(timesMs[timesMs.length - 1] <= 2_100, `slowest first election ${timesMs[timesMs.length - 1]} ms`);
  t.log(`first election: median ${timesMs[20]} ms, max ${timesMs[timesMs.length - 1]} ms`);
});

test('canElectNewLeaderAfterOldLeaderFailure: a crashed leader is replaced in a higher epoch and follows it after restart', (t) => {
  const cluster = new RaftCluster({ seed: 11, voters: 3 });
  const first = cluster.runUntilLeader(5_000) as NodeId;
  t.truthy(first);
  const firstEpoch = cluster.client(first)!.leaderAndEpoch().epoch;
  const offset = cluster.append([1, 2, 3])!;
  t.true(cluster.runUntil(() => cluster.committedOn(first).some((record) => record.offset === offset), 1_000));
  const crashedAtMs = cluster.sim.now();
  cluster.sim.crash(first);
  const second = cluster.runUntilLeader(10_000) as NodeId;
  t.truthy(second);
  t.not(second, first);
  const secondEpoch = cluster.client(second)!.leaderAndEpoch().epoch;
  t.true(secondEpoch > firstEpoch);
  const failoverMs = cluster.sim.now() - crashedAtMs;
  // fetch.timeout.ms (2 s) to notice, then pre-vote and vote rounds; both followers notice at about the same
  // moment, so a split vote may cost one more election timeout (< 2 s) before the backoff breaks the tie.
  t.true(failoverMs < 2_000 + 2_000 + 100, `failover took ${failoverMs} ms`);
  t.log(`failover in ${failoverMs} ms`);
  cluster.sim.restart(first);
  t.true(cluster.runUntil(() => cluster.client(first)?.role() === 'follower', 5_000));
  t.deepEqual(cluster.client(first)!.leaderAndEpoch(), { leaderId: cluster.client(second)!.replicaId, epoch: secondEpoch });
  t.deepEqual(cluster.committedOn(first).map((record) => record.n), [1, 2, 3], 'the restarted replica replays the log to its listener');
});

test('a leader that shuts down resigns with EndQuorumEpoch and a successor is elected before the fetch timeout', (t) => {
  const cluster = new RaftCluster({ seed: 5, voters: 3 }).countTraces();
  const first = cluster.runUntilLeader(5_000) as NodeId;
  cluster.sim.runFor(500);
  const stoppedAtMs = cluster.sim.now();
  cluster.client(first)!.shutdown();
  t.false(cluster.client(first)!.isLeader());
  const second = cluster.runUntil(() => cluster.leader() !== undefined, 5_000) ? cluster.leader() : undefined;
  t.truthy(second);
  const handoverMs = cluster.sim.now() - stoppedAtMs;
  t.true(handoverMs < 2_000, `handover took ${handoverMs} ms, no faster than a fetch timeout`);
  t.true(cluster.voterNodes.some((node) => cluster.countTrace(node, 'raft.leader-resigned') > 0));
  t.log(`handover in ${handoverMs} ms`);
});

test('pre-vote keeps an isolated voter from disrupting the quorum when it rejoins', (t) => {
  const cluster = new RaftCluster({ seed: 3, voters: 3 }).countTraces();
  const leader = cluster.runUntilLeader(5_000) as NodeId;
  const epoch = cluster.client(leader)!.leaderAndEpoch().epoch;
  const isolated = cluster.voterNodes.find((node) => node !== leader) as NodeId;
  cluster.sim.runFor(500);
  cluster.sim.isolate(isolated);
  cluster.sim.runFor(10_000);
  t.true(cluster.countTrace(isolated, 'raft.become-prospective') >= 3, 'the isolated voter kept asking for pre-votes');
  t.is(cluster.countTrace(isolated, 'raft.become-candidate'), 0, 'it never became a candidate');
  t.is(cluster.client(isolated)!.leaderAndEpoch().epoch, epoch, 'its epoch did not grow');
  cluster.sim.heal();
  cluster.sim.runFor(5_000);
  t.is(cluster.leader(), leader, 'the leader kept its leadership');
  t.is(cluster.client(leader)!.leaderAndEpoch().epoch, epoch, 'no election happened');
  t.deepEqual(cluster.client(isolated)!.leaderAndEpoch(), { leaderId: cluster.client(leader)!.replicaId, epoch });
  t.is(cluster.client(isolated)!.role(), 'follower');
});

test('a single voter elects itself at once and commits alone, also after a restart', (t) => {
  const cluster = new RaftCluster({ seed: 1, voters: 1 });
  const leader = cluster.runUntilLeader(100) as NodeId;
  t.is(leader, 'controller-1');
  t.true(cluster.sim.now() < 50, `took ${cluster.sim.now()} ms`);
  cluster.append([7]);
  cluster.sim.runFor(50);
  t.deepEqual(cluster.committedOn(leader).map((record) => record.n), [7]);
  cluster.sim.powerLoss(leader);
  cluster.sim.restart(leader);
  t.is(cluster.runUntilLeader(100), leader);
  cluster.append([8]);
  cluster.sim.runFor(50);
  t.deepEqual(cluster.committedOn(leader).map((record) => record.n), [7, 8]);
  t.true(cluster.client(leader)!.leaderAndEpoch().epoch >= 2);
});

test('five voters elect a leader, commit, and survive the loss of two', (t) => {
  const cluster = new RaftCluster({ seed: 8, voters: 5 });
  const first = cluster.runUntilLeader(5_000) as NodeId;
  t.truthy(first);
  cluster.append([1]);
  cluster.sim.runFor(200);
  t.true(cluster.voterNodes.every((node) => cluster.committedOn(node).some((record) => record.n === 1)));
  const others = cluster.voterNodes.filter((node) => node !== first);
  cluster.sim.crash(first);
  cluster.sim.crash(others[0]);
  const second = cluster.runUntilLeader(10_000) as NodeId;
  t.truthy(second);
  cluster.append([2]);
  cluster.sim.runFor(500);
  for (const node of others.slice(1)) t.deepEqual(cluster.committedOn(node).map((record) => record.n), [1, 2]);
  cluster.sim.crash(others[1]);
  cluster.sim.runFor(5_000);
  t.is(cluster.leader(), undefined, 'two of five voters cannot lead');
});

test('the vote is not granted before quorum-state is durable: power loss right after a vote request leaves no double vote', (t) => {
  let grantsChecked = 0;
  let powerLosses = 0;
  for (let seed = 1; seed <= 40; seed++) {
    let cluster: RaftCluster | undefined;
    const realVoteRequests = new Set<string>();
    const checkGrant = (to: NodeId, from: NodeId, message: Message): void => {
      if (message.type !== 'VoteResponse' || cluster === undefined) return;
      const response = message as VoteResponse;
      if (!response.voteGranted || !realVoteRequests.has(`${to}>${from}#${response.correlationId}`)) return;
      // A granted real vote: the voter's durable quorum-state must already hold it (or a newer epoch).
      const durable = cluster.sim.disk(from).durableContent(QUORUM_STATE);
      t.truthy(durable, `seed ${seed}: ${from} granted a vote with no durable quorum-state`);
      const state = parseQuorumState(new TextDecoder().decode(durable), QUORUM_STATE);
      const candidateId = cluster.voterNodes.indexOf(to) + 1;
      t.true(state.epoch > response.leaderEpoch || (state.epoch === response.leaderEpoch && state.votedId === candidateId),
        `seed ${seed}: ${from} granted ${to} epoch ${response.leaderEpoch}, durable state ${JSON.stringify(state)}`);
      grantsChecked++;
    };
    const onMessage = (to: NodeId, from: NodeId, message: Message): void => {
      checkGrant(to, from, message);
      if (message.type === 'VoteRequest' && !(message as VoteRequest).preVote) realVoteRequests.add(`${from}>${to}#${(message as VoteRequest).correlationId}`);
      // Cut the voter's power just after a real vote request reaches it, half the time.
      if (message.type === 'VoteRequest' && !(message as VoteRequest).preVote && cluster !== undefined) {
        const sim = cluster.sim;
        if (sim.random.stream('test-power').chance(0.5)) {
          sim.scheduler.after(0.01, () => {
            if (sim.status(to) !== 'up') return;
            sim.powerLoss(to);
            powerLosses++;
            sim.scheduler.after(50, () => sim.restart(to));
          });
        }
      }
    };
    cluster = new RaftCluster({ seed, voters: 3, onMessage });
    cluster.sim.runFor(15_000);
    t.truthy(cluster.runUntilLeader(20_000), `seed ${seed}: no leader`);
  }
  t.true(powerLosses > 40, `${powerLosses} power losses`);
  t.true(grantsChecked > 40, `${grantsChecked} grants checked`);
});

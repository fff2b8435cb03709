import test from 'ava';
import { parseQuorumState } from '../../engine/raft/quorum-state-file.ts';
import { QuorumStateFileError } from '../../engine/raft/raft-errors.ts';
import { RaftCluster } from './raft-cluster.ts';

const PATH = '/kraft-combined-logs/__cluster_metadata-0/quorum-state';

test('quorum-state is Kafka\'s JSON beside the metadata log, and follows elections', (t) => {
  const cluster = new RaftCluster({ seed: 2, voters: 3 });
  const leader = cluster.runUntilLeader(5_000)!;
  const leaderId = cluster.client(leader)!.replicaId;
  const epoch = cluster.client(leader)!.leaderAndEpoch().epoch;
  cluster.sim.runFor(100);
  for (const node of cluster.voterNodes) {
    const json = JSON.parse(new TextDecoder().decode(cluster.sim.disk(node).durableContent(PATH)));
    t.deepEqual(Object.keys(json), ['clusterId', 'leaderId', 'leaderEpoch', 'votedId', 'appliedOffset', 'currentVoters', 'data_version']);
    t.is(json.leaderEpoch, epoch);
    t.is(json.leaderId, leaderId);
    t.is(json.votedId, leaderId, 'every voter voted for the winner (or is it)');
    t.deepEqual(json.currentVoters, [{ voterId: 1 }, { voterId: 2 }, { voterId: 3 }]);
    t.is(json.data_version, 0);
    t.true(cluster.sim.disk(node).exists('/kraft-combined-logs/__cluster_metadata-0/00000000000000000000.log'));
  }
});

test('a voter restarted after a power loss comes back in its stored epoch, still bound by its vote', (t) => {
  const cluster = new RaftCluster({ seed: 4, voters: 3 });
  const leader = cluster.runUntilLeader(5_000)!;
  const epoch = cluster.client(leader)!.leaderAndEpoch().epoch;
  cluster.sim.runFor(100);
  const follower = cluster.voterNodes.find((node) => node !== leader)!;
  cluster.sim.powerLoss(follower);
  cluster.sim.restart(follower);
  const restarted = cluster.client(follower)!;
  t.is(restarted.leaderAndEpoch().epoch, epoch);
  t.is(restarted.role(), 'follower');
  t.is(restarted.quorum.state.votedId, cluster.client(leader)!.replicaId, 'the vote of the epoch survives the restart');
  t.false(restarted.quorum.state.canGrantVote(99, true, false), 'so no second real vote in this epoch');
  cluster.sim.powerLoss(leader);
  cluster.sim.restart(leader);
  t.is(cluster.client(leader)!.role(), 'resigned', 'a leader never resumes leading the epoch it led before a restart');
  t.truthy(cluster.runUntilLeader(10_000));
  t.true(cluster.client(cluster.leader()!)!.leaderAndEpoch().epoch > epoch);
});

test('a malformed quorum-state is a QuorumStateFileError that says why', (t) => {
  t.deepEqual(parseQuorumState('{"clusterId":"","leaderId":2,"leaderEpoch":5,"votedId":3,"appliedOffset":0,"currentVoters":[],"data_version":0}', PATH),
    { epoch: 5, leaderId: 2, votedId: 3 });
  t.regex(t.throws(() => parseQuorumState('{"leaderId":', PATH), { instanceOf: QuorumStateFileError })?.message ?? '', /not JSON/);
  t.regex(t.throws(() => parseQuorumState('{"leaderId":1,"leaderEpoch":-2,"votedId":-1,"data_version":0}', PATH), { instanceOf: QuorumStateFileError })?.message ?? '',
    /leaderEpoch is -2/);
  t.regex(t.throws(() => parseQuorumState('{"leaderId":1,"leaderEpoch":2,"votedId":-1,"data_version":1}', PATH), { instanceOf: QuorumStateFileError })?.message ?? '',
    /data_version 1/);
});

import test from 'ava';
import { parseQuorumVoters } from '../../engine/raft/quorum-voters.ts';
import { parseRaftConfig } from '../../engine/raft/raft-config.ts';
import { RaftConfigError } from '../../engine/raft/raft-errors.ts';

const VOTERS = '1@controller-1:9093,2@controller-2:9093,3@controller-3:9093';

test('controller.quorum.voters parses id@host:port entries, the host being the node name', (t) => {
  const voters = parseQuorumVoters(VOTERS);
  t.deepEqual(voters.ids(), [1, 2, 3]);
  t.is(voters.nodeOf(2), 'controller-2');
  t.is(voters.idOfNode('controller-3'), 3);
  t.is(voters.majority, 2);
  t.is(voters.toString(), VOTERS);
  t.is(parseQuorumVoters(' 7@c:1 ').majority, 1);
  t.is(parseQuorumVoters('1@a:1,2@b:1,3@c:1,4@d:1,5@e:1').majority, 3);
});

test('a malformed voter list is a RaftConfigError naming the key and the faulty entry', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty list/],
    ['1@controller-1', /entry "1@controller-1" is not id@host:port/],
    ['1@a:9093,x@b:9093', /entry "x@b:9093"/],
    ['1@a:9093,1@b:9093', /voter id 1 appears twice/],
    ['1@a:9093,2@a:9094', /host a appears twice/],
    ['1@a:70000', /port 70000/],
  ];
  for (const [text, message] of cases) {
    const error = t.throws(() => parseQuorumVoters(text), { instanceOf: RaftConfigError });
    t.is(error?.key, 'controller.quorum.voters');
    t.regex(error?.message ?? '', message, text);
  }
});

test('parseRaftConfig applies Kafka defaults and rejects unknown keys and bad values by name', (t) => {
  const config = parseRaftConfig({ 'node.id': '2', 'controller.quorum.voters': VOTERS });
  t.is(config.nodeId, 2);
  t.is(config.electionTimeoutMs, 1000);
  t.is(config.fetchTimeoutMs, 2000);
  t.is(config.electionBackoffMaxMs, 1000);
  t.is(config.requestTimeoutMs, 2000);
  t.is(config.fetchMaxWaitMs, 500);
  t.is(config.metadataLogDir, '/kraft-combined-logs');
  t.is(parseRaftConfig({ 'node.id': 1, 'controller.quorum.voters': VOTERS, 'controller.quorum.election.timeout.ms': 300 }).electionTimeoutMs, 300);
  t.is(t.throws(() => parseRaftConfig({ 'node.id': 1, 'controller.quorum.voters': VOTERS, 'controller.quorum.election.timeout': 5 }), { instanceOf: RaftConfigError })?.key,
    'controller.quorum.election.timeout');
  t.is(t.throws(() => parseRaftConfig({ 'node.id': 1, 'controller.quorum.voters': VOTERS, 'controller.quorum.fetch.timeout.ms': -1 }), { instanceOf: RaftConfigError })?.key,
    'controller.quorum.fetch.timeout.ms');
  t.is(t.throws(() => parseRaftConfig({ 'controller.quorum.voters': VOTERS }), { instanceOf: RaftConfigError })?.key, 'node.id');
  t.is(t.throws(() => parseRaftConfig({ 'node.id': 1 }), { instanceOf: RaftConfigError })?.key, 'controller.quorum.voters');
  t.is(t.throws(() => parseRaftConfig({ 'node.id': 1, 'controller.quorum.voters': VOTERS, 'metadata.log.dir': 'relative' }), { instanceOf: RaftConfigError })?.key, 'metadata.log.dir');
});

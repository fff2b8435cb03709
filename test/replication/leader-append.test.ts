import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

test('a leader append stamps offsets and its leader epoch, and followers replicate it', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.electLeader('orders', 0, 1); // epoch 1
  world.sim.runFor(10);
  const first = world.produce(1, 'orders', 0, batchOf(['a', 'b']));
  const second = world.produce(1, 'orders', 0, batchOf(['c']));
  world.sim.runFor(1000);
  t.deepEqual(world.produceResult(first), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.deepEqual(world.produceResult(second), { errorCode: ErrorCode.NONE, baseOffset: 2 });
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  const stored = leader.log.read(0, 1 << 20).bytes;
  const header = readBatchHeader(stored, 0);
  t.is(header.baseOffset, 0);
  t.is(header.partitionLeaderEpoch, 1);
  t.is(leader.highWatermark, 3);
  for (const id of [2, 3]) {
    t.deepEqual(world.logValues(id, 'orders', 0), ['a', 'b', 'c']);
    t.is(world.broker(id).replicaManager.partition('orders', 0)!.log.leaderEpochCache.latestEpoch(), 1);
  }
});

test('a follower takes the leader high watermark one fetch later, bounded by its own log end', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(2000);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  const follower = world.broker(2).replicaManager.partition('orders', 0)!;
  t.is(leader.highWatermark, 1);
  t.is(follower.highWatermark, 1);
  t.is(follower.role, 'follower');
  t.is(leader.followerLogEndOffset(2), 1);
});

test('a produce to a follower answers NOT_LEADER_OR_FOLLOWER and one to an unknown topic UNKNOWN_TOPIC_OR_PARTITION', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const toFollower = world.produce(2, 'orders', 0, batchOf(['a']));
  const unknown = world.produce(1, 'nope', 0, batchOf(['a']));
  const badPartition = world.produce(1, 'orders', 7, batchOf(['a']));
  world.sim.runFor(100);
  t.is(world.produceResult(toFollower)?.errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  t.is(world.produceResult(unknown)?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  t.is(world.produceResult(badPartition)?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  t.is(world.broker(2).replicaManager.partition('orders', 0)!.logEndOffset, 0);
});

test('acks=0 appends without answering and acks=1 answers after the leader append alone', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2']);
  const none = world.produce(1, 'orders', 0, batchOf(['a']), { acks: 0 });
  const one = world.produce(1, 'orders', 0, batchOf(['b']), { acks: 1 });
  world.sim.runFor(100);
  t.is(world.response(none), undefined);
  t.deepEqual(world.produceResult(one), { errorCode: ErrorCode.NONE, baseOffset: 1 });
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.is(leader.logEndOffset, 2);
  t.is(leader.highWatermark, 0, 'the follower has not fetched: nothing is committed');
});

test('a corrupted batch is refused with CORRUPT_MESSAGE and nothing is appended', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  const batch = batchOf(['a']);
  batch[batch.length - 1] ^= 0xff;
  const id = world.produce(1, 'orders', 0, batch, { acks: 1 });
  world.sim.runFor(100);
  t.is(world.produceResult(id)?.errorCode, ErrorCode.CORRUPT_MESSAGE);
  t.is(world.broker(1).replicaManager.partition('orders', 0)!.logEndOffset, 0);
});

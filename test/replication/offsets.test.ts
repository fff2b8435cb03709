import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../engine/protocol/list-offsets.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../../engine/protocol/list-offsets.ts';
import type { OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../../engine/protocol/offsets-for-leader-epoch.ts';
import { batchOf, brokerNode, ReplicationWorld } from './replication-world.ts';

function listOffsets(world: ReplicationWorld, broker: number, timestamps: readonly number[], replicaId = -1): ListOffsetsResponse['topics'][number]['partitions'] {
  const id = world.client().send<ListOffsetsRequest>(brokerNode(broker), {
    type: 'ListOffsetsRequest', sizeBytes: 64, replicaId,
    topics: [{ name: 'orders', partitions: timestamps.map((timestamp) => ({ partitionIndex: 0, currentLeaderEpoch: -1, timestamp })) }],
  });
  world.sim.runFor(10);
  return (world.response<ListOffsetsResponse>(id) as ListOffsetsResponse).topics[0].partitions;
}

function endOffsets(world: ReplicationWorld, broker: number, epochs: readonly number[], currentLeaderEpoch = -1): OffsetsForLeaderEpochResponse['topics'][number]['partitions'] {
  const id = world.client().send<OffsetsForLeaderEpochRequest>(brokerNode(broker), {
    type: 'OffsetsForLeaderEpochRequest', sizeBytes: 64, replicaId: -1,
    topics: [{ topic: 'orders', partitions: epochs.map((leaderEpoch) => ({ partition: 0, currentLeaderEpoch, leaderEpoch })) }],
  });
  world.sim.runFor(10);
  return (world.response<OffsetsForLeaderEpochResponse>(id) as OffsetsForLeaderEpochResponse).topics[0].partitions;
}

test('ListOffsets answers the earliest offset, the latest (the high watermark for a consumer) and by timestamp', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b'], { timestamp: 1000 }));
  world.produce(1, 'orders', 0, batchOf(['c'], { timestamp: 2000 }));
  world.produce(1, 'orders', 0, batchOf(['d'], { timestamp: 3000 }));
  world.sim.runFor(2000);
  world.sim.partition(['broker-1'], ['broker-2']);
  world.produce(1, 'orders', 0, batchOf(['e'], { timestamp: 4000 }), { acks: 1 });
  world.sim.runFor(10);
  const [earliest, latest, at1500, at3000, at4000, at9000] = listOffsets(world, 1, [EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, 1500, 3000, 4000, 9000]);
  t.is(earliest.offset, 0);
  t.is(latest.offset, 4, 'the high watermark, not the log end (5)');
  t.deepEqual([at1500.offset, at1500.timestamp], [2, 2000]);
  t.deepEqual([at3000.offset, at3000.timestamp], [3, 3000]);
  t.is(at4000.offset, -1, 'offset 4 is above the high watermark');
  t.is(at9000.offset, -1);
  t.true([earliest, latest, at1500].every((p) => p.errorCode === ErrorCode.NONE));
  const [replicaLatest] = listOffsets(world, 1, [LATEST_TIMESTAMP], 2);
  t.is(replicaLatest.offset, 5, 'a replica sees the log end');
  const [onFollower] = listOffsets(world, 2, [LATEST_TIMESTAMP]);
  t.is(onFollower.errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('a new leader answers OFFSET_NOT_AVAILABLE until its high watermark reaches the start of its epoch', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(10);
  // Broker 2 has 'a' but its high watermark (learnt one fetch later) is still 0 when it takes over.
  world.sim.partition(['broker-1'], ['broker-2']);
  t.is(world.broker(2).replicaManager.partition('orders', 0)!.highWatermark, 0);
  world.electLeader('orders', 0, 2, [2, 1]);
  world.sim.runFor(10);
  const [before] = listOffsets(world, 2, [LATEST_TIMESTAMP]);
  t.is(before.errorCode, ErrorCode.OFFSET_NOT_AVAILABLE);
  world.sim.heal();
  world.sim.runFor(3000);
  const [after] = listOffsets(world, 2, [LATEST_TIMESTAMP]);
  t.deepEqual([after.errorCode, after.offset], [ErrorCode.NONE, 1]);
});

test('OffsetsForLeaderEpoch answers the largest known epoch up to the one asked and where it ends', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b'])); // epoch 0: offsets 0-1
  world.sim.runFor(10);
  world.electLeader('orders', 0, 1);
  world.electLeader('orders', 0, 1); // epoch 1 has no record; epoch 2 starts at 2
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['c'])); // epoch 2: offset 2
  world.sim.runFor(10);
  const answers = endOffsets(world, 1, [0, 1, 2, 7]);
  t.deepEqual(answers.map((a) => [a.errorCode, a.leaderEpoch, a.endOffset]), [
    [ErrorCode.NONE, 0, 2],
    [ErrorCode.NONE, 0, 2],
    [ErrorCode.NONE, 2, 3],
    [ErrorCode.NONE, -1, -1],
  ]);
  const [fenced] = endOffsets(world, 1, [0], 1);
  t.is(fenced.errorCode, ErrorCode.FENCED_LEADER_EPOCH);
});

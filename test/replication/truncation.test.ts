import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

function epochsOf(world: ReplicationWorld, id: number): string {
  const replica = world.broker(id).replicaManager.partition('orders', 0)!;
  return replica.log.leaderEpochCache.epochEntries().map((entry) => `${entry.epoch}@${entry.startOffset}`).join(' ');
}

test('followers truncate to the divergence point across two fast leader changes (KIP-320)', (t) => {
  const world = new ReplicationWorld({ config: { 'replica.lag.time.max.ms': 1000 } });
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a', 'b']));
  world.sim.runFor(1000);
  // Broker 1 is cut off from the other brokers and appends x1 alone, in epoch 0.
  world.sim.partition(['broker-1'], ['broker-2', 'broker-3']);
  world.produce(1, 'orders', 0, batchOf(['x1']), { acks: 1 });
  world.sim.runFor(10);
  // Epoch 1: broker 2 leads, and appends y1 before broker 3 could fetch it.
  world.sim.partition(['broker-2'], ['broker-3']);
  world.electLeader('orders', 0, 2, [2, 3]);
  world.sim.runFor(10);
  world.produce(2, 'orders', 0, batchOf(['y1']), { acks: 1 });
  world.sim.runFor(10);
  // Epoch 2, right after: broker 3 leads without y1.
  world.electLeader('orders', 0, 3, [3]);
  world.sim.runFor(10);
  world.produce(3, 'orders', 0, batchOf(['z1', 'z2']), { acks: 1 });
  world.sim.runFor(10);
  t.deepEqual(world.logValues(1, 'orders', 0), ['a', 'b', 'x1']);
  t.deepEqual(world.logValues(2, 'orders', 0), ['a', 'b', 'y1']);
  t.deepEqual(world.logValues(3, 'orders', 0), ['a', 'b', 'z1', 'z2']);
  world.sim.heal();
  world.sim.runFor(5000);
  for (const id of [1, 2, 3]) {
    t.deepEqual(world.logValues(id, 'orders', 0), ['a', 'b', 'z1', 'z2'], `broker ${id}`);
    t.is(epochsOf(world, id), '0@0 2@2', `broker ${id}`);
  }
  t.deepEqual(world.registration('orders', 0).isr, [3, 1, 2]);
  // A new epoch with the same leader: the epoch starts at the log end, and everyone agrees again.
  world.electLeader('orders', 0, 3);
  world.sim.runFor(10);
  const id = world.produce(3, 'orders', 0, batchOf(['w']));
  world.sim.runFor(2000);
  t.deepEqual(world.produceResult(id), { errorCode: ErrorCode.NONE, baseOffset: 4 });
  for (const broker of [1, 2, 3]) {
    t.deepEqual(world.logValues(broker, 'orders', 0), ['a', 'b', 'z1', 'z2', 'w']);
    t.is(epochsOf(world, broker), '0@0 2@2 3@4');
  }
});

test('a follower whose latest epoch the leader never had truncates step by step until both agree', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(1000);
  world.sim.partition(['broker-1'], ['broker-2']);
  // Broker 1 leads epochs 1 and 2 alone, appending in each.
  world.electLeader('orders', 0, 1, [1]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['p']), { acks: 1 });
  world.sim.runFor(10);
  world.electLeader('orders', 0, 1, [1]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['q']), { acks: 1 });
  world.sim.runFor(10);
  // Broker 2 then leads epoch 3 with only 'a'.
  world.electLeader('orders', 0, 2, [2]);
  world.sim.runFor(10);
  world.produce(2, 'orders', 0, batchOf(['r']), { acks: 1 });
  world.sim.runFor(10);
  world.sim.heal();
  world.sim.runFor(3000);
  t.deepEqual(world.logValues(1, 'orders', 0), ['a', 'r']);
  t.deepEqual(world.logValues(2, 'orders', 0), ['a', 'r']);
  t.is(epochsOf(world, 1), epochsOf(world, 2));
});

/**
 * KIP-101's first scenario. Broker 2 has 'a' but not yet the high watermark that acknowledged it when it
 * restarts; the leader dies, broker 2 (in the ISR) takes over.
 */
function restartThenFailOver(mode: 'leader-epoch' | 'high-watermark'): { acked: number; logs: string[][] } {
  const world = new ReplicationWorld({ brokers: [1, 2], config: { 'replication.truncation': mode } });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const id = world.produce(1, 'orders', 0, batchOf(['a']));
  while (world.response(id) === undefined) world.sim.step();
  const acked = world.produceResult(id)!.errorCode;
  world.sim.crash('broker-2');
  world.sim.crash('broker-1');
  world.sim.restart('broker-2');
  world.sim.runFor(10);
  world.electLeader('orders', 0, 2, [2]);
  world.sim.runFor(10);
  world.produce(2, 'orders', 0, batchOf(['b']), { acks: 1 });
  world.sim.runFor(10);
  world.sim.restart('broker-1');
  world.sim.runFor(3000);
  return { acked, logs: [world.logValues(1, 'orders', 0), world.logValues(2, 'orders', 0)] };
}

test('in the pre-KIP-101 mode a follower that truncates to its stale high watermark and then leads loses an acked write', (t) => {
  const run = restartThenFailOver('high-watermark');
  t.is(run.acked, ErrorCode.NONE);
  t.deepEqual(run.logs, [['b'], ['b']], "'a' was acknowledged to the producer and is gone");
});

test('with leader epochs the same restart and fail-over keep the acked write', (t) => {
  const run = restartThenFailOver('leader-epoch');
  t.is(run.acked, ErrorCode.NONE);
  t.deepEqual(run.logs, [['a', 'b'], ['a', 'b']]);
});

/**
 * Broker 1 leads alone (broker 2 dropped out of the ISR) and commits 'm'; it dies and broker 2 is elected
 * uncleanly, writing 'n' at the same offset; broker 1 comes back as a follower.
 */
function uncleanFailOver(mode: 'leader-epoch' | 'high-watermark'): string[][] {
  const world = new ReplicationWorld({ brokers: [1, 2], config: { 'replication.truncation': mode, 'replica.lag.time.max.ms': 1000 } });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(1000);
  world.sim.partition(['broker-1'], ['broker-2']);
  world.sim.runFor(3000);
  world.produce(1, 'orders', 0, batchOf(['m']));
  world.sim.runFor(6000); // past a high watermark checkpoint: broker 1's file says 2
  world.sim.crash('broker-1');
  world.sim.heal();
  world.electLeader('orders', 0, 2, [2]);
  world.sim.runFor(10);
  world.produce(2, 'orders', 0, batchOf(['n']), { acks: 1 });
  world.sim.runFor(10);
  world.sim.restart('broker-1');
  world.sim.runFor(3000);
  return [world.logValues(1, 'orders', 0), world.logValues(2, 'orders', 0)];
}

test('in the pre-KIP-101 mode replicas diverge below the high watermark after an unclean election', (t) => {
  t.deepEqual(uncleanFailOver('high-watermark'), [['a', 'm'], ['a', 'n']]);
});

test('with leader epochs the same unclean election loses the uncommitted tail but leaves no divergence', (t) => {
  t.deepEqual(uncleanFailOver('leader-epoch'), [['a', 'n'], ['a', 'n']]);
});

test('a follower whose fetch offset is past the leader log end asks the leader where it ends and truncates there', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2], config: { 'replication.truncation': 'high-watermark', 'replica.lag.time.max.ms': 1000 } });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(1000);
  world.sim.partition(['broker-1'], ['broker-2']);
  world.sim.runFor(3000);
  world.produce(1, 'orders', 0, batchOf(['m']));
  world.sim.runFor(6000);
  world.sim.crash('broker-1');
  world.sim.heal();
  world.electLeader('orders', 0, 2, [2]);
  world.sim.runFor(10);
  world.sim.restart('broker-1');
  world.sim.runFor(3000);
  t.deepEqual(world.logValues(1, 'orders', 0), ['a']);
});

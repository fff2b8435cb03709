import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

const FAST_LAG = { 'replica.lag.time.max.ms': 1000 };

test('acks=all waits until every ISR member has the batch', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-3']);
  const id = world.produce(1, 'orders', 0, batchOf(['a']), { timeoutMs: 30_000 });
  world.sim.runFor(500);
  t.is(world.response(id), undefined, 'broker 3 is in the ISR and has not fetched the batch');
  t.is(world.broker(1).replicaManager.waiting.produces, 1);
  // The leader drops broker 3 from the ISR after replica.lag.time.max.ms; the high watermark then passes.
  world.sim.runFor(2000);
  t.deepEqual(world.produceResult(id), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.deepEqual(world.registration('orders', 0).isr, [1, 2]);
});

test('acks=all answers REQUEST_TIMED_OUT when the ISR does not catch up within timeoutMs', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2']);
  const id = world.produce(1, 'orders', 0, batchOf(['a']), { timeoutMs: 1500 });
  world.sim.runFor(1400);
  t.is(world.response(id), undefined);
  world.sim.runFor(200);
  t.is(world.produceResult(id)?.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  t.is(world.broker(1).replicaManager.partition('orders', 0)!.logEndOffset, 1, 'the batch stays in the leader log');
});

test('acks=all is refused with NOT_ENOUGH_REPLICAS before appending when the ISR is below min.insync.replicas', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2', 'broker-3']);
  world.updatePartition('orders', 0, { isr: [1] });
  world.sim.runFor(10);
  const all = world.produce(1, 'orders', 0, batchOf(['a']), { acks: -1 });
  world.sim.runFor(10);
  t.is(world.produceResult(all)?.errorCode, ErrorCode.NOT_ENOUGH_REPLICAS);
  const leader = world.broker(1).replicaManager.partition('orders', 0)!;
  t.is(leader.logEndOffset, 0);
  const one = world.produce(1, 'orders', 0, batchOf(['b']), { acks: 1 });
  world.sim.runFor(1000);
  t.deepEqual(world.produceResult(one), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.is(leader.highWatermark, 0, 'the high watermark does not advance while the ISR is below min.insync.replicas');
  // Once a follower is back and joins the ISR, the high watermark moves.
  world.sim.heal();
  world.sim.runFor(3000);
  t.true(world.registration('orders', 0).isr.length >= 2);
  t.is(leader.highWatermark, 1);
});

test('a waiting acks=all produce outlives an ISR below min.insync.replicas and succeeds once the ISR grows back', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2', 'broker-3']);
  const id = world.produce(1, 'orders', 0, batchOf(['a']), { timeoutMs: 30_000 });
  world.sim.runFor(2500);
  t.deepEqual(world.registration('orders', 0).isr, [1]);
  // Kafka's checkEnoughReplicasReachOffset: the high watermark is short of the batch, so it waits on.
  t.is(world.response(id), undefined, 'no early NOT_ENOUGH_REPLICAS_AFTER_APPEND');
  world.sim.heal();
  world.sim.runFor(5000);
  t.true(world.registration('orders', 0).isr.length >= 2);
  t.deepEqual(world.produceResult(id), { errorCode: ErrorCode.NONE, baseOffset: 0 });
});

test('a waiting acks=all produce whose ISR stays below min.insync.replicas answers REQUEST_TIMED_OUT at its timeout', (t) => {
  const world = new ReplicationWorld({ config: FAST_LAG });
  world.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2', 'broker-3']);
  const id = world.produce(1, 'orders', 0, batchOf(['a']), { timeoutMs: 5000 });
  world.sim.runFor(4900);
  t.deepEqual(world.registration('orders', 0).isr, [1]);
  t.is(world.response(id), undefined);
  world.sim.runFor(200);
  t.is(world.produceResult(id)?.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  t.is(world.broker(1).replicaManager.partition('orders', 0)!.logEndOffset, 1);
});

test('min.insync.replicas above the replication factor asks for every replica, as Kafka\'s effective min ISR', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.createTopic('orders', [[1]], { 'min.insync.replicas': '2' });
  world.sim.runFor(10);
  const id = world.produce(1, 'orders', 0, batchOf(['a', 'b']), { acks: -1 });
  world.sim.runFor(100);
  t.deepEqual(world.produceResult(id), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.is(world.broker(1).replicaManager.partition('orders', 0)!.highWatermark, 2);
});

test('a leader that loses leadership fails its waiting produces with NOT_LEADER_OR_FOLLOWER', (t) => {
  const world = new ReplicationWorld();
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  world.sim.partition(['broker-1'], ['broker-2']);
  const id = world.produce(1, 'orders', 0, batchOf(['a']));
  world.sim.runFor(100);
  world.electLeader('orders', 0, 2);
  world.sim.runFor(10);
  t.is(world.produceResult(id)?.errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('with flush.messages=1 an acks=1 answer comes only once the batch is on durable storage', (t) => {
  for (const flush of [false, true]) {
    const world = new ReplicationWorld({ brokers: [1], config: flush ? { 'log.flush.interval.messages': 1 } : {} });
    world.createTopic('orders', [[1]]);
    world.sim.runFor(10);
    const start = world.sim.now();
    const id = world.produce(1, 'orders', 0, batchOf(['a']), { acks: 1 });
    let answeredAt = -1;
    while (answeredAt < 0 && world.sim.now() < start + 1000) {
      world.sim.step();
      if (world.response(id) !== undefined) answeredAt = world.sim.now();
    }
    t.is(world.produceResult(id)?.errorCode, ErrorCode.NONE);
    const durable = world.sim.disk('broker-1').durableContent('/kafka-logs/orders-0/00000000000000000000.log');
    if (flush) t.true((durable?.length ?? 0) > 0, 'flushed before the answer');
    else t.is(durable?.length ?? 0, 0, 'not flushed: the page cache holds it');
  }
});

import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { lastSequenceOf, ProducerStateManager } from '../../engine/replication/producer-state.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

const PID = 4000;

function fields(producerEpoch: number, baseSequence: number, records = 1) {
  return { producerId: PID, producerEpoch, baseSequence, lastOffsetDelta: records - 1 };
}

test('producer state accepts the next sequence, spots duplicates of the last five batches and rejects gaps', (t) => {
  const state = new ProducerStateManager();
  t.is(state.check(fields(0, 17)).kind, 'append', 'an unknown producer may start anywhere');
  let offset = 0;
  for (let seq = 0; seq < 12; seq += 2) {
    t.is(state.check(fields(0, seq, 2)).kind, 'append');
    state.update(fields(0, seq, 2), offset, offset + 1);
    offset += 2;
  }
  const duplicate = state.check(fields(0, 8, 2));
  t.deepEqual(duplicate, { kind: 'duplicate', batch: { firstSequence: 8, lastSequence: 9, firstOffset: 8, lastOffset: 9 } });
  t.is(state.check(fields(0, 0, 2)).kind, 'rejected', 'older than the last five batches');
  const gap = state.check(fields(0, 13));
  t.is(gap.kind === 'rejected' && gap.error, 'OUT_OF_ORDER_SEQUENCE_NUMBER');
  t.is(state.check(fields(0, 12)).kind, 'append', 'the next sequence');
  t.is(state.check(fields(1, 0)).kind, 'append', 'a new epoch starts at 0');
  const badStart = state.check(fields(1, 5));
  t.is(badStart.kind === 'rejected' && badStart.error, 'OUT_OF_ORDER_SEQUENCE_NUMBER');
  state.update(fields(1, 0), 20, 20);
  const fenced = state.check(fields(0, 12));
  t.is(fenced.kind === 'rejected' && fenced.error, 'INVALID_PRODUCER_EPOCH');
});

test('sequence numbers wrap after Int32 max', (t) => {
  t.is(lastSequenceOf(2_147_483_646, 3), 1);
  const state = new ProducerStateManager();
  state.update({ producerId: PID, producerEpoch: 0, baseSequence: 2_147_483_640, lastOffsetDelta: 7 }, 0, 7);
  t.is(state.check(fields(0, 0)).kind, 'append');
});

test('truncating producer state forgets later batches and asks for a rebuild when it cannot tell', (t) => {
  const state = new ProducerStateManager();
  for (let i = 0; i < 8; i++) state.update(fields(0, i), i, i);
  t.true(state.truncateTo(6));
  t.deepEqual(state.lastBatchOf(PID)?.batch, { firstSequence: 5, lastSequence: 5, firstOffset: 5, lastOffset: 5 });
  t.false(state.truncateTo(2), 'the batches kept in memory start at offset 3');
});

test('a duplicate produce answers the offset of the original and appends nothing', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const options = { producerId: PID, producerEpoch: 0 };
  const first = world.produce(1, 'orders', 0, batchOf(['a'], { ...options, baseSequence: 0 }));
  const second = world.produce(1, 'orders', 0, batchOf(['b', 'c'], { ...options, baseSequence: 1 }));
  const retry = world.produce(1, 'orders', 0, batchOf(['a'], { ...options, baseSequence: 0 }));
  world.sim.runFor(1000);
  t.deepEqual(world.produceResult(first), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.deepEqual(world.produceResult(second), { errorCode: ErrorCode.NONE, baseOffset: 1 });
  t.deepEqual(world.produceResult(retry), { errorCode: ErrorCode.NONE, baseOffset: 0 });
  t.deepEqual(world.logValues(1, 'orders', 0), ['a', 'b', 'c']);
  t.deepEqual(world.logValues(2, 'orders', 0), ['a', 'b', 'c']);
});

test('an out-of-order sequence and an old producer epoch are rejected', (t) => {
  const world = new ReplicationWorld({ brokers: [1] });
  world.createTopic('orders', [[1]]);
  world.sim.runFor(10);
  world.produce(1, 'orders', 0, batchOf(['a'], { producerId: PID, producerEpoch: 1, baseSequence: 0 }));
  const gap = world.produce(1, 'orders', 0, batchOf(['c'], { producerId: PID, producerEpoch: 1, baseSequence: 2 }));
  const old = world.produce(1, 'orders', 0, batchOf(['z'], { producerId: PID, producerEpoch: 0, baseSequence: 1 }));
  world.sim.runFor(100);
  t.is(world.produceResult(gap)?.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  t.is(world.produceResult(old)?.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  t.deepEqual(world.logValues(1, 'orders', 0), ['a']);
});

test('producer state is rebuilt from the log after a restart and on a follower that becomes leader', (t) => {
  const world = new ReplicationWorld({ brokers: [1, 2] });
  world.createTopic('orders', [[1, 2]]);
  world.sim.runFor(10);
  const options = { producerId: PID, producerEpoch: 0 };
  for (let seq = 0; seq < 3; seq++) world.produce(1, 'orders', 0, batchOf([`v${seq}`], { ...options, baseSequence: seq }));
  world.sim.runFor(1000);
  // The leader restarts: its state comes back from the log.
  world.sim.crash('broker-1');
  world.sim.restart('broker-1');
  world.sim.runFor(1000);
  const retry = world.produce(1, 'orders', 0, batchOf(['v2'], { ...options, baseSequence: 2 }));
  world.sim.runFor(100);
  t.deepEqual(world.produceResult(retry), { errorCode: ErrorCode.NONE, baseOffset: 2 });
  // Leadership moves to broker 2, which learnt the producer from the batches it replicated.
  world.electLeader('orders', 0, 2);
  world.sim.runFor(10);
  const onNewLeader = world.produce(2, 'orders', 0, batchOf(['v1'], { ...options, baseSequence: 1 }));
  const next = world.produce(2, 'orders', 0, batchOf(['v3'], { ...options, baseSequence: 3 }));
  const gap = world.produce(2, 'orders', 0, batchOf(['v9'], { ...options, baseSequence: 9 }));
  world.sim.runFor(1000);
  t.deepEqual(world.produceResult(onNewLeader), { errorCode: ErrorCode.NONE, baseOffset: 1 });
  t.deepEqual(world.produceResult(next), { errorCode: ErrorCode.NONE, baseOffset: 3 });
  t.is(world.produceResult(gap)?.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  t.deepEqual(world.logValues(2, 'orders', 0), ['v0', 'v1', 'v2', 'v3']);
});

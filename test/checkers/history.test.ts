import test from 'ava';
import { HistoryError, HistoryRecorder, PENDING_AT_END, type SampleRecording, type SendOp } from '../../sim/history.ts';

function recorder(): { clock: { nowMs: number }; history: HistoryRecorder } {
  const clock = { nowMs: 0 };
  return { clock, history: new HistoryRecorder(() => clock.nowMs) };
}

test('a send records its invocation and completion times from the clock', (t) => {
  const { clock, history } = recorder();
  clock.nowMs = 10;
  const id = history.invokeSend({ producer: 'p1', topic: 'orders', key: 'k', value: 'p1-0' });
  clock.nowMs = 25;
  history.ackSend(id, 7, 2);
  const send = history.finish().ops[id] as SendOp;
  t.like(send, { type: 'send', invokeMs: 10, completeMs: 25, partition: 2, key: 'k', outcome: { status: 'acked', offset: 7 } });
});

test('a value sent twice is refused', (t) => {
  const { history } = recorder();
  history.invokeSend({ producer: 'p1', topic: 'orders', partition: 0, key: null, value: 'v' });
  t.throws(() => history.invokeSend({ producer: 'p2', topic: 'orders', partition: 0, key: null, value: 'v' }), {
    instanceOf: HistoryError,
    message: /sent twice/,
  });
});

test('a send completed twice, or never invoked, is refused', (t) => {
  const { history } = recorder();
  const id = history.invokeSend({ producer: 'p1', topic: 'orders', partition: 0, key: null, value: 'v' });
  history.failSend(id, 'NOT_ENOUGH_REPLICAS');
  t.throws(() => history.ackSend(id, 0), { instanceOf: HistoryError, message: /completed twice/ });
  t.throws(() => history.ackSend(99, 0), { instanceOf: HistoryError, message: /no send with id 99/ });
});

test('an acknowledgement needs a partition', (t) => {
  const { history } = recorder();
  const id = history.invokeSend({ producer: 'p1', topic: 'orders', key: null, value: 'v' });
  t.throws(() => history.ackSend(id, 0), { instanceOf: HistoryError, message: /without a partition/ });
});

test('finishing marks pending sends indeterminate and ends open faults', (t) => {
  const { clock, history } = recorder();
  const id = history.invokeSend({ producer: 'p1', topic: 'orders', partition: 0, key: null, value: 'v' });
  const fault = history.faultStart('partition', ['broker-1'], 'broker-1 | rest');
  clock.nowMs = 50;
  const finished = history.finish();
  t.is(finished.endMs, 50);
  t.like(finished.ops[id], { completeMs: 50, outcome: { status: 'indeterminate', error: PENDING_AT_END } });
  t.deepEqual(finished.events.map((e) => e.type), ['fault-start', 'fault-end']);
  t.like(finished.events[1], { faultId: fault, timeMs: 50, fault: 'partition' });
  t.throws(() => history.heal(), { instanceOf: HistoryError, message: /finished/ });
});

test('a replica sample equal to the previous one of that replica is not stored', (t) => {
  const { clock, history } = recorder();
  const state: SampleRecording = {
    broker: 'broker-1',
    incarnation: 0,
    topic: 'orders',
    partition: 0,
    highWatermark: 3,
    logEndOffset: 4,
    leaderEpoch: 1,
    isLeader: true,
    isr: ['broker-1', 'broker-2'],
  };
  history.sample(state);
  clock.nowMs = 100;
  history.sample({ ...state, isr: ['broker-1', 'broker-2'] });
  history.sample({ ...state, broker: 'broker-2', isLeader: false });
  clock.nowMs = 200;
  history.sample({ ...state, highWatermark: 4 });
  const samples = history.finish().samples;
  t.deepEqual(samples.map((s) => [s.timeMs, s.broker, s.highWatermark]), [[0, 'broker-1', 3], [100, 'broker-2', 3], [200, 'broker-1', 4]]);
});

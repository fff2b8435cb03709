import test from 'ava';
import { checkDivergence } from '../../sim/checkers/divergence.ts';
import { finalState, log, partition, records, replica, Run } from './build.ts';

const history = new Run().finish(100);

test('two replicas holding different values below both high watermarks diverge', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', log(['a', 'b', 'c', 'd']), { leader: true }),
      replica('broker-2', log(['a', 'x', 'c', 'y'])),
    ]),
  );
  const found = checkDivergence(history, state);
  t.is(found.length, 1);
  const [anomaly] = found;
  t.is(anomaly!.kind, 'divergence');
  t.deepEqual(anomaly!.offsets, [1, 3]);
  t.deepEqual(
    anomaly!.records.map((r) => [r.broker, r.offset, r.value]),
    [['broker-1', 1, 'b'], ['broker-2', 1, 'x'], ['broker-1', 3, 'd'], ['broker-2', 3, 'y']],
  );
  t.is(anomaly!.detail['differingOffsets'], 2);
  t.regex(anomaly!.message, /broker-1 and broker-2 disagree on orders-0 below offset 4: at offset 1 broker-1 holds "b" \(epoch 0\) and broker-2 holds "x"/);
});

test('the same replicas holding the same log do not diverge', (t) => {
  const state = finalState(
    partition([replica('broker-1', log(['a', 'b', 'c', 'd']), { leader: true }), replica('broker-2', log(['a', 'b', 'c', 'd']))]),
  );
  t.deepEqual(checkDivergence(history, state), []);
});

test('differences above the lower high watermark are not divergence', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', log(['a', 'b', 'c', 'd']), { leader: true }),
      replica('broker-2', log(['a', 'b', 'x', 'y']), { hw: 2 }),
    ]),
  );
  t.deepEqual(checkDivergence(history, state), []);
});

test('the same value written in another leader epoch is divergence', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', records([[0, 'a', 1], [1, 'b', 2]]), { leader: true }),
      replica('broker-2', records([[0, 'a', 1], [1, 'b', 1]])),
    ]),
  );
  t.deepEqual(checkDivergence(history, state).map((a) => a.offsets), [[1]]);
});

test('an in-sync replica must hold the leader log up to the leader high watermark, whatever its own says', (t) => {
  const replicas = [
    replica('broker-1', log(['a', 'b', 'c']), { leader: true }),
    replica('broker-2', log(['a', 'b']), { hw: 1 }),
  ];
  t.deepEqual(checkDivergence(history, finalState(partition(replicas))), []);
  const found = checkDivergence(history, finalState(partition(replicas, { isr: ['broker-1', 'broker-2'] })));
  t.is(found.length, 1);
  t.deepEqual(found[0]!.offsets, [2]);
  t.regex(found[0]!.message, /below offset 3: at offset 2 broker-1 holds "c" \(epoch 0\) and broker-2 has no record/);
});

test('offsets below either log start offset are not compared', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', log(['a', 'b', 'c']), { leader: true }),
      replica('broker-2', log(['c'], 2), { logStart: 2 }),
    ]),
  );
  t.deepEqual(checkDivergence(history, state), []);
});

test('a gap in one replica is divergence except in a compacted topic', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', log(['a', 'b', 'c']), { leader: true }),
      replica('broker-2', records([[0, 'a'], [2, 'c']])),
    ]),
  );
  t.is(checkDivergence(history, state).length, 1);
  t.deepEqual(checkDivergence(history, state, { compactedTopics: ['orders'] }), []);
});

test('each diverging pair of replicas is one anomaly', (t) => {
  const state = finalState(
    partition([
      replica('broker-1', log(['a']), { leader: true }),
      replica('broker-2', log(['b'])),
      replica('broker-3', log(['a'])),
    ]),
  );
  t.deepEqual(checkDivergence(history, state).map((a) => a.detail['brokers']), ['broker-1,broker-2', 'broker-2,broker-3']);
});

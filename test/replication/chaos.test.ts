import test from 'ava';
import { runChaos } from './chaos-world.ts';

test('under random crashes and partitions no acks=all write is lost and the replicas end identical', (t) => {
  for (const seed of [1, 2, 3]) {
    const result = runChaos(seed, 40_000);
    t.true(result.acked > 500, `seed ${seed}: only ${result.acked} acks`);
    t.deepEqual(result.lost, [], `seed ${seed}`);
    t.false(result.divergent, `seed ${seed}`);
  }
});

test('the same seed gives the same run', (t) => {
  const a = runChaos(4, 20_000);
  const b = runChaos(4, 20_000);
  t.is(a.traceHash, b.traceHash);
  t.deepEqual(a.logs, b.logs);
});

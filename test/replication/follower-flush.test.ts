import test from 'ava';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import { batchOf, ReplicationWorld } from './replication-world.ts';

// With flush.messages=1 a follower fsyncs what it fetched before fetching that partition again. Its next
// fetch must wait for the fsync rather than go without the partition: a fetch for the other, idle partitions
// sits at the leader for replica.fetch.wait.max.ms (500 ms), and the fsynced partition would wait with it.

function answerMs(flushEveryWrite: boolean): number {
  const world = new ReplicationWorld({ brokers: [1, 2], config: flushEveryWrite ? { 'log.flush.interval.messages': 1 } : {} });
  // Two partitions led by broker 1: broker 2's one fetcher to broker 1 fetches both.
  world.createTopic('orders', [[1, 2], [1, 2]]);
  world.sim.runFor(2_000);
  const start = world.sim.now();
  const id = world.produce(1, 'orders', 0, batchOf(['a']), { acks: -1, timeoutMs: 30_000 });
  while (world.response(id) === undefined && world.sim.now() < start + 5_000) world.sim.step();
  const result = world.produceResult(id);
  if (result?.errorCode !== ErrorCode.NONE) throw new Error(`produce failed: ${JSON.stringify(result)}`);
  return world.sim.now() - start;
}

test('with flush.messages=1 an acks=all answer waits for fsyncs, not for a follower fetch parked at the leader', (t) => {
  const withoutFlushMs = answerMs(false);
  const withFlushMs = answerMs(true);
  t.true(withFlushMs > withoutFlushMs, `an fsync costs something: ${withFlushMs} ms vs ${withoutFlushMs} ms`);
  t.true(withFlushMs < withoutFlushMs + 50, `no replica.fetch.wait.max.ms stall: ${withFlushMs} ms vs ${withoutFlushMs} ms`);
});

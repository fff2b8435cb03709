import test from 'ava';
import { Piscina } from 'piscina';
import { runGossipWorld } from '../support/gossip-world.ts';

const DURATION_MS = 20_000;

test('the same seed gives the same trace hash twice', (t) => {
  const first = runGossipWorld(11, DURATION_MS);
  const second = runGossipWorld(11, DURATION_MS);
  t.true(first.traceEvents > 1000, `the world should be busy, saw ${first.traceEvents} trace events`);
  t.is(first.traceHash, second.traceHash);
  t.is(first.events, second.events);
});

test('another seed gives another trace hash', (t) => {
  t.not(runGossipWorld(11, DURATION_MS).traceHash, runGossipWorld(12, DURATION_MS).traceHash);
});

test('a seed run in a worker thread gives the same trace hash as in the main thread', async (t) => {
  const pool = new Piscina({
    filename: new URL('../support/gossip-task.ts', import.meta.url).href,
    execArgv: ['--import', 'tsx'],
    maxThreads: 2,
  });
  try {
    const seeds = [11, 12, 13];
    const inWorkers = await Promise.all(seeds.map((seed) => pool.run({ seed, durationMs: DURATION_MS }) as Promise<string>));
    const inMain = seeds.map((seed) => runGossipWorld(seed, DURATION_MS).traceHash);
    t.deepEqual(inWorkers, inMain);
  } finally {
    await pool.destroy();
  }
});

// The log's crash-recovery property (see recovery-property.ts) over a few hundred seeds. The long form,
// thousands of seeds, is `npm run test:recovery-long`.

import test from 'ava';
import { runRecoverySeed } from './recovery-property.ts';

const SEEDS = 300;

test(`after crashes and power losses the log is a valid prefix that keeps every flushed batch (${SEEDS} seeds)`, (t) => {
  let durableChecked = 0;
  let powerLosses = 0;
  let tailsCut = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = runRecoverySeed(seed);
    if (!result.ok) return t.fail(`${result.failure}\nreproduce: npx tsx cli/recovery-soak.ts --from ${seed} --seeds 1`);
    durableChecked += result.durableBatchesChecked;
    powerLosses += result.powerLosses;
    tailsCut += result.tailsCut;
  }
  // The property must have had something to check.
  t.true(powerLosses > SEEDS, `power losses: ${powerLosses}`);
  t.true(durableChecked > 1000, `flushed batches checked: ${durableChecked}`);
  t.true(tailsCut > 20, `recoveries that cut an invalid tail: ${tailsCut}`);
});

test('a seed replays to the same result', (t) => {
  t.deepEqual(runRecoverySeed(77), runRecoverySeed(77));
});

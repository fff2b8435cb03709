import test from 'ava';
import { FAULT_KIND_INFO, NemesisError, randomSchedule, validateFault, type Fault, type RandomScheduleOptions } from '../../sim/nemesis.ts';
import { RandomStreams } from '../../sim/random.ts';

const BASE: RandomScheduleOptions = {
  mix: { 'crash': 3, 'pause': 1, 'packet-loss': 1, 'disk-slow': 1, 'bridge': 1 },
  targets: ['broker-1', 'broker-2', 'broker-3', 'leader:orders-0', 'active-controller'],
  startMs: 1_000,
  healMs: 200_000,
  meanGapMs: 2_000,
  minDurationMs: 1_000,
  maxDurationMs: 8_000,
};

function draw(seed: number, options: Partial<RandomScheduleOptions> = {}): Fault[] {
  return randomSchedule(new RandomStreams(seed).stream('faults'), { ...BASE, ...options });
}

/** The most faults in effect at one instant (an end at t does not overlap a start at t). */
function maxOverlap(faults: readonly Fault[]): number {
  const edges = faults.flatMap((f) => [[f.atMs, 1], [f.atMs + f.durationMs, -1]] as const);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (now += delta));
  return most;
}

test('a random schedule is the same for the same seed and differs for another', (t) => {
  t.deepEqual(draw(7), draw(7));
  t.notDeepEqual(draw(7), draw(8));
  t.deepEqual(draw(7, { maxConcurrent: 3 }), draw(7, { maxConcurrent: 3 }));
});

test('a random schedule is plain, valid, sorted data that ends by the heal', (t) => {
  for (const seed of [1, 2, 3]) {
    for (const maxConcurrent of [1, 4]) {
      const faults = draw(seed, { maxConcurrent });
      t.true(faults.length > 10, `seed ${seed}: ${faults.length} faults`);
      t.deepEqual(JSON.parse(JSON.stringify(faults)), faults);
      faults.forEach((fault, i) => {
        validateFault(fault, `faults[${i}]`);
        t.true(fault.atMs >= BASE.startMs && fault.atMs + fault.durationMs <= BASE.healMs, JSON.stringify(fault));
        t.true(Number.isInteger(fault.atMs) && Number.isInteger(fault.durationMs));
        if (i > 0) t.true(fault.atMs >= faults[i - 1].atMs);
      });
    }
  }
});

test('a random schedule follows the mix: a kind with weight 0 never appears, weights set the shares', (t) => {
  const faults = draw(11, { mix: { crash: 3, pause: 1, isolate: 0 }, healMs: 2_000_000 });
  const count = (kind: string): number => faults.filter((fault) => fault.kind === kind).length;
  t.is(count('isolate'), 0);
  t.is(count('crash') + count('pause'), faults.length);
  const share = count('crash') / faults.length;
  t.true(share > 0.65 && share < 0.85, `crash share ${share} of ${faults.length}`);
});

test('maxConcurrent 1 never overlaps faults; a larger one overlaps up to it and no further', (t) => {
  for (const seed of [1, 2, 3, 4]) {
    t.is(maxOverlap(draw(seed)), 1, `seed ${seed}`);
    const three = draw(seed, { maxConcurrent: 3, meanGapMs: 500 });
    t.is(maxOverlap(three), 3, `seed ${seed}: with a short gap and long faults the bound is reached`);
  }
  const one = draw(5);
  for (let i = 1; i < one.length; i++) t.true(one[i].atMs >= one[i - 1].atMs + one[i - 1].durationMs);
});

test('intensities come from the kind default, a global scale, or a per-kind range', (t) => {
  const mix = { 'packet-loss': 1, 'latency-spike': 1, 'disk-slow': 1, 'disk-fail': 1, 'crash': 1 };
  const plain = draw(3, { mix });
  for (const fault of plain) t.is(fault.intensity, FAULT_KIND_INFO[fault.kind].intensity?.defaultValue);
  const scaled = draw(3, { mix, intensity: { scale: 4 } });
  const loss = scaled.find((fault) => fault.kind === 'packet-loss')!;
  t.is(loss.intensity, 0.8);
  t.is(scaled.find((fault) => fault.kind === 'disk-fail')!.intensity, 1, 'a probability is capped at 1');
  t.is(scaled.find((fault) => fault.kind === 'latency-spike')!.intensity, 800);
  const ranged = draw(3, { mix, intensity: { ranges: { 'packet-loss': [0.05, 0.1], 'latency-spike': [10, 20] } } });
  const losses = ranged.filter((fault) => fault.kind === 'packet-loss').map((fault) => fault.intensity!);
  t.true(losses.length > 3 && losses.every((p) => p >= 0.05 && p <= 0.1), losses.join(' '));
  t.true(new Set(losses).size > 1, 'drawn, not fixed');
  t.true(ranged.filter((fault) => fault.kind === 'latency-spike').every((fault) => fault.intensity! >= 10 && fault.intensity! <= 20));
});

test('per-kind target pools replace the common one', (t) => {
  const faults = draw(9, { mix: { crash: 1, bridge: 1 }, targetsByKind: { bridge: ['controller-102'] } });
  t.true(faults.some((fault) => fault.kind === 'bridge'));
  t.true(faults.filter((fault) => fault.kind === 'bridge').every((fault) => fault.target === 'controller-102'));
  t.true(faults.filter((fault) => fault.kind === 'crash').every((fault) => BASE.targets.includes(fault.target)));
});

test('bad random schedule options are refused with the field named', (t) => {
  const refuse = (options: Partial<RandomScheduleOptions>, pattern: RegExp): void => {
    t.regex(t.throws(() => draw(1, options), { instanceOf: NemesisError })!.message, pattern);
  };
  refuse({ mix: { crash: 0 } }, /^mix: give at least one fault kind a weight > 0/);
  refuse({ mix: { crush: 1 } as never }, /^mix\.crush: unknown fault kind/);
  refuse({ mix: { crash: -1 } }, /^mix\.crash: a weight must be/);
  refuse({ targets: [] }, /^targets: a random fault schedule needs at least one target/);
  refuse({ targets: ['leader:x'] }, /^targets\[0\]: "leader:x" is not leader:TOPIC-PARTITION/);
  refuse({ minDurationMs: 0 }, /^minDurationMs\.\.maxDurationMs/);
  refuse({ maxConcurrent: 0 }, /^maxConcurrent: must be a whole number >= 1/);
  refuse({ intensity: { ranges: { 'packet-loss': [0.1, 2] } } }, /^intensity\.ranges\.packet-loss: the intensity of packet-loss/);
});

test('a slow link joins two different targets of its pool, and a pool of one is refused', (t) => {
  const faults = draw(5, { mix: { 'slow-link': 1 }, targets: ['broker-1', 'broker-2', 'leader:orders-0'] });
  t.true(faults.length > 10);
  for (const fault of faults) {
    const ends = fault.target.split(',');
    t.is(ends.length, 2, fault.target);
    t.not(ends[0], ends[1], fault.target);
    t.notThrows(() => validateFault(fault, 'f'));
  }
  t.true(new Set(faults.map((fault) => fault.target)).size > 2, 'the pairs vary');
  const error = t.throws(() => draw(5, { mix: { 'slow-link': 1, crash: 1 }, targetsByKind: { 'slow-link': ['broker-1'] } }), { instanceOf: NemesisError });
  t.regex(error!.message, /^targetsByKind\.slow-link: slow-link joins two targets drawn from the pool, so it needs two different ones at least/);
});

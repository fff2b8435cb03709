import test from 'ava';
import { RandomStreams, RandomError } from '../../sim/random.ts';

const draw = (seed: number, name: string, count = 5): number[] => {
  const stream = new RandomStreams(seed).stream(name);
  return Array.from({ length: count }, () => stream.next());
};

test('the same seed and stream name give the same numbers', (t) => {
  t.deepEqual(draw(42, 'network'), draw(42, 'network'));
});

test('another seed or another stream gives other numbers', (t) => {
  t.notDeepEqual(draw(42, 'network'), draw(43, 'network'));
  t.notDeepEqual(draw(42, 'network'), draw(42, 'disk'));
});

test('drawing from one stream does not shift another', (t) => {
  const streams = new RandomStreams(9);
  const before = draw(9, 'disk');
  for (let i = 0; i < 100; i++) streams.stream('network').next();
  const disk = streams.stream('disk');
  t.deepEqual(Array.from({ length: 5 }, () => disk.next()), before);
});

test('helpers stay in their ranges', (t) => {
  const stream = new RandomStreams(1).stream('workload');
  for (let i = 0; i < 1000; i++) {
    const n = stream.int(3, 7);
    t.true(Number.isInteger(n) && n >= 3 && n <= 7);
    const u = stream.uniform(-1, 1);
    t.true(u >= -1 && u < 1);
    t.true(stream.exponential(10) >= 0);
  }
  const picks = new Set(Array.from({ length: 200 }, () => stream.pick(['a', 'b', 'c'])));
  t.deepEqual([...picks].sort(), ['a', 'b', 'c']);
});

test('a bad seed is refused with a message that says what a seed is', (t) => {
  for (const seed of [-1, 1.5, Number.NaN, 2 ** 60]) {
    const error = t.throws(() => new RandomStreams(seed), { instanceOf: RandomError });
    t.regex(error!.message, /whole number/);
  }
});

import test from 'ava';
import { placeReplicas, ReplicaPlacementError } from '../../engine/controller/replica-placer.ts';
import type { UsableBroker } from '../../engine/controller/replica-placer.ts';
import { RandomStreams } from '../../sim/random.ts';

const brokers = (count: number, rackOf: (id: number) => string | null = () => null, fenced: number[] = []): UsableBroker[] =>
  Array.from({ length: count }, (_, i) => ({ id: i + 1, rack: rackOf(i + 1), fenced: fenced.includes(i + 1) }));

const random = (seed: number) => {
  const stream = new RandomStreams(seed).stream('placer');
  return () => stream.next();
};

function counts(placements: number[][], pick: (replicas: number[]) => number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const replicas of placements) for (const id of pick(replicas)) result.set(id, (result.get(id) ?? 0) + 1);
  return result;
}

test('with all start offsets at zero the placement is Kafka\'s striped pattern', (t) => {
  const rackOf = (id: number) => 'ABC'[Math.floor((id - 1) / 3)];
  const name = (id: number) => `${rackOf(id)}${(id - 1) % 3}`;
  const placements = placeReplicas(brokers(9, rackOf), 3, 3, () => 0);
  t.deepEqual(placements.map((replicas) => replicas.map(name).join(' ')), ['A0 B0 C0', 'B1 C1 A1', 'C2 A2 B2']);
});

test('leaders and replicas spread evenly across brokers', (t) => {
  for (const seed of [1, 2, 3]) {
    const placements = placeReplicas(brokers(5), 10, 3, random(seed));
    t.true(placements.every((replicas) => new Set(replicas).size === 3), 'no broker twice in a partition');
    t.deepEqual([...counts(placements, (r) => [r[0]]).values()], [2, 2, 2, 2, 2], 'each broker leads 2');
    t.deepEqual([...counts(placements, (r) => r).values()], [6, 6, 6, 6, 6], 'each broker holds 6 replicas');
  }
});

test('every partition spans as many racks as it can, and racks hold equal shares', (t) => {
  const rackOf = (id: number) => `rack-${id % 3}`;
  const placements = placeReplicas(brokers(6, rackOf), 12, 3, random(7));
  for (const replicas of placements) t.is(new Set(replicas.map(rackOf)).size, 3, `replicas ${replicas} span 3 racks`);
  t.deepEqual([...counts(placements, (r) => [r[0]]).values()].sort(), [2, 2, 2, 2, 2, 2]);
  const twoReplicas = placeReplicas(brokers(6, rackOf), 6, 2, random(8));
  for (const replicas of twoReplicas) t.is(new Set(replicas.map(rackOf)).size, 2);
});

test('the start is random: different draws give different placements, the same draws the same', (t) => {
  const a = placeReplicas(brokers(6), 6, 2, random(1));
  const b = placeReplicas(brokers(6), 6, 2, random(2));
  t.notDeepEqual(a, b);
  t.deepEqual(a, placeReplicas(brokers(6), 6, 2, random(1)));
});

test('fenced brokers never lead and are used only when the unfenced ones run out', (t) => {
  const placements = placeReplicas(brokers(4, () => null, [3, 4]), 8, 2, random(3));
  for (const replicas of placements) t.deepEqual([...replicas].sort(), [1, 2]);
  const wide = placeReplicas(brokers(4, () => null, [3, 4]), 8, 3, random(3));
  for (const replicas of wide) t.true(replicas[0] === 1 || replicas[0] === 2, `leader ${replicas[0]} is unfenced`);
});

test('an impossible replication factor is an error that says why', (t) => {
  t.throws(() => placeReplicas(brokers(2), 1, 3, random(1)), {
    instanceOf: ReplicaPlacementError, message: /replication factor of 3 cannot be reached because only 2 broker\(s\)/,
  });
  t.throws(() => placeReplicas(brokers(2, () => null, [1, 2]), 1, 1, random(1)), { message: /All brokers are currently fenced/ });
  t.throws(() => placeReplicas(brokers(2), 1, 0, random(1)), { message: /must be positive/ });
});

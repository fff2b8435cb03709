import test from 'ava';
import { OffsetIndex } from '../../engine/log/offset-index.ts';
import { NO_TIMESTAMP, TimeIndex } from '../../engine/log/time-index.ts';
import { world } from './log-fixtures.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function offsetIndex(maxBytes = 1024) {
  const w = world();
  w.disk.mkdirs('/d');
  return { w, index: OffsetIndex.create(w.disk, '/d/00000000000000000100.index', 100, maxBytes) };
}

test('offset index entries are relative offset and position, 8 bytes big-endian', (t) => {
  const { w, index } = offsetIndex();
  index.append(110, 4200);
  index.append(0x1_0000 + 100, 0x01020304);
  t.is(hex(w.disk.read(index.path, 0, 100)), '0000000a00001068' + '0001000001020304');
});

test('an offset index lookup finds the largest entry at or below the target', (t) => {
  const { index } = offsetIndex();
  index.append(110, 1000);
  index.append(130, 2000);
  index.append(150, 3000);
  t.deepEqual(index.lookup(99), { offset: 100, position: 0 });
  t.deepEqual(index.lookup(109), { offset: 100, position: 0 });
  t.deepEqual(index.lookup(110), { offset: 110, position: 1000 });
  t.deepEqual(index.lookup(149), { offset: 130, position: 2000 });
  t.deepEqual(index.lookup(1_000_000), { offset: 150, position: 3000 });
});

test('an offset index truncates by offset and by position, on disk too', (t) => {
  const { w, index } = offsetIndex();
  for (let i = 1; i <= 5; i++) index.append(100 + i * 10, i * 1000);
  index.truncateTo(130);
  t.is(index.entries, 2);
  t.is(w.disk.size(index.path), 16);
  index.truncateToPosition(2000);
  t.is(index.entries, 1);
  t.deepEqual(index.lastEntry(), { offset: 110, position: 1000 });
});

test('an offset index is full at segment.index.bytes / 8 entries', (t) => {
  const { index } = offsetIndex(20);
  t.is(index.maxEntries, 2);
  index.append(101, 10);
  t.false(index.isFull());
  index.append(102, 20);
  t.true(index.isFull());
});

test('an offset index loads back, and a corrupt one is refused so it can be rebuilt', (t) => {
  const { w, index } = offsetIndex();
  index.append(110, 1000);
  index.append(120, 2000);
  const loaded = OffsetIndex.load(w.disk, index.path, 100, 1024, 5000);
  t.deepEqual(loaded?.lastEntry(), { offset: 120, position: 2000 });
  t.is(OffsetIndex.load(w.disk, index.path, 100, 1024, 1500), undefined, 'a position past the log end');
  w.disk.append(index.path, new Uint8Array(3));
  t.is(OffsetIndex.load(w.disk, index.path, 100, 1024, 5000), undefined, 'a partial entry');
  t.is(OffsetIndex.load(w.disk, '/d/missing.index', 100, 1024, 5000), undefined);
});

function timeIndex() {
  const w = world();
  w.disk.mkdirs('/d');
  return { w, index: TimeIndex.create(w.disk, '/d/00000000000000000100.timeindex', 100, 1200) };
}

test('time index entries are timestamp int64 and relative offset int32, 12 bytes big-endian', (t) => {
  const { w, index } = timeIndex();
  index.maybeAppend(1_700_000_000_000, 105);
  t.is(hex(w.disk.read(index.path, 0, 100)), '0000018bcfe56800' + '00000005');
});

test('a time index only grows when the timestamp does', (t) => {
  const { index } = timeIndex();
  t.deepEqual(index.lastEntry(), { timestamp: NO_TIMESTAMP, offset: 100 });
  index.maybeAppend(5000, 110);
  index.maybeAppend(5000, 120);
  index.maybeAppend(4000, 130);
  index.maybeAppend(6000, 140);
  t.is(index.entries, 2);
  t.deepEqual(index.lastEntry(), { timestamp: 6000, offset: 140 });
});

test('a time index lookup finds the largest timestamp at or below the target', (t) => {
  const { index } = timeIndex();
  index.maybeAppend(1000, 110);
  index.maybeAppend(2000, 120);
  t.deepEqual(index.lookup(999), { timestamp: NO_TIMESTAMP, offset: 100 });
  t.deepEqual(index.lookup(1500), { timestamp: 1000, offset: 110 });
  t.deepEqual(index.lookup(2000), { timestamp: 2000, offset: 120 });
});

test('a time index truncates entries at or above an offset and loads back', (t) => {
  const { w, index } = timeIndex();
  index.maybeAppend(1000, 110);
  index.maybeAppend(2000, 120);
  index.maybeAppend(3000, 130);
  index.truncateTo(120);
  t.is(index.entries, 1);
  t.is(TimeIndex.load(w.disk, index.path, 100, 1200)?.entries, 1);
});

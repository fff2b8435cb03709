import test from 'ava';
import { CheckpointFormatError, CheckpointWriter, formatCheckpoint, parseCheckpoint } from '../../engine/log/checkpoint-file.ts';
import { settle, world } from './log-fixtures.ts';

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

test('the checkpoint format is a version line, a count line and one line per entry', (t) => {
  t.is(formatCheckpoint(0, ['orders 0 42', 'orders 1 7']), '0\n2\norders 0 42\norders 1 7\n');
  t.deepEqual(parseCheckpoint('0\n2\norders 0 42\norders 1 7\n', 'f', 0, 3), [['orders', '0', '42'], ['orders', '1', '7']]);
  t.throws(() => parseCheckpoint('0\n1\norders 0\n', 'f', 0, 3), { instanceOf: CheckpointFormatError, message: /line 3: expected 3/ });
});

test('a checkpoint write goes through a fsynced temp file renamed into place', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  let content = 'first';
  const writer = new CheckpointWriter(w.disk, '/d/checkpoint', () => content);
  writer.markChanged();
  t.false(w.disk.exists('/d/checkpoint'), 'nothing is renamed before the temp file is durable');
  t.is(text(w.disk.read('/d/checkpoint.tmp', 0, 100)), 'first');
  settle(w);
  t.false(w.disk.exists('/d/checkpoint.tmp'));
  t.is(text(w.disk.durableContent('/d/checkpoint')), 'first');
  content = 'second';
  let durable = false;
  writer.markChanged();
  writer.whenDurable(() => {
    durable = true;
  });
  t.is(text(w.disk.read('/d/checkpoint', 0, 100)), 'first', 'the old content stays until the new one is durable');
  settle(w);
  t.true(durable);
  t.is(text(w.disk.durableContent('/d/checkpoint')), 'second');
});

test('changes made while a write is in flight are coalesced into one more write', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  let content = 'a';
  const writer = new CheckpointWriter(w.disk, '/d/checkpoint', () => content);
  const fsyncsBefore = w.disk.stats().fsyncs;
  writer.markChanged();
  for (const next of ['b', 'c', 'd']) {
    content = next;
    writer.markChanged();
  }
  settle(w);
  t.is(text(w.disk.durableContent('/d/checkpoint')), 'd');
  t.is(w.disk.stats().fsyncs - fsyncsBefore, 4, 'two writes of two fsyncs each (temp file, then the rename)');
  t.false(writer.dirty);
});

test('invalidate deletes the file at once and discards the write in flight', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  let content = 'old';
  const writer = new CheckpointWriter(w.disk, '/d/checkpoint', () => content);
  writer.markChanged();
  settle(w);
  content = 'stale';
  writer.markChanged();
  writer.invalidate();
  t.false(w.disk.exists('/d/checkpoint'));
  settle(w);
  t.false(w.disk.exists('/d/checkpoint'), 'the stale write never lands');
  content = 'new';
  writer.markChanged();
  settle(w);
  t.is(text(w.disk.durableContent('/d/checkpoint')), 'new');
});

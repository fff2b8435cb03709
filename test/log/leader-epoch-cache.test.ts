import test from 'ava';
import { CheckpointFormatError } from '../../engine/log/checkpoint-file.ts';
import { LeaderEpochCache, parseLeaderEpochCheckpoint, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../../engine/log/leader-epoch-cache.ts';

function cache(...entries: [number, number][]): LeaderEpochCache {
  return new LeaderEpochCache(entries.map(([epoch, startOffset]) => ({ epoch, startOffset })));
}

test('assigning a new epoch appends an entry, the same epoch again does nothing', (t) => {
  let changes = 0;
  const c = new LeaderEpochCache([], () => changes++);
  t.true(c.assign(0, 0));
  t.false(c.assign(0, 50));
  t.true(c.assign(2, 100));
  t.deepEqual(c.epochEntries(), [{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 100 }]);
  t.is(changes, 2);
  t.is(c.latestEpoch(), 2);
});

test('an assignment that breaks the rising order removes the entries in its way, as Kafka does', (t) => {
  const c = cache([0, 0], [2, 100], [3, 150]);
  c.assign(2, 120);
  t.deepEqual(c.epochEntries(), [{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 120 }]);
  const d = cache([0, 0], [2, 100]);
  d.assign(2, 80);
  t.deepEqual(d.epochEntries(), [{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 80 }]);
});

test('endOffsetFor answers OffsetsForLeaderEpoch', (t) => {
  const c = cache([1, 0], [3, 100], [4, 250]);
  t.deepEqual(c.endOffsetFor(4, 300), { epoch: 4, endOffset: 300 }, 'the latest epoch ends at the log end');
  t.deepEqual(c.endOffsetFor(3, 300), { epoch: 3, endOffset: 250 }, 'a known epoch ends where the next starts');
  t.deepEqual(c.endOffsetFor(2, 300), { epoch: 1, endOffset: 100 }, 'an unknown epoch in between: the largest below it');
  t.deepEqual(c.endOffsetFor(0, 300), { epoch: 0, endOffset: 0 }, 'below every epoch: the start of the earliest');
  t.deepEqual(c.endOffsetFor(5, 300), { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET }, 'above every epoch');
  t.deepEqual(c.endOffsetFor(UNDEFINED_EPOCH, 300), { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });
  t.deepEqual(cache().endOffsetFor(0, 10), { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET }, 'an empty cache');
});

test('truncating from the end removes the epochs that started at or after the new end', (t) => {
  const c = cache([1, 0], [3, 100], [4, 250]);
  c.truncateFromEnd(250);
  t.deepEqual(c.epochEntries(), [{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 100 }]);
  c.truncateFromEnd(101);
  t.is(c.epochEntries().length, 2);
});

test('truncating from the start moves the covering epoch up to the new log start', (t) => {
  const c = cache([1, 0], [3, 100], [4, 250]);
  c.truncateFromStart(120);
  t.deepEqual(c.epochEntries(), [{ epoch: 3, startOffset: 120 }, { epoch: 4, startOffset: 250 }]);
  c.truncateFromStart(50);
  t.is(c.earliestEntry()?.startOffset, 120, 'a start below the first entry changes nothing');
});

test('epochForOffset tells the epoch a batch was written in', (t) => {
  const c = cache([1, 0], [3, 100]);
  t.is(c.epochForOffset(99), 1);
  t.is(c.epochForOffset(100), 3);
  t.is(cache([2, 10]).epochForOffset(5), undefined);
});

test('the checkpoint text is Kafka’s leader-epoch-checkpoint format and round-trips', (t) => {
  const c = cache([0, 0], [3, 1250], [7, 9000]);
  const text = c.toCheckpointText();
  t.is(text, '0\n3\n0 0\n3 1250\n7 9000\n');
  t.deepEqual(parseLeaderEpochCheckpoint(text, 'leader-epoch-checkpoint'), c.epochEntries());
  t.is(cache().toCheckpointText(), '0\n0\n');
});

test('a malformed leader-epoch-checkpoint is refused with the line at fault', (t) => {
  t.throws(() => parseLeaderEpochCheckpoint('1\n0\n', 'f'), { instanceOf: CheckpointFormatError, message: /line 1: version/ });
  t.throws(() => parseLeaderEpochCheckpoint('0\n2\n0 0\n', 'f'), { instanceOf: CheckpointFormatError, message: /announces 2 entries/ });
  t.throws(() => parseLeaderEpochCheckpoint('0\n1\n0 x\n', 'f'), { instanceOf: CheckpointFormatError, message: /line 3/ });
  t.throws(() => parseLeaderEpochCheckpoint('0\n2\n3 0\n2 10\n', 'f'), { instanceOf: CheckpointFormatError, message: /does not rise/ });
  t.throws(() => parseLeaderEpochCheckpoint('0\n1\n0 0', 'f'), { instanceOf: CheckpointFormatError, message: /newline/ });
});

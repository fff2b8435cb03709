import test from 'ava';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { decodeBatch } from '../../engine/records/batch.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../engine/log/log.ts';
import { LogAppendError, LogNotAvailableError, OffsetOutOfRangeError } from '../../engine/log/log-errors.ts';
import { PARTITION_DIR, appendLeader, batch, offsetsOf, openLog, readAll, settle, world } from './log-fixtures.ts';

const segmentFiles = (names: string[]): string[] => names.filter((name) => name.endsWith('.log'));

test('a leader append stamps offsets and its epoch into the batches and returns where they went', (t) => {
  const w = world();
  const log = openLog(w);
  const first = batch(3);
  const info = log.append(first, { assignOffsets: true, leaderEpoch: 7, nowMs: 0 });
  t.deepEqual([info.firstOffset, info.lastOffset, info.position, info.segmentBaseOffset, info.recordCount], [0, 2, 0, 0, 3]);
  const second = batch(2);
  const info2 = log.append(second, { assignOffsets: true, leaderEpoch: 7, nowMs: 0 });
  t.deepEqual([info2.firstOffset, info2.lastOffset, info2.position], [3, 4, first.length]);
  t.is(readBatchHeader(second, 0).baseOffset, 3);
  t.is(readBatchHeader(second, 0).partitionLeaderEpoch, 7);
  t.is(log.logEndOffset, 5);
  t.deepEqual(offsetsOf(readAll(log)), [0, 1, 2, 3, 4]);
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 7, startOffset: 0 }]);
});

test('one append may carry several batches, written with one disk write', (t) => {
  const w = world();
  const log = openLog(w);
  const a = batch(2);
  const b = batch(3);
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  const writesBefore = w.disk.stats().writes;
  const info = log.append(both, { assignOffsets: true, leaderEpoch: 0, nowMs: 0 });
  t.is(w.disk.stats().writes - writesBefore, 1, 'no index entry is due yet: the batches are the only write');
  t.deepEqual([info.firstOffset, info.lastOffset, info.batchCount], [0, 4, 2]);
  t.is(readBatchHeader(both, a.length).baseOffset, 2);
});

test('a follower appends batches with their own offsets, which must rise past the log end', (t) => {
  const w = world();
  const log = openLog(w);
  log.append(batch(3, { baseOffset: 0, epoch: 2 }), { assignOffsets: false, nowMs: 0 });
  log.append(batch(2, { baseOffset: 10, epoch: 4 }), { assignOffsets: false, nowMs: 0 });
  t.is(log.logEndOffset, 12);
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 2, startOffset: 0 }, { epoch: 4, startOffset: 10 }]);
  // Kafka's UnexpectedAppendOffsetException: the first batch starts below the log end.
  const below = t.throws(() => log.append(batch(1, { baseOffset: 11 }), { assignOffsets: false, nowMs: 0 }), { instanceOf: LogAppendError });
  t.is(below?.code, 'UNEXPECTED_APPEND_OFFSET');
  // Kafka's OffsetsOutOfOrderException: a later batch of the same append does not rise.
  const both = new Uint8Array([...batch(2, { baseOffset: 12 }), ...batch(1, { baseOffset: 13 })]);
  const unordered = t.throws(() => log.append(both, { assignOffsets: false, nowMs: 0 }), { instanceOf: LogAppendError });
  t.is(unordered?.code, 'OFFSET_OUT_OF_ORDER');
  t.is(log.logEndOffset, 12);
});

test('a follower refuses a batch whose leader epoch is negative or above the epoch it fetched under', (t) => {
  const w = world();
  const log = openLog(w);
  log.append(batch(2, { baseOffset: 0, epoch: 3 }), { assignOffsets: false, nowMs: 0, leaderEpochAtMost: 3 });
  // Bit 31 of partitionLeaderEpoch flipped: the field lies outside the CRC, so only this check sees it.
  for (const epoch of [-2147483648 + 3, 4]) {
    const error = t.throws(() => log.append(batch(1, { baseOffset: 2, epoch }), { assignOffsets: false, nowMs: 0, leaderEpochAtMost: 3 }), { instanceOf: LogAppendError });
    t.is(error?.code, 'CORRUPT_MESSAGE');
    t.regex(error?.message ?? '', /outside \[0, 3\]/);
  }
  t.is(log.logEndOffset, 2);
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 3, startOffset: 0 }]);
});

test('a truncation to the log end removes no record but cuts an empty leader epoch at the end from the cache', (t) => {
  const w = world();
  const log = openLog(w);
  log.append(batch(2, { baseOffset: 0, epoch: 1 }), { assignOffsets: false, nowMs: 0 });
  log.assignEpochStartOffset(2); // became leader in epoch 2 at offset 2, then lost leadership with nothing appended
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 2 }]);
  t.false(log.truncateTo(2, 0));
  t.is(log.logEndOffset, 2);
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 1, startOffset: 0 }]);
});

test('a corrupt or oversized batch is refused and the log stays as it was', (t) => {
  const w = world();
  const log = openLog(w, { 'max.message.bytes': 200 });
  const corrupt = batch(2);
  corrupt[corrupt.length - 1] ^= 0xff;
  t.is(t.throws(() => appendLeader(log, corrupt), { instanceOf: LogAppendError })?.code, 'CORRUPT_MESSAGE');
  const torn = batch(2).subarray(0, 40);
  t.is(t.throws(() => appendLeader(log, torn), { instanceOf: LogAppendError })?.code, 'CORRUPT_MESSAGE');
  t.is(t.throws(() => appendLeader(log, batch(2, { valueBytes: 300 })), { instanceOf: LogAppendError })?.code, 'MESSAGE_TOO_LARGE');
  t.is(t.throws(() => appendLeader(log, new Uint8Array(0)), { instanceOf: LogAppendError })?.code, 'INVALID_RECORD');
  t.is(log.logEndOffset, 0);
  t.is(log.activeSegment.sizeBytes, 0);
});

test('a leader append with an epoch older than the log’s latest is fenced', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(1), 0, 5);
  t.is(t.throws(() => appendLeader(log, batch(1), 0, 4), { instanceOf: LogAppendError })?.code, 'FENCED_LEADER_EPOCH');
});

test('the active segment rolls before it would pass segment.bytes, named by its base offset', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 500 });
  const size = batch(3).length;
  for (let i = 0; i < 10; i++) appendLeader(log, batch(3));
  const perSegment = Math.floor(500 / size);
  t.is(log.segments.length, Math.ceil(10 / perSegment));
  t.true(log.segments.every((segment) => segment.sizeBytes <= 500));
  t.deepEqual(log.segments.map((s) => s.baseOffset), log.segments.map((_, i) => i * perSegment * 3));
  t.deepEqual(segmentFiles(w.disk.list(PARTITION_DIR)), log.segments.map((s) => `${String(s.baseOffset).padStart(20, '0')}.log`));
  t.deepEqual(offsetsOf(readAll(log)), Array.from({ length: 30 }, (_, i) => i));
});

test('the active segment rolls once its first batch is segment.ms older than the new one', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.ms': 1000 });
  appendLeader(log, batch(1, { timestamp: 10_000 }));
  appendLeader(log, batch(1, { timestamp: 10_900 }));
  t.is(log.segments.length, 1);
  appendLeader(log, batch(1, { timestamp: 11_001 }));
  t.deepEqual(log.segments.map((s) => s.baseOffset), [0, 2]);
});

test('the active segment rolls when its offset index is full', (t) => {
  const w = world();
  // 24 bytes: 3 offset entries; the time index gets one (all batches share a timestamp) of its 2.
  const log = openLog(w, { 'segment.index.bytes': 24, 'index.interval.bytes': 0 });
  for (let i = 0; i < 5; i++) appendLeader(log, batch(1));
  t.is(log.segments[0].offsetIndex.entries, 3);
  t.deepEqual(log.segments.map((s) => s.baseOffset), [0, 4]);
});

test('an index entry is added every index.interval.bytes of batches', (t) => {
  const w = world();
  const log = openLog(w, { 'index.interval.bytes': 200 });
  const size = batch(2).length;
  for (let i = 0; i < 20; i++) appendLeader(log, batch(2));
  const index = log.activeSegment.offsetIndex;
  t.true(index.entries >= Math.floor((20 * size) / (200 + size)) && index.entries <= Math.ceil((20 * size) / 200));
  for (let i = 0; i < index.entries; i++) {
    const entry = index.entry(i);
    const header = readBatchHeader(w.disk.read(log.activeSegment.logPath, entry.position, size), 0);
    t.is(header.lastOffset, entry.offset, 'an entry maps a batch’s last offset to its position');
  }
});

test('a read returns whole batches from the one holding the start offset, within maxBytes', (t) => {
  const w = world();
  const log = openLog(w, { 'index.interval.bytes': 100 });
  for (let i = 0; i < 20; i++) appendLeader(log, batch(3));
  const size = batch(3).length;
  const fromMiddle = log.read(31, 2 * size);
  t.is(fromMiddle.bytes.length, 2 * size);
  t.is(decodeBatch(fromMiddle.bytes, 0).baseOffset, 30);
  t.is(fromMiddle.nextOffset, 36);
  t.is(log.read(31, 2 * size + size - 1).bytes.length, 2 * size, 'a batch that does not fit whole is left out');
  t.is(log.read(30, 10).bytes.length, size, 'minOneBatch (the default) returns the first batch even if larger');
  t.is(log.read(30, 10, { minOneBatch: false }).bytes.length, 0);
  t.is(log.read(0, 1 << 20, { maxOffset: 9 }).nextOffset, 9, 'maxOffset (a high watermark) stops before a batch at or past it');
  t.is(log.read(0, 1 << 20, { maxOffset: 8 }).nextOffset, 6);
  t.deepEqual(log.read(60, 100), { bytes: new Uint8Array(0), nextOffset: 60 }, 'at the log end: nothing');
});

test('a read outside the log is OffsetOutOfRangeError', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(3));
  const error = t.throws(() => log.read(4, 100), { instanceOf: OffsetOutOfRangeError });
  t.deepEqual([error?.logStartOffset, error?.logEndOffset], [0, 3]);
  t.throws(() => log.read(-1, 100), { instanceOf: OffsetOutOfRangeError });
});

test('a read crosses to the next segment when a segment has nothing at the start offset', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300 });
  for (let i = 0; i < 6; i++) appendLeader(log, batch(2));
  for (const segment of log.segments) {
    const read = log.read(segment.baseOffset, 1 << 20);
    t.is(decodeBatch(read.bytes, 0).baseOffset, segment.baseOffset);
  }
});

test('offsetForTimestamp finds the first record at or after a timestamp through the time index', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 400, 'index.interval.bytes': 50 });
  for (let i = 0; i < 10; i++) appendLeader(log, batch(2, { timestamps: [1000 + i * 100, 1050 + i * 100] }));
  t.true(log.segments.length > 2);
  t.deepEqual(log.offsetForTimestamp(1000), { timestamp: 1000, offset: 0 });
  t.deepEqual(log.offsetForTimestamp(1001), { timestamp: 1050, offset: 1 });
  t.deepEqual(log.offsetForTimestamp(1420), { timestamp: 1450, offset: 9 });
  t.deepEqual(log.offsetForTimestamp(1500), { timestamp: 1500, offset: 10 });
  t.is(log.offsetForTimestamp(5000), undefined);
  t.deepEqual(log.offsetForTimestamp(LATEST_TIMESTAMP), { timestamp: -1, offset: 20 });
  t.deepEqual(log.offsetForTimestamp(EARLIEST_TIMESTAMP), { timestamp: -1, offset: 0 });
});

test('truncateTo removes the batches at and above the offset, with their index entries, segments and epochs', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300, 'index.interval.bytes': 0 });
  for (let i = 0; i < 8; i++) appendLeader(log, batch(2), 0, i < 4 ? 1 : 2);
  const segmentsBefore = log.segments.length;
  t.true(log.truncateTo(7, 0));
  t.is(log.logEndOffset, 6, 'the batch holding offset 7 starts at 6 and goes whole');
  t.deepEqual(offsetsOf(readAll(log)), [0, 1, 2, 3, 4, 5]);
  t.true(log.segments.length < segmentsBefore);
  t.true(log.segments.every((segment) => segment.offsetIndex.entries === 0 || segment.offsetIndex.lastEntry().offset < 6));
  t.deepEqual(log.leaderEpochCache.epochEntries(), [{ epoch: 1, startOffset: 0 }]);
  t.false(log.truncateTo(6, 0), 'nothing at or above the log end');
  appendLeader(log, batch(1), 0, 3);
  t.deepEqual(offsetsOf(readAll(log)), [0, 1, 2, 3, 4, 5, 6]);
});

test('truncateFullyAndStartAt empties the log and restarts it at an offset', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300 });
  for (let i = 0; i < 6; i++) appendLeader(log, batch(2), 0, 1);
  log.truncateFullyAndStartAt(500, 0);
  t.deepEqual([log.logStartOffset, log.logEndOffset, log.recoveryPoint, log.segments.length], [500, 500, 500, 1]);
  t.deepEqual(log.leaderEpochCache.epochEntries(), []);
  log.append(batch(2, { baseOffset: 500, epoch: 3 }), { assignOffsets: false, nowMs: 0 });
  t.deepEqual(offsetsOf(readAll(log)), [500, 501]);
});

test('retention.ms deletes the oldest segments by their newest timestamp, never the active one', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300, 'retention.ms': 1000, 'file.delete.delay.ms': 0 });
  for (let i = 0; i < 9; i++) appendLeader(log, batch(2, { timestamp: i * 1000 }));
  const bases = log.segments.map((s) => s.baseOffset);
  t.true(bases.length >= 3);
  t.is(log.deleteOldSegments(3500), 1, 'only the first segment’s newest record is over 1 s old');
  t.is(log.logStartOffset, bases[1]);
  t.is(log.deleteOldSegments(100_000), bases.length - 2);
  t.is(log.segments.length, 1);
  t.is(log.logStartOffset, log.activeSegment.baseOffset);
  t.deepEqual(segmentFiles(w.disk.list(PARTITION_DIR)), [`${String(log.activeSegment.baseOffset).padStart(20, '0')}.log`]);
});

test('retention.bytes deletes the oldest segments while what remains stays at or above the limit', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300, 'retention.bytes': 600 });
  for (let i = 0; i < 12; i++) appendLeader(log, batch(2));
  const deleted = log.deleteOldSegments(0);
  t.true(deleted > 0);
  t.true(log.sizeBytes >= 600, 'Kafka deletes a segment only if the log stays at least retention.bytes');
  t.true(log.sizeBytes - log.segments[0].sizeBytes < 600, 'one more deletion would go below the limit');
  t.deepEqual(log.leaderEpochCache.earliestEntry(), { epoch: 0, startOffset: log.logStartOffset });
});

test('retention keeps segments at or above the high watermark', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300, 'retention.bytes': 0 });
  for (let i = 0; i < 12; i++) appendLeader(log, batch(2));
  const second = log.segments[1].baseOffset;
  t.is(log.deleteOldSegments(0, { highWatermark: second }), 1);
  t.is(log.logStartOffset, second);
});

test('a deleted segment waits file.delete.delay.ms as .deleted before its files go', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300, 'retention.bytes': 0, 'file.delete.delay.ms': 60_000 });
  for (let i = 0; i < 6; i++) appendLeader(log, batch(2));
  log.deleteOldSegments(1000);
  t.true(w.disk.list(PARTITION_DIR).some((name) => name.endsWith('.log.deleted')));
  log.purgeDeletedFiles(60_999);
  t.true(w.disk.list(PARTITION_DIR).some((name) => name.endsWith('.log.deleted')));
  log.purgeDeletedFiles(61_000);
  t.false(w.disk.list(PARTITION_DIR).some((name) => name.endsWith('.deleted')));
});

test('flush fsyncs and then moves the recovery point to the log end', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(3));
  let done = false;
  log.flush(() => {
    done = true;
  });
  t.false(done, 'fsync completes later, as a disk event');
  t.is(log.recoveryPoint, 0);
  settle(w);
  t.true(done);
  t.is(log.recoveryPoint, 3);
  t.deepEqual(w.disk.durableContent(log.activeSegment.logPath)?.length, log.activeSegment.sizeBytes);
});

test('a roll flushes the older segments in the background, as Kafka does', (t) => {
  const w = world();
  const log = openLog(w, { 'segment.bytes': 300 });
  for (let i = 0; i < 6; i++) appendLeader(log, batch(2));
  settle(w);
  t.is(log.recoveryPoint, log.activeSegment.baseOffset);
});

test('flush.messages=1 fsyncs after every append', (t) => {
  const w = world();
  const log = openLog(w, { 'flush.messages': 1 });
  appendLeader(log, batch(2));
  settle(w);
  t.is(log.recoveryPoint, 2);
  appendLeader(log, batch(2));
  settle(w);
  t.is(log.recoveryPoint, 4);
});

test('a flush issued before a truncation does not move the recovery point past the new end', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(2));
  appendLeader(log, batch(2));
  let flushed = false;
  log.flush(() => {
    flushed = true;
  });
  log.truncateTo(2, 0);
  settle(w);
  t.true(flushed);
  t.is(log.logEndOffset, 2);
  t.is(log.recoveryPoint, 2, 'not 4: what the flush covered above 2 is gone');
});

test('the leader epoch checkpoint is written in Kafka’s format', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(2), 0, 1);
  appendLeader(log, batch(2), 0, 4);
  settle(w);
  const text = new TextDecoder().decode(w.disk.durableContent(`${PARTITION_DIR}/leader-epoch-checkpoint`));
  t.is(text, '0\n2\n1 0\n4 2\n');
  t.deepEqual(log.endOffsetForEpoch(1), { epoch: 1, endOffset: 2 });
});

test('a closed log refuses further use', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(2));
  let closed = false;
  log.close(0, () => {
    closed = true;
  });
  settle(w);
  t.true(closed);
  t.is(log.recoveryPoint, 2);
  t.throws(() => appendLeader(log, batch(1)), { instanceOf: LogNotAvailableError });
});

test('a disk error during an append takes the log offline', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(2));
  const fault = w.disk.failIo({ operations: ['write'] });
  t.throws(() => appendLeader(log, batch(2)), { name: 'DiskError' });
  fault.clear();
  t.throws(() => appendLeader(log, batch(2)), { instanceOf: LogNotAvailableError });
});

test('a failed read takes the log offline and tells the listener, as a failed write does', (t) => {
  const w = world();
  const errors: string[] = [];
  const log = openLog(w, {}, { listener: { diskError: (_log, error) => errors.push(error.code) } });
  appendLeader(log, batch(3));
  const fault = w.disk.failIo({ operations: ['read'] });
  t.throws(() => log.read(0, 1 << 20), { name: 'DiskError' });
  fault.clear();
  t.deepEqual(errors, ['EIO']);
  t.throws(() => log.read(0, 1 << 20), { instanceOf: LogNotAvailableError }, 'offline until the broker restarts');
});

test('a failed fsync leaves the recovery point where it was and tells the caller', (t) => {
  const w = world();
  const errors: string[] = [];
  const log = openLog(w, {}, { listener: { diskError: (_log, error) => errors.push(error.code) } });
  settle(w);
  appendLeader(log, batch(2));
  const fault = w.disk.failIo({ operations: ['fsync'] });
  let outcome: string | undefined;
  log.flush((error) => {
    outcome = error?.code ?? 'ok';
  });
  settle(w);
  fault.clear();
  t.is(outcome, 'EIO');
  t.is(log.recoveryPoint, 0);
  t.true(errors.includes('EIO'));
});

import test from 'ava';
import { readBatchHeader } from '../../engine/records/batch-header.ts';
import { parseLogConfig } from '../../engine/log/log-config.ts';
import type { LogConfigInput } from '../../engine/log/log-config.ts';
import { LogManager, parseRecoveryPointCheckpoint } from '../../engine/log/log-manager.ts';
import { LOG_DIR, PARTITION_DIR, appendLeader, batch, offsetsOf, openLog, readAll, settle, world } from './log-fixtures.ts';
import type { World } from './log-fixtures.ts';

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const smallSegments = { 'segment.bytes': 400, 'index.interval.bytes': 100 } as const;

function manager(w: World, input: LogConfigInput = smallSegments): LogManager {
  return LogManager.open(w.disk, LOG_DIR, w.scheduler.now(), { configFor: () => parseLogConfig(input) });
}

function shutdown(w: World, m: LogManager): void {
  let finished = false;
  m.shutdown(w.scheduler.now(), (error) => {
    if (error !== undefined) throw error;
    finished = true;
  });
  settle(w);
  if (!finished) throw new Error('shutdown did not finish');
}

test('after a clean shutdown the logs load without re-reading a segment', (t) => {
  const w = world();
  const m = manager(w);
  const log = m.getOrCreateLog('orders', 0, 0);
  for (let i = 0; i < 10; i++) appendLeader(log, batch(3), 0, 2);
  shutdown(w, m);
  t.true(w.disk.exists(`${LOG_DIR}/.kafka_cleanshutdown`));
  t.is(text(w.disk.durableContent(`${LOG_DIR}/recovery-point-offset-checkpoint`)), '0\n1\norders 0 30\n');

  const reopened = manager(w);
  t.true(reopened.loadReport.cleanShutdown);
  t.false(w.disk.exists(`${LOG_DIR}/.kafka_cleanshutdown`), 'the marker goes once the logs are loaded');
  const again = reopened.getLog('orders', 0);
  t.deepEqual(again?.recovery.segmentsRecovered, []);
  t.is(again?.logEndOffset, 30);
  t.is(again?.recoveryPoint, 30);
  t.deepEqual(offsetsOf(readAll(again!)), Array.from({ length: 30 }, (_, i) => i));
  t.deepEqual(again?.leaderEpochCache.epochEntries(), [{ epoch: 2, startOffset: 0 }]);
});

test('after a process crash the segments from the recovery point on are re-read and nothing is lost', (t) => {
  const w = world();
  const m = manager(w);
  const log = m.getOrCreateLog('orders', 0, 0);
  for (let i = 0; i < 10; i++) appendLeader(log, batch(3));
  settle(w); // the roll flushes move the recovery point to the active segment
  m.checkpointRecoveryPoints();
  settle(w);
  appendLeader(log, batch(3));
  const recoveryPoint = log.recoveryPoint;
  w.disk.crashProcess();

  const again = manager(w).getLog('orders', 0)!;
  t.false(again.recovery.cleanShutdown);
  t.is(again.recovery.recoveryPoint, recoveryPoint);
  t.true(again.recovery.segmentsRecovered.length > 0);
  t.true(again.recovery.segmentsRecovered.every((base) => base >= again.segments[again.segments.length - 2].baseOffset));
  t.is(again.logEndOffset, 33);
  t.is(again.recovery.truncatedBytes, 0);
});

test('a torn tail is cut at the last whole batch at recovery', (t) => {
  const w = world();
  const log = openLog(w);
  for (let i = 0; i < 3; i++) appendLeader(log, batch(3));
  const whole = log.activeSegment.sizeBytes;
  w.disk.append(log.activeSegment.logPath, batch(3).subarray(0, 40)); // what a power loss mid-write leaves
  w.disk.crashProcess();

  const again = openLog(w);
  t.is(again.recovery.truncatedBytes, 40);
  t.regex(again.recovery.corruption ?? '', /TRUNCATED_BATCH/);
  t.is(again.activeSegment.sizeBytes, whole);
  t.is(w.disk.size(again.activeSegment.logPath), whole);
  t.is(again.logEndOffset, 9);
});

test('a power loss keeps every flushed batch and recovers a CRC-valid prefix', (t) => {
  let tornSeen = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const w = world(seed);
    const config = { 'segment.bytes': 100_000, 'index.interval.bytes': 100 } as const;
    const log = openLog(w, config);
    for (let i = 0; i < 6; i++) appendLeader(log, batch(4, { valueBytes: 50 }));
    log.flush();
    settle(w);
    const flushedEnd = log.logEndOffset;
    for (let i = 0; i < 6; i++) appendLeader(log, batch(4, { valueBytes: 50 }));
    w.disk.powerLoss();
    const again = openLog(w, config, { recoveryPoint: flushedEnd });
    if (again.recovery.truncatedBytes > 0) tornSeen++;
    t.true(again.logEndOffset >= flushedEnd, `seed ${seed}: flushed offsets survive`);
    t.deepEqual(offsetsOf(readAll(again)), Array.from({ length: again.logEndOffset }, (_, i) => i));
  }
  t.true(tornSeen > 0, 'some power losses tore the last write');
});

test('a corrupt batch in the middle cuts the log there and deletes the later segments', (t) => {
  const w = world();
  const log = openLog(w, smallSegments);
  for (let i = 0; i < 12; i++) appendLeader(log, batch(3));
  t.true(log.segments.length >= 4);
  const victim = log.segments[1];
  const secondBatch = readBatchHeader(w.disk.read(victim.logPath, 0, 1000), 0).sizeBytes;
  const at = secondBatch + 70; // inside the second batch's records
  const byte = w.disk.read(victim.logPath, at, 1);
  w.disk.write(victim.logPath, at, new Uint8Array([byte[0] ^ 0x40]));
  const later = log.segments.slice(2).map((s) => s.baseOffset);
  w.disk.crashProcess();

  const again = openLog(w, smallSegments);
  t.regex(again.recovery.corruption ?? '', /CRC_MISMATCH/);
  t.deepEqual(again.recovery.segmentsDeleted, later);
  t.is(again.segments.length, 2);
  t.is(again.activeSegment.sizeBytes, secondBatch);
  t.is(again.logEndOffset, victim.baseOffset + 3);
  t.deepEqual(offsetsOf(readAll(again)), Array.from({ length: again.logEndOffset }, (_, i) => i));
  for (const base of later) t.false(w.disk.exists(`${PARTITION_DIR}/${String(base).padStart(20, '0')}.log`));
});

test('segments wholly below the recovery point are trusted, not re-read', (t) => {
  const w = world();
  const log = openLog(w, smallSegments);
  for (let i = 0; i < 12; i++) appendLeader(log, batch(3));
  settle(w);
  const recoveryPoint = log.recoveryPoint;
  w.disk.crashProcess();
  const again = openLog(w, smallSegments, { recoveryPoint });
  const trusted = again.segments.filter((s) => s.baseOffset < again.activeSegment.baseOffset).map((s) => s.baseOffset);
  t.true(trusted.length > 0);
  t.deepEqual(again.recovery.segmentsRecovered, [again.activeSegment.baseOffset]);
});

test('a missing or corrupt index file is rebuilt from its segment', (t) => {
  const w = world();
  const log = openLog(w, smallSegments);
  for (let i = 0; i < 12; i++) appendLeader(log, batch(3));
  settle(w);
  const recoveryPoint = log.recoveryPoint;
  const [first, second] = log.segments;
  const entries = first.offsetIndex.entries;
  w.disk.delete(first.indexPath);
  w.disk.append(second.timeIndexPath, new Uint8Array(5));
  w.disk.crashProcess();

  const again = openLog(w, smallSegments, { recoveryPoint });
  t.deepEqual(again.recovery.indexesRebuilt, [first.baseOffset, second.baseOffset]);
  t.is(again.segments[0].offsetIndex.entries, entries);
  t.is(w.disk.size(again.segments[1].timeIndexPath) % 12, 0);
  t.deepEqual(offsetsOf(readAll(again)), Array.from({ length: 36 }, (_, i) => i));
});

test('stray files of interrupted work are removed at load', (t) => {
  const w = world();
  const log = openLog(w);
  appendLeader(log, batch(3));
  settle(w);
  for (const name of ['00000000000000000000.log.deleted', '00000000000000000007.index.cleaned', '00000000000000000009.log.swap', 'leader-epoch-checkpoint.tmp', '00000000000000000050.timeindex']) {
    w.disk.create(`${PARTITION_DIR}/${name}`);
  }
  w.disk.crashProcess();
  const again = openLog(w);
  t.is(again.recovery.strayFilesDeleted.length, 5, 'including an index whose .log is gone');
  settle(w);
  t.deepEqual(w.disk.list(PARTITION_DIR), ['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex', 'leader-epoch-checkpoint']);
});

test('recovery rebuilds leader epochs from the batches it re-reads', (t) => {
  const w = world();
  const log = openLog(w, smallSegments);
  for (let epoch = 0; epoch < 4; epoch++) appendLeader(log, batch(3), 0, epoch * 2);
  settle(w);
  const expected = log.leaderEpochCache.epochEntries();
  w.disk.delete(`${PARTITION_DIR}/leader-epoch-checkpoint`);
  w.disk.crashProcess();
  const again = openLog(w, smallSegments, { recoveryPoint: 12 });
  t.is(again.recovery.epochCheckpoint, 'missing');
  t.deepEqual(again.recovery.segmentsRecovered, again.segments.map((s) => s.baseOffset), 'no checkpoint: every segment is re-read');
  t.deepEqual(again.leaderEpochCache.epochEntries(), expected);
});

test('after a clean shutdown, batches past the recovery point are checked, not trusted', (t) => {
  const w = world();
  const log = openLog(w);
  for (let i = 0; i < 3; i++) appendLeader(log, batch(3));
  const path = log.activeSegment.logPath;
  w.disk.append(path, batch(3).subarray(0, 30));
  const again = openLog(w, {}, { cleanShutdown: true, recoveryPoint: 9 });
  t.is(again.recovery.truncatedBytes, 30);
  t.is(again.logEndOffset, 9);
});

test('the recovery-point checkpoint is Kafka’s text format, one line per partition', (t) => {
  const w = world();
  const m = manager(w);
  const orders = m.getOrCreateLog('orders', 0, 0);
  const audit = m.getOrCreateLog('audit-log', 3, 0);
  appendLeader(orders, batch(4));
  appendLeader(audit, batch(2));
  orders.flush();
  audit.flush();
  settle(w);
  m.checkpointRecoveryPoints();
  settle(w);
  const content = text(w.disk.durableContent(`${LOG_DIR}/recovery-point-offset-checkpoint`));
  t.is(content, '0\n2\naudit-log 3 2\norders 0 4\n');
  t.deepEqual([...parseRecoveryPointCheckpoint(content, 'f')], [['audit-log 3', 2], ['orders 0', 4]]);
});

test('a truncation below the recovery point deletes the checkpoint at once and continues in a new segment', (t) => {
  const w = world();
  const m = manager(w, { 'segment.bytes': 100_000, 'index.interval.bytes': 100 });
  const log = m.getOrCreateLog('orders', 0, 0);
  for (let i = 0; i < 6; i++) appendLeader(log, batch(3));
  log.flush();
  settle(w);
  m.checkpointRecoveryPoints();
  settle(w);
  t.true(w.disk.exists(`${LOG_DIR}/recovery-point-offset-checkpoint`));
  log.truncateTo(9, 0);
  t.false(w.disk.exists(`${LOG_DIR}/recovery-point-offset-checkpoint`), 'deleted before any segment file changed');
  t.deepEqual(log.segments.map((s) => s.baseOffset), [0, 9]);
  t.is(log.recoveryPoint, 0, 'the cut segment is re-read if the process dies now');
  settle(w);
  t.is(text(w.disk.durableContent(`${LOG_DIR}/recovery-point-offset-checkpoint`)), '0\n1\norders 0 0\n', 'rewritten at once');
  t.is(log.recoveryPoint, 9, 'the roll flushed the cut segment');
});

test('a missing or malformed recovery-point checkpoint makes every log recover from offset 0', (t) => {
  const w = world();
  const m = manager(w);
  appendLeader(m.getOrCreateLog('orders', 0, 0), batch(3));
  settle(w);
  w.disk.create(`${LOG_DIR}/recovery-point-offset-checkpoint`);
  w.disk.write(`${LOG_DIR}/recovery-point-offset-checkpoint`, 0, new TextEncoder().encode('0\n3\norders 0'));
  w.disk.crashProcess();
  const again = manager(w);
  t.is(again.loadReport.recoveryPointCheckpoint, 'malformed');
  t.is(again.getLog('orders', 0)?.recovery.recoveryPoint, 0);
  t.is(again.getLog('orders', 0)?.logEndOffset, 3);
});

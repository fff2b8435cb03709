import test from 'ava';
import {
  indexFileName, logFileName, offsetFileStem, parsePartitionDirName, parseSegmentFileName, partitionDirName, timeIndexFileName,
} from '../../engine/log/file-names.ts';

test('segment files are named by their base offset, zero padded to 20 digits', (t) => {
  t.is(offsetFileStem(0), '00000000000000000000');
  t.is(logFileName(42), '00000000000000000042.log');
  t.is(indexFileName(1234567), '00000000000001234567.index');
  t.is(timeIndexFileName(9007199254740991), '00009007199254740991.timeindex');
});

test('segment file names parse back, with the suffix of a file on its way out', (t) => {
  t.deepEqual(parseSegmentFileName('00000000000000000042.log'), { baseOffset: 42, kind: 'log', pendingSuffix: '' });
  t.deepEqual(parseSegmentFileName('00000000000000000042.timeindex.deleted'), { baseOffset: 42, kind: 'timeindex', pendingSuffix: '.deleted' });
  t.deepEqual(parseSegmentFileName('00000000000000000007.index.swap'), { baseOffset: 7, kind: 'index', pendingSuffix: '.swap' });
  t.is(parseSegmentFileName('leader-epoch-checkpoint'), undefined);
  t.is(parseSegmentFileName('42.log'), undefined);
  t.is(parseSegmentFileName('00000000000000000042.snapshot'), undefined);
});

test('a partition directory is topic-partition, and a topic may contain dashes', (t) => {
  t.is(partitionDirName('orders', 3), 'orders-3');
  t.deepEqual(parsePartitionDirName('orders-3'), { topic: 'orders', partition: 3 });
  t.deepEqual(parsePartitionDirName('audit-log-12'), { topic: 'audit-log', partition: 12 });
  t.is(parsePartitionDirName('recovery-point-offset-checkpoint'), undefined);
  t.is(parsePartitionDirName('-3'), undefined);
});

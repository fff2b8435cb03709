import test from 'ava';
import { CONFIG_KINDS } from '../../engine/config/definition.ts';
import { describeConfig, formatValue } from '../../engine/config/describe.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import { CONFIG_KEYS } from '../../engine/config/registry.ts';

test('describeConfig lists every key with its default, what it allows and a one-line doc', (t) => {
  for (const kind of CONFIG_KINDS) {
    const rows = describeConfig(kind);
    t.deepEqual(rows.map((row) => row.key), Object.keys(CONFIG_KEYS[kind]));
    for (const row of rows) {
      t.true(row.doc.length > 10 && !row.doc.includes('\n'), `${kind} ${row.key} has a one-line doc`);
      t.true(row.allowed.length > 0);
    }
  }
  const linger = describeConfig('producer').find((row) => row.key === 'linger.ms')!;
  t.like(linger, { type: 'long', defaultText: '5', allowed: 'a long in [0,...]' });
  t.regex(linger.note!, /Kafka 4\.0 changed the default from 0 to 5/);
  t.like(describeConfig('broker').find((row) => row.key === 'node.id'), { defaultText: '(required)' });
  t.like(describeConfig('topic').find((row) => row.key === 'flush.ms'),
    { defaultText: '9223372036854775807', brokerKey: 'log.flush.interval.ms' });
  t.like(describeConfig('broker').find((row) => row.key === 'replication.truncation'),
    { tributaryOnly: true, allowed: 'one of [leader-epoch, high-watermark]' });
});

test('describeConfig of a parsed config shows each value and where it came from', (t) => {
  const broker = parseConfig('broker', { 'node.id': 1, 'process.roles': 'broker,controller',
    'controller.quorum.voters': '1@b-1:9093', 'log.message.timestamp.after.max.ms': 60_000 });
  const topic = parseConfig('topic', { 'retention.ms': -1 }, broker);
  const rows = describeConfig('topic', topic);
  t.like(rows.find((row) => row.key === 'retention.ms'), { valueText: '-1', source: 'override' });
  t.like(rows.find((row) => row.key === 'message.timestamp.after.max.ms'), { valueText: '60000', source: 'broker' });
  t.like(rows.find((row) => row.key === 'cleanup.policy'), { valueText: 'delete', source: 'default' });
  t.like(rows.find((row) => row.key === 'segment.bytes'), { valueText: '1073741824', source: 'default' });
  t.throws(() => describeConfig('broker', topic), { instanceOf: TypeError });
  t.is(formatValue(null), 'null');
});

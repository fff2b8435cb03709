import test from 'ava';
import { RandomStreams } from '../../sim/random.ts';
import { crc32c } from '../../engine/records/crc32c.ts';
import { crc32cTable } from '../../engine/records/crc32c-table.ts';

test('CRC-32C of "123456789" is the standard check value 0xe3069283', (t) => {
  const check = new TextEncoder().encode('123456789');
  t.is(crc32c(check), 0xe3069283);
  t.is(crc32cTable(check), 0xe3069283);
});

test('CRC-32C of nothing is 0', (t) => {
  t.is(crc32c(new Uint8Array(0)), 0);
  t.is(crc32cTable(new Uint8Array(0)), 0);
});

test('the native CRC-32C agrees with the table oracle on random buffers and offsets', (t) => {
  const random = new RandomStreams(11).stream('crc');
  const data = Uint8Array.from({ length: 70_000 }, () => random.int(0, 255));
  for (let i = 0; i < 300; i++) {
    const start = random.int(0, 1000);
    const view = data.subarray(start, start + random.int(0, 69_000));
    const native = crc32c(view);
    if (native !== crc32cTable(view)) {
      t.fail(`bytes ${start}+${view.length}: native 0x${native.toString(16)}, table 0x${crc32cTable(view).toString(16)}`);
      return;
    }
  }
  t.pass();
});

test('a CRC continues over a split buffer when given the first part as initial', (t) => {
  const data = new TextEncoder().encode('the quick brown fox jumps over the lazy dog');
  const whole = crc32c(data);
  t.is(crc32c(data.subarray(17), crc32c(data.subarray(0, 17))), whole);
  t.is(crc32cTable(data.subarray(17), crc32cTable(data.subarray(0, 17))), whole);
});

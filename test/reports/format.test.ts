import test from 'ava';
import { formatBytes, formatFixed, formatInt, formatMs, formatTime } from '../../reports/format.ts';
import { teachingHtml } from '../../reports/teaching.ts';
import { escapeHtml } from '../../reports/html.ts';

test('numbers are grouped by thousands without any locale', (t) => {
  t.is(formatInt(1234567), '1,234,567');
  t.is(formatInt(-1234), '-1,234');
  t.is(formatInt(999), '999');
  t.is(formatFixed(1234.56, 1), '1,234.6');
  t.is(formatFixed(-0.01, 1), '0.0', 'no negative zero');
  t.is(formatInt(NaN), '—');
});

test('times and latencies print with precision that suits their size', (t) => {
  t.is(formatTime(12_345), '12.345 s');
  t.is(formatTime(null), '—');
  t.is(formatMs(0.8449), '0.84 ms');
  t.is(formatMs(38.54), '38.5 ms');
  t.is(formatMs(1204.7), '1,205 ms');
  t.is(formatBytes(812), '812 B');
  t.is(formatBytes(19_480), '19.48 kB');
});

test('escaping covers every character that could open markup or close an attribute', (t) => {
  t.is(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('teaching text becomes paragraphs, lists and code, escaped', (t) => {
  t.is(teachingHtml('One\nline.\n\n- a <b>\n- `c`\n\n\n'), '<p>One line.</p>\n<ul><li>a &lt;b&gt;</li><li><code>c</code></li></ul>');
});

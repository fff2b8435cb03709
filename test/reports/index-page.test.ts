import test from 'ava';
import { renderIndex, type IndexEntry } from '../../reports/index.ts';
import { pageProblems } from './html-checks.ts';

const entries: IndexEntry[] = [
  { scenario: 'steady-load', summary: 'no faults', seed: 1, ok: true, why: 'no anomaly, as expected', href: 'steady-load/seed-1/report.html', anomalyCounts: {} },
  { scenario: 'acks-1-loss', summary: 'acks=1 & a crash <loses> data', seed: 3, ok: false, why: 'expected lost-write, which did not appear', href: 'acks-1-loss/seed-3/report.html?x=1&y=2', anomalyCounts: { 'poll-skip': 2 } },
];

test('the index links every report and shows its verdict and anomalies', (t) => {
  const html = renderIndex(entries, 'Tributary catalogue');
  t.true(html.includes('<a href="steady-load/seed-1/report.html">steady-load</a>'));
  t.true(html.includes('<a href="acks-1-loss/seed-3/report.html?x=1&amp;y=2">acks-1-loss</a>'));
  t.true(html.includes('acks=1 &amp; a crash &lt;loses&gt; data'));
  t.true(html.includes('poll-skip ×2'));
  t.true(html.includes('1 of 2 runs do not show what their scenarios expect'));
  t.true(html.includes('<title>Tributary catalogue</title>'));
  const problems = pageProblems(html);
  t.deepEqual(problems.external, []);
  t.is(problems.scripts, 0);
});

test('an index of passing runs says they all pass', (t) => {
  t.true(renderIndex([entries[0]!], 'All').includes('all 1 runs show what their scenarios expect'));
});

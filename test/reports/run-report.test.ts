import test from 'ava';
import type { RunResult } from '../../sim/result.ts';
import { renderRunReport } from '../../reports/index.ts';
import { FAULTS, LOST_MESSAGE, runResult, SKIP_MESSAGE } from './fixture.ts';
import { elementHtml, pageProblems, pageText } from './html-checks.ts';

const result = runResult();
const html = renderRunReport(result);

test('the same result renders to the same bytes, also after a trip through JSON', (t) => {
  t.is(renderRunReport(runResult()), html);
  t.is(renderRunReport(JSON.parse(JSON.stringify(result)) as RunResult), html);
});

test('the wall-clock time of the run does not reach the report', (t) => {
  const slower = { ...result, stats: { ...result.stats, wallMs: 123_456_789 } };
  t.is(renderRunReport(slower), html);
  t.false(html.includes('987'), 'stats.wallMs of the fixture (987) is printed somewhere');
});

test('the report is self-contained: nothing loaded from the network, no scripts', (t) => {
  const problems = pageProblems(html);
  t.deepEqual(problems.external, []);
  t.is(problems.scripts, 0);
  t.false(/<script/i.test(html));
  t.false(html.includes('src="http') || html.includes('href="http'));
});

test('ids are unique and every link inside the page has a target', (t) => {
  const problems = pageProblems(html);
  t.deepEqual(problems.duplicateIds, []);
  t.deepEqual(problems.brokenLinks, []);
});

test('the header shows the verdict, why, expectation, seed, trace hash and the reproduce command', (t) => {
  t.true(html.includes('<span class="verdict ok">ok</span>'));
  t.true(html.includes('shows lost-write, as expected'));
  t.true(html.includes('shows lost-write; may also show poll-skip'));
  t.true(html.includes('9f1c2a7be04d3311'));
  t.true(html.includes('<pre class="command"><code>npm run scenario -- leader-crash-under-acks-1 --seed 7 --set producer.acks=1</code></pre>'));
  const failed = renderRunReport({ ...result, ok: false, why: 'expected lost-write, which did not appear' });
  t.true(failed.includes('<span class="verdict bad">NOT OK</span>'));
  t.true(failed.includes('expected lost-write, which did not appear'));
});

test('every option and --set override is listed, overrides marked', (t) => {
  const text = pageText(html);
  for (const [key, value] of Object.entries(result.options)) t.true(text.includes(`${key}${key === 'producer.acks' ? ' set' : ''}${value}`), key);
  t.true(html.includes('<span class="pill set">set</span>'));
});

test('the teaching text is escaped, in paragraphs, with lists and code', (t) => {
  t.false(html.includes('<b>red</b>'));
  t.true(html.includes('Look for the &lt;b&gt;red&lt;/b&gt; marker &amp; the &quot;lost&quot; record'));
  t.true(html.includes('<li>the crash at 5 s</li>'));
  t.true(html.includes('<code>2</code>'));
  t.regex(html, /<div class="teaching">\n<p>When the leader/);
});

test('each fault kind is drawn and labelled on the fault timeline, with a lane per broker', (t) => {
  const timeline = elementHtml(html, 'chart-timeline');
  t.true(timeline.startsWith('<svg'));
  for (const fault of FAULTS) t.true(timeline.includes(`>${fault.kind}<`), fault.kind);
  for (const broker of ['broker-1', 'broker-2', 'broker-3']) t.true(timeline.includes(`>${broker}</text>`), broker);
  for (const phase of ['ready', 'heal', 'stop']) t.true(timeline.includes(`>${phase}</text>`), phase);
  t.true(timeline.includes('step 1: kill the leader of orders-0 (5 s)'), 'the step at ready (1 s) + 4 s');
});

test('each anomaly is explained with its message and records, and marked on the charts with its number', (t) => {
  t.true(html.includes(LOST_MESSAGE));
  t.true(html.includes(SKIP_MESSAGE.replace('<', '&lt;').replace('>', '&gt;')));
  const lost = elementHtml(html, 'anomaly-1');
  for (const cell of ['<code>p1-42</code>', '<code>p1-51</code>', 'final log', 'broker-2', '#311', '4.930 s', 'replacedBy']) t.true(lost.includes(cell), cell);
  t.true(elementHtml(html, 'anomaly-2').includes('poll-skip'));
  t.true(elementHtml(html, 'chart-timeline').includes('href="#anomaly-1"'));
  t.true(elementHtml(html, 'chart-timeline').includes('href="#anomaly-2"'));
  t.true(elementHtml(html, 'chart-partition-orders-0').includes('href="#anomaly-1"'));
  t.false(elementHtml(html, 'chart-partition-orders-0').includes('href="#anomaly-2"'), 'anomaly 2 is about orders-1');
  t.true(elementHtml(html, 'chart-partition-orders-1').includes('href="#anomaly-2"'));
});

test('the counts table lists every kind and says when fewer are listed than found', (t) => {
  const section = elementHtml(html, 'anomalies');
  t.true(section.includes('<td class="num">3</td><td class="num">1 listed</td><td>must show</td>'));
  for (const kind of ['duplicate', 'divergence', 'unavailable', 'hw-regression']) t.true(section.includes(`<code>${kind}</code>`), kind);
});

test('the charts are a partition chart per partition, throughput, latency and lag', (t) => {
  for (const id of ['chart-partition-orders-0', 'chart-partition-orders-1', 'chart-throughput', 'chart-latency', 'chart-lag']) {
    t.true(elementHtml(html, id).startsWith('<svg'), id);
  }
  const partition = elementHtml(html, 'chart-partition-orders-0');
  t.true(partition.includes('b1 e1') && partition.includes('b2 e2'), 'leaders labelled with their epochs');
  t.true(partition.includes('ISR short from'), 'the ISR shortfall is marked');
});

test('the figures table has produce counts and latency percentiles, formatted without locale', (t) => {
  const stats = elementHtml(html, 'stats');
  for (const figure of ['5,000', '4,870', '110', '4,860', '194.8 records/s', '19.48 kB/s', '1.25 ms', '38.5 ms', '410 ms', '1,205 ms', '123,456', '30.000 s']) {
    t.true(stats.includes(figure), figure);
  }
});

test('a big run (6 partitions x 3 replicas, 150 simulated seconds at 10 ms) renders fast and stays small', (t) => {
  const big = runResult({ partitions: 6, seconds: 150, stepMs: 10 });
  renderRunReport(big); // warm up
  const started = process.hrtime.bigint();
  const page = renderRunReport(big);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  t.log(`rendered in ${elapsedMs.toFixed(0)} ms, ${(page.length / 1024).toFixed(0)} KiB`);
  t.true(elapsedMs < 1500, `took ${elapsedMs} ms`);
  t.true(page.length < 1_000_000, `${page.length} bytes`);
  for (let p = 0; p < 6; p++) t.true(page.includes(`id="chart-partition-orders-${p}"`));
});

test('odd results still render: no partitions, an anomaly without a time, a fault never healed', (t) => {
  const odd = JSON.parse(JSON.stringify({
    ...result,
    anomalies: [{ ...result.anomalies[0]!, timeMs: Infinity, partition: -1 }],
    faults: [{ ...FAULTS[0]!, endMs: null }],
    steps: [],
    timeline: { ...result.timeline, partitions: [], ackedPerSec: [], produceLatencyMsP99: [], consumerLag: [] },
  })) as RunResult;
  const page = renderRunReport(odd);
  t.true(page.includes('The result has no partition timeline.'));
  t.true(page.includes('stroke-dasharray="3,2"'), 'the open fault is drawn dashed');
  t.true(page.includes('no data'));
  t.deepEqual(pageProblems(page).brokenLinks, []);
});

test('a checker that did not judge the run is shown as not judged, never as passed', (t) => {
  const why = 'the run ended at 21000 ms, before the availability window [20000, 80000] ms closed';
  const unjudged: RunResult = { ...result, ok: false, why: `no anomaly, as expected, but not judged: unavailable (${why})`, anomalies: [], anomalyCounts: {}, expected: 'no-anomalies', notJudged: [{ checker: 'unavailable', why }] };
  const page = renderRunReport(unjudged);
  const section = elementHtml(page, 'anomalies');
  t.false(section.includes('The checkers found no anomaly: every acknowledged record'), 'no claim that everything holds');
  t.true(section.includes('The checkers that judged this run found no anomaly; those listed as not judged could not tell'));
  t.true(elementHtml(page, 'not-judged').includes(`<li><code>unavailable</code>: ${why}</li>`));
  t.regex(section, /<tr class="not-judged"><td><code>unavailable<\/code><\/td><td class="num"><a class="pill unjudged" href="#not-judged">not judged<\/a><\/td>/);
  t.regex(section, /<tr class="zero"><td><code>lost-write<\/code><\/td><td class="num">0<\/td>/, 'a checker that judged still reads 0');
  t.true(page.includes('<th scope="row">not judged</th><td><a class="pill unjudged" href="#not-judged">not judged</a> <code>unavailable</code></td>'), 'the header lists it');
  t.deepEqual(pageProblems(page).brokenLinks, []);
  t.true(html.includes('<th scope="row">not judged</th><td><span class="meta">none: every checker judged the run</span></td>'), 'a fully judged run says so');
});

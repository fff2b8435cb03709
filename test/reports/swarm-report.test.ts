import test from 'ava';
import { renderSwarmReport } from '../../reports/index.ts';
import { swarmResult } from './fixture.ts';
import { elementHtml, pageProblems } from './html-checks.ts';

const swarm = swarmResult();
const html = renderSwarmReport(swarm);

test('every failing seed is listed with its reproduce command', (t) => {
  t.true(swarm.failing.length >= 5, 'the fixture has failing seeds');
  const failing = elementHtml(html, 'failing');
  for (const f of swarm.failing) {
    t.true(failing.includes(`<span id="seed-${f.seed}">${f.seed}</span>`), `seed ${f.seed}`);
    t.true(failing.includes(`<pre class="command"><code>${f.reproduce}</code></pre>`), f.reproduce);
  }
});

test('the first seed of each kind is shown with seeds-to-find and its reproduce command', (t) => {
  const first = elementHtml(html, 'first-by-kind');
  const lost = swarm.firstByKind['lost-write']!;
  t.true(first.includes(`<td>${lost.seed}</td><td>${swarm.seedsToFind['lost-write']}</td>`));
  t.true(first.includes(lost.reproduce));
  t.true(first.includes('<code>divergence</code>'));
});

test('the header gives the verdict, range, workers and speed', (t) => {
  t.true(html.includes('<span class="verdict bad">NOT OK</span>'));
  t.true(html.includes(swarm.why));
  t.true(html.includes('100 to 139 (40 seeds)'));
  t.true(html.includes('all of the range'));
  t.true(html.includes('12.5 s'));
  t.true(html.includes('3.2'), 'seeds per second');
});

test('the swarm page is self-contained, with a seed strip and two histograms', (t) => {
  const problems = pageProblems(html);
  t.deepEqual(problems.external, []);
  t.is(problems.scripts, 0);
  t.deepEqual(problems.duplicateIds, []);
  t.deepEqual(problems.brokenLinks, []);
  for (const id of ['chart-seeds', 'chart-acked', 'chart-simulated']) t.true(elementHtml(html, id).startsWith('<svg'), id);
  t.is(renderSwarmReport(swarmResult()), html);
});

test('a large swarm bins its seeds into columns and stays small', (t) => {
  const big = renderSwarmReport(swarmResult(5000, 1));
  const strip = elementHtml(big, 'chart-seeds');
  t.true(strip.includes('each column: 11 seeds'));
  t.true(strip.length < 400_000, `${strip.length} bytes`);
});

test('a swarm without failures or findings says so', (t) => {
  const clean = renderSwarmReport({ ...swarm, ok: true, why: 'no anomaly in 40 seeds', failing: [], firstByKind: {}, seedsToFind: {} });
  t.true(clean.includes('No seed failed.'));
  t.true(clean.includes('No seed showed any anomaly.'));
});

test('seeds a checker did not judge are counted in the header and never drawn as clean', (t) => {
  const seeds = swarm.seeds.map((s, i) => (i === 1 ? { ...s, ok: true, anomalies: {}, notJudged: ['unavailable' as const] } : s));
  const page = renderSwarmReport({ ...swarm, seeds, notJudged: { unavailable: 1 } });
  t.true(page.includes('<span class="pill unjudged">not judged</span> <code>unavailable</code> in 1 seed'));
  const strip = elementHtml(page, 'chart-seeds');
  t.true(strip.includes(`seed ${seeds[1]!.seed}: 0 failing, 0 with anomalies, 0 anomalies, 1 not fully judged`));
  t.true(strip.includes('fill="#8c959f"'), 'drawn in the not-judged colour');
  t.true(html.includes('<span class="meta">not recorded in this swarm.json</span>'), 'an older swarm.json says it did not record it');
});

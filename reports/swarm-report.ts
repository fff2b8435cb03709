// swarm.html: many seeds of one scenario. The verdict, the first seed that showed each anomaly kind, every
// failing seed with the command that reproduces it, and charts of outcomes and figures across the seeds.
// It shows wall-clock figures (seconds, seeds/s), so unlike a run report it is not byte-stable across runs.

import type { SwarmFinding, SwarmResult } from '../sim/result.ts';
import { histogramSvg } from './charts/histogram.ts';
import { OUTCOME_COLORS } from './charts/palette.ts';
import { seedStripSvg } from './charts/seed-strip.ts';
import { formatDuration, formatFixed, formatInt, formatSeconds, formatValue } from './format.ts';
import { code, commandBlock, escapeHtml, keyValueTable, page, table, verdictBadge } from './html.ts';
import { countsText, expectedText, kindsOf } from './kinds.ts';

/** "unavailable in 3 seeds, under-replicated in 1", "none", or "not recorded" for an older swarm.json. */
function notJudgedText(swarm: SwarmResult): string {
  if (swarm.notJudged === undefined) return '<span class="meta">not recorded in this swarm.json</span>';
  const entries = Object.entries(swarm.notJudged).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return '<span class="meta">none: every checker judged every seed</span>';
  return `<span class="pill unjudged">not judged</span> ${entries.map(([checker, n]) => `${code(checker)} in ${escapeHtml(formatInt(n!))} ${n === 1 ? 'seed' : 'seeds'}`).join(', ')}`;
}

function rangeText(swarm: SwarmResult): string {
  const last = swarm.range.from + swarm.range.count - 1;
  return swarm.range.count <= 0 ? 'none' : `${swarm.range.from} to ${last} (${formatInt(swarm.range.count)} seeds)`;
}

function shardsText(swarm: SwarmResult): string {
  return swarm.shards.length === 0 ? 'all of the range' : swarm.shards.map((s) => `${s.k}/${s.n}`).join(', ');
}

function headerHtml(swarm: SwarmResult): string {
  const setText = Object.entries(swarm.set).map(([k, v]) => `${k}=${v}`).join(' ');
  const facts: Array<[string, string]> = [
    ['source', code(swarm.source)],
    ['mode', escapeHtml(swarm.mode)],
    ['seeds run', escapeHtml(formatInt(swarm.seedsRun))],
    ['seed range', escapeHtml(rangeText(swarm))],
    ['shards', escapeHtml(shardsText(swarm))],
    ['workers', escapeHtml(formatInt(swarm.workers))],
    ['wall time', escapeHtml(formatSeconds(swarm.wallSeconds))],
    ['seeds per second', escapeHtml(formatFixed(swarm.seedsPerSec, swarm.seedsPerSec < 10 ? 2 : 1))],
    ['expected', escapeHtml(expectedText(swarm.expected))],
    ['not judged', notJudgedText(swarm)],
    ['--set', setText ? code(setText) : '<span class="meta">none</span>'],
    ['simulated in total', escapeHtml(`${formatDuration(swarm.totals.simulatedMs)}, ${formatInt(swarm.totals.events)} events, ${formatInt(swarm.totals.acked)} records acknowledged, ${formatInt(swarm.totals.faults)} faults`)],
  ];
  return `<header>
<p class="meta">Tributary swarm report</p>
<h1>${escapeHtml(swarm.scenario)} — ${escapeHtml(formatInt(swarm.seedsRun))} seeds</h1>
<p class="summary">${escapeHtml(swarm.summary)}</p>
<div class="verdict-box ${swarm.ok ? 'ok' : 'bad'}">${verdictBadge(swarm.ok)}<div><div class="why">${escapeHtml(swarm.why)}</div><div class="meta">${escapeHtml(formatInt(swarm.failing.length))} failing ${swarm.failing.length === 1 ? 'seed' : 'seeds'}</div></div></div>
${keyValueTable(facts)}
</header>`;
}

function messagesHtml(finding: SwarmFinding): string {
  return finding.messages.length === 0 ? '' : `<ul>${finding.messages.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`;
}

function firstByKindHtml(swarm: SwarmResult): string {
  const byKind = swarm.firstByKind as Readonly<Record<string, SwarmFinding | undefined>>;
  const toFind = swarm.seedsToFind as Readonly<Record<string, number | undefined>>;
  const kinds = kindsOf(Object.fromEntries(Object.keys(byKind).map((k) => [k, 1])));
  if (kinds.length === 0) return '<section id="first-by-kind">\n<h2>Anomalies found</h2>\n<p>No seed showed any anomaly.</p>\n</section>';
  const rows = kinds.map((kind) => {
    const f = byKind[kind]!;
    return [
      code(kind),
      escapeHtml(String(f.seed)),
      escapeHtml(formatValue(toFind[kind])),
      `${escapeHtml(f.why)}${messagesHtml(f)}`,
      commandBlock(f.reproduce),
    ];
  });
  return `<section id="first-by-kind">
<h2>Anomalies found</h2>
<p>The first seed (lowest number) that showed each kind, and how many seeds it took from the start of the range to find it.</p>
${table(['kind', 'first seed', 'seeds to find', 'what it showed', 'reproduce'], rows)}
</section>`;
}

function failingHtml(swarm: SwarmResult): string {
  if (swarm.failing.length === 0) return '<section id="failing">\n<h2>Failing seeds</h2>\n<p>No seed failed.</p>\n</section>';
  const rows = [...swarm.failing].sort((a, b) => a.seed - b.seed).map((f) => [
    `<span id="seed-${f.seed}">${escapeHtml(String(f.seed))}</span>`,
    escapeHtml(countsText(f.anomalies)),
    `${escapeHtml(f.why)}${messagesHtml(f)}`,
    commandBlock(f.reproduce),
  ]);
  return `<section id="failing">
<h2>Failing seeds</h2>
<p>Every seed whose verdict did not match the expectation, with the command that runs it again (it writes that seed's full report).</p>
${table(['seed', 'anomalies', 'why', 'reproduce'], rows)}
</section>`;
}

function chartsHtml(swarm: SwarmResult): string {
  const legend = `<div class="legend"><span><span class="swatch" style="background:${OUTCOME_COLORS.failing}"></span>failing</span><span><span class="swatch" style="background:${OUTCOME_COLORS.expected}"></span>ok, with anomalies the scenario allows</span><span><span class="swatch" style="background:${OUTCOME_COLORS.unjudged}"></span>ok, but some checker did not judge the seed</span><span><span class="swatch" style="background:${OUTCOME_COLORS.clean}"></span>ok, no anomaly</span></div>`;
  const acked = swarm.seeds.map((s) => s.acked);
  const simulatedSec = swarm.seeds.map((s) => s.simulatedMs / 1000);
  return `<section id="charts">
<h2>Across the seeds</h2>
${legend}
${swarm.seeds.length === 0 ? '<p class="meta">No seeds recorded.</p>' : seedStripSvg(swarm.seeds)}
<div class="multiples">
${histogramSvg(acked, { id: 'chart-acked', title: 'Acknowledged records per seed', unit: 'records', color: '#0969da', width: 480 })}
${histogramSvg(simulatedSec, { id: 'chart-simulated', title: 'Simulated time per seed', unit: 'simulated seconds', color: '#8250df', width: 480 })}
</div>
</section>`;
}

export function renderSwarmReport(swarm: SwarmResult): string {
  const body = [headerHtml(swarm), firstByKindHtml(swarm), failingHtml(swarm), chartsHtml(swarm)];
  return page(`${swarm.ok ? 'ok' : 'NOT OK'} · swarm · ${swarm.scenario}`, body.join('\n'));
}

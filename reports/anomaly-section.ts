// The anomalies of a run: the checkers that could not judge it, plainly (not judged is never passed), a
// count per kind (every kind the checkers look for, so a zero reads as "checked, none" — except for a checker
// that did not judge, which reads "not judged"), then each listed anomaly explained — its sentence, what the
// kind means, the records as each witness saw them, the replica samples and events that prove it, its detail
// figures, and links to its marker on the charts.

import type { Anomaly, Witness } from '../sim/checkers/anomaly.ts';
import type { RunResult } from '../sim/result.ts';
import { partitionChartId } from './charts/partition-chart.ts';
import { formatInt, formatTime, formatValue } from './format.ts';
import { code, escapeHtml, keyValueTable, table } from './html.ts';
import { KIND_TEXT, KINDS } from './kinds.ts';

/** How the expectation treats a kind: what the verdict needed, allowed, or neither. */
function expectationRole(expected: RunResult['expected'], kind: string): string {
  if (expected === 'no-anomalies') return '';
  if ('shows' in expected) {
    if ((expected.shows as readonly string[]).includes(kind)) return 'must show';
    return (expected.mayShow as readonly string[] | undefined)?.includes(kind) ? 'may show' : '';
  }
  if ((expected.find as readonly string[]).includes(kind)) return 'swarm must find';
  return (expected.mayShow as readonly string[]).includes(kind) ? 'may show' : '';
}

function countsTable(result: RunResult): string {
  const counts = result.anomalyCounts as Readonly<Record<string, number | undefined>>;
  const unjudged = new Set<string>((result.notJudged ?? []).map((entry) => entry.checker));
  const extra = Object.keys(counts).filter((k) => !(KINDS as readonly string[]).includes(k)).sort();
  const rows = [...KINDS, ...extra].map((kind) => {
    const found = counts[kind] ?? 0;
    const listed = result.anomalies.filter((a) => a.kind === kind).length;
    const text = (KIND_TEXT as Readonly<Record<string, string>>)[kind] ?? '';
    const notJudged = unjudged.has(kind);
    const cls = notJudged ? ' class="not-judged"' : found === 0 ? ' class="zero"' : '';
    const first = result.anomalies.findIndex((a) => a.kind === kind);
    const name = first >= 0 ? `<a href="#anomaly-${first + 1}">${code(kind)}</a>` : code(kind);
    const foundCell = notJudged ? `${found > 0 ? `${formatInt(found)} · ` : ''}<a class="pill unjudged" href="#not-judged">not judged</a>` : formatInt(found);
    return `<tr${cls}><td>${name}</td><td class="num">${foundCell}</td><td class="num">${listed < found ? `${formatInt(listed)} listed` : ''}</td><td>${escapeHtml(expectationRole(result.expected, kind))}</td><td>${escapeHtml(text)}</td></tr>`;
  });
  return `<table class="compact">
<thead><tr><th>kind</th><th class="num">found</th><th class="num"></th><th>expected</th><th>what it means</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function recordsTable(records: readonly Witness[]): string {
  const rows = records.map((w) => [
    escapeHtml(formatValue(w.offset)),
    code(w.value),
    w.leaderEpoch < 0 ? '<span class="meta">—</span>' : escapeHtml(String(w.leaderEpoch)),
    escapeHtml(w.from === 'final' ? 'final log' : w.from),
    escapeHtml(w.from === 'final' ? (w.broker ?? '—') : w.opId === null ? '—' : `#${w.opId}`),
    escapeHtml(formatTime(w.timeMs)),
  ]);
  return `<p class="meta">The records at stake, as each witness saw them:</p>\n${table(['offset', 'value', 'leader epoch', 'seen by', 'op / broker', 'time'], rows, 'compact')}`;
}

function samplesTable(anomaly: Anomaly): string {
  const rows = anomaly.samples.map((s) => [
    escapeHtml(formatTime(s.timeMs)),
    escapeHtml(s.broker),
    escapeHtml(String(s.incarnation)),
    s.isLeader ? 'leader' : 'follower',
    escapeHtml(String(s.leaderEpoch)),
    escapeHtml(formatValue(s.highWatermark)),
    escapeHtml(formatValue(s.logEndOffset)),
    escapeHtml(s.isr.join(', ')),
  ]);
  return `<p class="meta">Replica samples:</p>\n${table(['time', 'broker', 'life', 'role', 'epoch', 'high watermark', 'log end', 'ISR'], rows, 'compact')}`;
}

function eventsList(anomaly: Anomaly): string {
  const items = anomaly.events.map((e) => {
    const what = 'fault' in e ? ` ${e.fault} on ${e.targets.join(', ')}` : '';
    const detail = 'detail' in e && e.detail ? ` (${e.detail})` : '';
    return `<li>${escapeHtml(`${formatTime(e.timeMs)}: ${e.type}${what}${detail}`)}</li>`;
  });
  return `<p class="meta">Events:</p>\n<ul>${items.join('')}</ul>`;
}

function evidenceLists(anomaly: Anomaly): string {
  const rows: Array<[string, string]> = [];
  if (anomaly.values.length > 0) rows.push(['values', anomaly.values.map(code).join(' ')]);
  if (anomaly.offsets.length > 0) rows.push(['offsets', escapeHtml(anomaly.offsets.join(', '))]);
  if (anomaly.opIds.length > 0) rows.push(['operations', escapeHtml(anomaly.opIds.map((id) => `#${id}`).join(', '))]);
  for (const [key, value] of Object.entries(anomaly.detail)) rows.push([key, escapeHtml(formatValue(value))]);
  return rows.length === 0 ? '' : keyValueTable(rows, 'kv compact');
}

function anomalyHtml(anomaly: Anomaly, index: number, hasPartitionChart: boolean): string {
  const n = index + 1;
  const where = anomaly.partition >= 0 ? `${anomaly.topic}-${anomaly.partition}` : anomaly.topic || 'the cluster';
  const links = ['<a href="#chart-timeline">fault timeline</a>'];
  if (anomaly.partition >= 0 && hasPartitionChart) links.push(`<a href="#${partitionChartId(anomaly.topic, anomaly.partition)}">${escapeHtml(where)}</a>`);
  const kindText = (KIND_TEXT as Readonly<Record<string, string>>)[anomaly.kind] ?? '';
  const parts = [
    `<h3><span class="anomaly-num">${n}</span>${code(anomaly.kind)} · ${escapeHtml(where)} · at ${escapeHtml(formatTime(anomaly.timeMs))}</h3>`,
    `<p class="message">${escapeHtml(anomaly.message)}</p>`,
    kindText ? `<p class="kind-text">${escapeHtml(kindText)}</p>` : '',
    `<p class="meta">Marked <b>${n}</b> on the charts: ${links.join(' · ')}.</p>`,
    anomaly.records.length > 0 ? recordsTable(anomaly.records) : '',
    evidenceLists(anomaly),
    anomaly.samples.length > 0 ? samplesTable(anomaly) : '',
    anomaly.events.length > 0 ? eventsList(anomaly) : '',
  ];
  return `<article class="anomaly" id="anomaly-${n}">\n${parts.filter((p) => p !== '').join('\n')}\n</article>`;
}

/** The checkers that could not judge the run, each with why: what they check is not known to hold. */
function notJudgedHtml(result: RunResult): string {
  const entries = result.notJudged ?? [];
  if (entries.length === 0) return '';
  // Checkers that share a reason (all of them, when a broken invariant cut the run short) share a line.
  const byWhy = new Map<string, string[]>();
  for (const entry of entries) byWhy.set(entry.why, [...(byWhy.get(entry.why) ?? []), entry.checker]);
  const items = [...byWhy].map(([why, checkers]) => `<li>${checkers.map(code).join(', ')}: ${escapeHtml(why)}</li>`);
  return `<div class="not-judged" id="not-judged">
<p><b>Not judged.</b> ${formatInt(entries.length)} ${entries.length === 1 ? 'checker' : 'checkers'} could not judge this run, or part of it: a zero below for ${entries.length === 1 ? 'it' : 'them'} is no pass.</p>
<ul>${items.join('')}</ul>
</div>`;
}

export function anomaliesHtml(result: RunResult): string {
  const charted = new Set(result.timeline.partitions.map((p) => `${p.topic}\u0000${p.partition}`));
  const total = Object.values(result.anomalyCounts as Readonly<Record<string, number | undefined>>).reduce<number>((sum, c) => sum + (c ?? 0), 0);
  const unjudged = (result.notJudged ?? []).length;
  const intro = total === 0
    ? unjudged === 0
      ? '<p>The checkers found no anomaly: every acknowledged record is in the final log, consumers read in order without gaps, and the replicas agree below the high watermark.</p>'
      : '<p>The checkers that judged this run found no anomaly; those listed as not judged could not tell, so what they check is not known to hold.</p>'
    : `<p>The checkers found ${formatInt(total)} ${total === 1 ? 'anomaly' : 'anomalies'}${result.anomalies.length < total ? `; the first ${formatInt(result.anomalies.length)} are explained below` : ', explained below'}. Each number matches a red marker on the charts.</p>`;
  const listed = result.anomalies.map((a, i) => anomalyHtml(a, i, charted.has(`${a.topic}\u0000${a.partition}`)));
  return `<section id="anomalies">
<h2>Anomalies</h2>
${intro}
${notJudgedHtml(result)}
${countsTable(result)}
${listed.join('\n')}
</section>`;
}

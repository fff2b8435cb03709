// report.html of one run: header and verdict, the teaching text, the anomalies explained, the charts, the
// figures, the options and a legend. One self-contained file (inline CSS and SVG, no script), and
// byte-stable: the same result renders to the same bytes (no wall-clock time, no dates, fixed ids).

import type { RunResult } from '../sim/result.ts';
import { anomaliesHtml } from './anomaly-section.ts';
import { escapeHtml, page } from './html.ts';
import { HOW_TO_READ } from './how-to-read.ts';
import { optionsHtml, runHeaderHtml } from './run-header.ts';
import { runChartsHtml } from './run-charts.ts';
import { statsHtml } from './stats-section.ts';
import { teachingHtml } from './teaching.ts';

export function renderRunReport(result: RunResult): string {
  const teaching = result.teaching.trim()
    ? `<section id="teaching">\n<h2>What this scenario teaches</h2>\n<div class="teaching">\n${teachingHtml(result.teaching)}\n</div>\n</section>`
    : '';
  const nav = ['teaching', 'anomalies', 'charts', 'stats', 'options', 'how-to-read']
    .filter((id) => id !== 'teaching' || teaching !== '')
    .map((id) => `<a href="#${id}">${escapeHtml(NAV_LABELS[id]!)}</a>`)
    .join(' · ');
  const body = [
    runHeaderHtml(result),
    `<nav class="meta">${nav}</nav>`,
    teaching,
    anomaliesHtml(result),
    runChartsHtml(result),
    statsHtml(result.stats),
    optionsHtml(result),
    HOW_TO_READ,
    `<footer>Tributary report of ${escapeHtml(result.scenario)} seed ${escapeHtml(String(result.seed))}, drawn from result.json (format ${escapeHtml(String(result.format))}) alone.</footer>`,
  ];
  return page(`${result.ok ? 'ok' : 'NOT OK'} · ${result.scenario} · seed ${result.seed}`, body.filter((s) => s !== '').join('\n'));
}

const NAV_LABELS: Readonly<Record<string, string>> = {
  teaching: 'what it teaches',
  anomalies: 'anomalies',
  charts: 'charts',
  stats: 'figures',
  options: 'options',
  'how-to-read': 'how to read this report',
};

// The index page: one row per run report, linking to it, with its verdict and anomalies.

import type { AnomalyKind } from '../sim/checkers/anomaly.ts';
import { formatInt } from './format.ts';
import { code, escapeHtml, href, page } from './html.ts';
import { countsText } from './kinds.ts';

export interface IndexEntry {
  readonly scenario: string;
  readonly summary: string;
  readonly seed: number;
  readonly ok: boolean;
  readonly why: string;
  /** Relative link to the run's report.html. */
  readonly href: string;
  readonly anomalyCounts: Readonly<Partial<Record<AnomalyKind, number>>>;
}

export function renderIndex(entries: readonly IndexEntry[], title: string): string {
  const failing = entries.filter((e) => !e.ok).length;
  const rows = entries.map((e) => `<tr>
<td><span class="pill ${e.ok ? 'ok' : 'bad'}">${e.ok ? 'ok' : 'NOT OK'}</span></td>
<td><a ${href(e.href)}>${escapeHtml(e.scenario)}</a><br><span class="meta">${escapeHtml(e.summary)}</span></td>
<td class="num">${code(String(e.seed))}</td>
<td>${escapeHtml(countsText(e.anomalyCounts))}</td>
<td>${escapeHtml(e.why)}</td>
</tr>`);
  const verdict = failing === 0
    ? `<p class="verdict-box ok"><span class="verdict ok">ok</span><span class="why">all ${formatInt(entries.length)} runs show what their scenarios expect</span></p>`
    : `<p class="verdict-box bad"><span class="verdict bad">NOT OK</span><span class="why">${formatInt(failing)} of ${formatInt(entries.length)} runs do not show what their scenarios expect</span></p>`;
  const body = `<h1>${escapeHtml(title)}</h1>
${verdict}
<p class="meta">Each scenario ran on its default seed. A scenario with an unsafe configuration is <b>ok</b> when it shows the failure it is there to teach.</p>
<table>
<thead><tr><th>verdict</th><th>scenario</th><th class="num">seed</th><th>anomalies</th><th>why</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  return page(title, body);
}

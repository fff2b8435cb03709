// The figures of a run: records produced and consumed, throughput, latency percentiles, events and simulated
// time. Never the wall-clock time: a run report prints the same bytes for the same result.

import type { LatencySummary, RunStats } from '../sim/result.ts';
import { formatBytes, formatInt, formatMs, formatRate, formatTime } from './format.ts';
import { escapeHtml } from './html.ts';

function numRow(label: string, value: string, note = ''): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td class="num">${escapeHtml(value)}</td><td class="meta">${escapeHtml(note)}</td></tr>`;
}

function latencyRow(label: string, l: LatencySummary): string {
  const cells = [l.p50, l.p99, l.p999, l.max].map((v) => `<td class="num">${escapeHtml(formatMs(v))}</td>`).join('');
  return `<tr><th scope="row">${escapeHtml(label)}</th>${cells}</tr>`;
}

export function statsHtml(stats: RunStats): string {
  const p = stats.produced;
  return `<section id="stats">
<h2>Figures</h2>
<table class="kv">
<tbody>
${numRow('sends attempted', formatInt(p.attempted))}
${numRow('acknowledged', formatInt(p.acked), 'the cluster promised these are written')}
${numRow('failed', formatInt(p.failed), 'the client was told these were not written')}
${numRow('indeterminate', formatInt(p.indeterminate), 'timed out or in doubt: may or may not be written')}
${numRow('records consumed', formatInt(stats.consumed), 'returned by consumer polls (re-reads count again)')}
${numRow('throughput', `${formatRate(stats.throughput.recordsPerSec)} records/s`, 'acknowledged, per simulated second of load')}
${numRow('throughput', `${formatBytes(stats.throughput.bytesPerSec)}/s`)}
${numRow('simulator events', formatInt(stats.events))}
${numRow('simulated time', formatTime(stats.simulatedMs))}
</tbody>
</table>
<h3>Latency (simulated)</h3>
<table>
<thead><tr><th></th><th class="num">p50</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th></tr></thead>
<tbody>
${latencyRow('produce (send to acknowledgement)', stats.latencyMs.produce)}
${latencyRow('end to end (send to consumer poll)', stats.latencyMs.endToEnd)}
</tbody>
</table>
</section>`;
}

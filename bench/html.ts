// bench.html: one self-contained page with the table of figures and bars of our figure against each peer.

import type { BenchReport } from './measure.ts';

export function benchHtml(report: BenchReport): string {
  const rows = report.results.map((r) => {
    const peers = Object.keys(r.peers);
    const max = Math.max(r.value, ...peers.map((p) => r.peers[p]));
    const bar = (label: string, value: number, cls: string): string =>
      `<div class="bar"><span class="label">${escape(label)}</span><span class="${cls}" style="width:${((value / max) * 60).toFixed(1)}%"></span><span class="num">${format(value)}</span></div>`;
    return `<tr><td><code>${escape(r.name)}</code><br><small>${escape(r.description)}</small></td><td>${format(r.value)} ${escape(r.unit)}</td>
<td>${peers.map((p) => `${escape(p)}: ${format(r.peers[p])} (ours ${r.ratios[p].toFixed(2)}x)`).join('<br>') || '—'}</td>
<td>${bar('tributary', r.value, 'ours')}${peers.map((p) => bar(p, r.peers[p], 'peer')).join('')}</td></tr>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tributary benchmarks</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.5em;vertical-align:top;text-align:left}
.bar{display:flex;align-items:center;gap:.5em;width:28em}.label{width:7em}.ours,.peer{display:inline-block;height:.9em}.ours{background:#2a6f97}.peer{background:#aaa}.num{font-variant-numeric:tabular-nums}</style></head>
<body><h1>Tributary benchmarks</h1>
<p>Node ${escape(report.machine.node)}, ${report.machine.cpus} CPUs, ${escape(report.machine.platform)}. Each figure is the median of ${report.settings.rounds} interleaved rounds of ${report.settings.timePerRoundMs} ms; peers are measured in the same rounds.</p>
<table><tr><th>benchmark</th><th>tributary</th><th>peers</th><th></th></tr>
${rows.join('\n')}
</table></body></html>
`;
}

export function format(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

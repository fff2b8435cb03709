// The charts of a run report, in reading order: the fault timeline (with its legend and the list of story
// steps), one small chart per partition, then throughput, produce latency p99 and consumer lag — all on one
// time axis so a fault, a leader change and a dip in throughput line up.

import type { RunResult } from '../sim/result.ts';
import { faultTimelineSvg, TIMELINE_LEFT, TIMELINE_RIGHT, TIMELINE_WIDTH } from './charts/fault-timeline.ts';
import { ANOMALY_COLOR, compareNodes, PHASE_COLOR, STEP_COLOR } from './charts/palette.ts';
import { partitionChartSvg, type PartitionLayout } from './charts/partition-chart.ts';
import { seriesChartSvg } from './charts/series-chart.ts';
import { timeContext, type TimeContext } from './charts/time-context.ts';
import { formatTime } from './format.ts';
import { escapeHtml } from './html.ts';

const FULL: PartitionLayout = { width: TIMELINE_WIDTH, left: TIMELINE_LEFT, right: TIMELINE_RIGHT, plotHeight: 150 };
const SMALL: PartitionLayout = { width: 480, left: 52, right: 12, plotHeight: 110 };

function swatch(color: string, style: 'box' | 'line' | 'dash' = 'box'): string {
  const cls = style === 'box' ? 'swatch' : `swatch ${style}`;
  const css = style === 'dash' ? `border-color:${color}` : `background:${color}`;
  return `<span class="${cls}" style="${css}"></span>`;
}

function faultLegend(ctx: TimeContext): string {
  const kinds = [...new Set(ctx.faults.map((f) => f.kind))].sort();
  const items = kinds.map((kind) => `<span>${swatch(ctx.faultColor(kind))}${escapeHtml(kind)}</span>`);
  items.push(`<span>${swatch(PHASE_COLOR, 'dash')}phase: ready, heal, stop</span>`);
  if (ctx.steps.length > 0) items.push(`<span>${swatch(STEP_COLOR)}story step</span>`);
  if (ctx.anomalies.length > 0) items.push(`<span>${swatch(ANOMALY_COLOR)}anomaly (click the number)</span>`);
  return `<div class="legend">${items.join('')}</div>`;
}

function stepsList(ctx: TimeContext, readyAtMs: number): string {
  if (ctx.steps.length === 0) return '';
  const items = ctx.steps.map((s) => `<li>${escapeHtml(s.label)} <span class="meta">— at ${escapeHtml(formatTime(s.timeMs))} (${escapeHtml(formatTime(s.timeMs - readyAtMs))} after ready)</span></li>`);
  return `<p class="meta">The story's steps, numbered as on the timeline:</p>\n<ol>${items.join('')}</ol>`;
}

function brokerLegend(result: RunResult, ctx: TimeContext): string {
  const brokers = [...new Set(result.timeline.partitions.flatMap((p) => p.replicas.map((r) => r.broker)))].sort(compareNodes);
  const items = brokers.map((b) => `<span>${swatch(ctx.nodeColor(b))}${escapeHtml(b)}</span>`);
  items.push(`<span>${swatch('#57606a', 'line')}log end offset</span>`, `<span>${swatch('#57606a', 'dash')}high watermark</span>`);
  items.push(`<span>${swatch('rgba(207,34,46,.3)')}ISR short of all replicas</span>`);
  return `<div class="legend">${items.join('')}</div>`;
}

export function runChartsHtml(result: RunResult): string {
  const ctx = timeContext(result);
  const partitions = [...result.timeline.partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const nodes = partitions.flatMap((p) => p.replicas.map((r) => r.broker));
  const layout = partitions.length > 1 ? SMALL : FULL;
  const partitionCharts = partitions.map((p) => partitionChartSvg(p, ctx, layout));
  const series = (id: string, title: string, unit: string, color: string, data: RunResult['timeline']['ackedPerSec']): string =>
    seriesChartSvg(data, ctx, { id, title, unit, color, width: TIMELINE_WIDTH, left: TIMELINE_LEFT, right: TIMELINE_RIGHT, plotHeight: 90 });
  return `<section id="charts">
<h2>What happened</h2>
<h3>Faults</h3>
${faultLegend(ctx)}
${faultTimelineSvg(ctx, nodes)}
${stepsList(ctx, result.phases.readyAtMs)}
<h3>Partitions</h3>
<p class="meta">Per partition: each replica's log end offset and high watermark; above, who led (b2 e3: broker-2 in leader epoch 3); below, the ISR size. Background bands: faults on one of its replicas.</p>
${brokerLegend(result, ctx)}
${partitionCharts.length === 0 ? '<p class="meta">The result has no partition timeline.</p>' : `<div class="${partitions.length > 1 ? 'multiples' : 'single'}">\n${partitionCharts.join('\n')}\n</div>`}
<h3>Throughput, latency and lag</h3>
${series('chart-throughput', 'Acknowledged records per second', 'records/s', '#0969da', result.timeline.ackedPerSec)}
${series('chart-latency', 'Produce latency p99', 'ms, per second with acknowledgements', '#bf3989', result.timeline.produceLatencyMsP99)}
${series('chart-lag', 'Consumer lag', 'records behind the highest acknowledged offset, all partitions', '#1b7c83', result.timeline.consumerLag)}
</section>`;
}

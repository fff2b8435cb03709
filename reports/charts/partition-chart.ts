// One partition over time: each replica's log end offset (solid) and high watermark (dashed) in its broker's
// colour; above, a lane coloured by who led, labelled with the leader epoch; below, the ISR size, red where
// it was short of the replication factor. Faults that hit one of its replicas shade the background.

import { axisLeft, curveStepAfter, line, scaleLinear } from 'd3';
import type { PartitionTimeline, Series } from '../../sim/result.ts';
import { slug } from '../html.ts';
import { drawAnomalyMarkers } from './anomaly-markers.ts';
import { createCanvas, group, type Group } from './dom.ts';
import { bucketMsFor, drawablePoints, heldUntil, isDrawn, lastTimeOf, maxOf, PATH_DIGITS, type Point } from './downsample.ts';
import { compareNodes } from './palette.ts';
import type { TimeContext } from './time-context.ts';
import { drawFaultShading, drawLeftLabel, drawPhaseLines, drawStepLines, drawTimeAxis, secondsTick, timeScale, type TimeScale } from './time-frame.ts';
import { compactTick } from './ticks.ts';

export interface PartitionLayout {
  readonly width: number;
  readonly left: number;
  readonly right: number;
  readonly plotHeight: number;
}

export function partitionChartId(topic: string, partition: number): string {
  return `chart-partition-${slug(topic)}-${partition}`;
}

const MARKS_Y = 30;
const LEADER_TOP = 40;
const LEADER_HEIGHT = 14;
const ISR_HEIGHT = 16;

export function partitionChartSvg(p: PartitionTimeline, ctx: TimeContext, layout: PartitionLayout): string {
  const name = `${p.topic}-${p.partition}`;
  const plotTop = LEADER_TOP + LEADER_HEIGHT + 6;
  const plotBottom = plotTop + layout.plotHeight;
  const isrTop = plotBottom + 6;
  const axisY = isrTop + ISR_HEIGHT + 4;
  const height = axisY + 26;
  const canvas = createCanvas(layout.width, height, `Partition ${name}: log end offset and high watermark per replica, leaders and ISR size over time`, partitionChartId(p.topic, p.partition));
  const g = group(canvas.svg, 0, 0);
  const x = timeScale(ctx.endMs, layout.left, layout.width - layout.right);
  const bucketMs = bucketMsFor(ctx.endMs, layout.width - layout.left - layout.right);
  const replicas = [...p.replicas].sort((a, b) => compareNodes(a.broker, b.broker));
  const brokers = new Set(replicas.map((r) => r.broker));
  // Replica series are recorded when a value changes: each holds its last value until the partition's last
  // record, and a quiet stretch is not a gap (a crashed broker shows as the fault band behind it instead).
  let lastMs = lastTimeOf(p.isrSize);
  for (const r of replicas) lastMs = Math.max(lastMs, lastTimeOf(r.logEndOffset), lastTimeOf(r.highWatermark));
  const points = (series: Series): Point[] => drawablePoints(heldUntil(series, lastMs), 0, bucketMs);

  drawTitle(g, p, layout.left);
  drawFaultShading(g, x, LEADER_TOP, isrTop + ISR_HEIGHT, ctx.faults.filter((f) => f.nodes.some((n) => brokers.has(n))), ctx);
  drawPhaseLines(g, x, LEADER_TOP, isrTop + ISR_HEIGHT, ctx.phases, false);
  drawStepLines(g, x, LEADER_TOP, isrTop + ISR_HEIGHT, ctx);
  drawLeaders(g, p, ctx, x, plotBottom, layout.left);

  let maxOffset = 1;
  for (const r of replicas) maxOffset = Math.max(maxOffset, maxOf(r.logEndOffset), maxOf(r.highWatermark));
  const y = scaleLinear().domain([0, maxOffset]).nice().range([plotBottom, plotTop]);
  g.append('g').attr('class', 'axis offsets').attr('transform', `translate(${layout.left},0)`)
    .call(axisLeft(y).ticks(Math.max(2, Math.round(layout.plotHeight / 30))).tickFormat(compactTick).tickSizeOuter(0));
  const path = line<Point>().defined(isDrawn).x((d) => x(d[0])).y((d) => y(d[1])).curve(curveStepAfter).digits(PATH_DIGITS);
  const lines = g.append('g').attr('class', 'replicas').attr('fill', 'none');
  for (const r of replicas) {
    const color = ctx.nodeColor(r.broker);
    lines.append('path').attr('d', path(points(r.highWatermark)) ?? '')
      .attr('stroke', color).attr('stroke-width', 1.3).attr('stroke-dasharray', '5,3')
      .append('title').text(`${r.broker} high watermark`);
    lines.append('path').attr('d', path(points(r.logEndOffset)) ?? '')
      .attr('stroke', color).attr('stroke-width', 1.6).attr('stroke-opacity', 0.85)
      .append('title').text(`${r.broker} log end offset`);
  }

  drawIsr(g, heldUntil(p.isrSize, lastMs), Math.max(replicas.length, maxOf(p.isrSize), 1), x, isrTop, bucketMs);
  drawLeftLabel(g, 'ISR', layout.left - 6, isrTop + ISR_HEIGHT / 2, '#57606a');
  const marks = ctx.anomalies.filter((a) => a.topic === p.topic && a.partition === p.partition);
  drawAnomalyMarkers(g, x, marks, MARKS_Y, { top: MARKS_Y + 7, bottom: plotBottom });
  drawTimeAxis(g, x, axisY, Math.max(3, Math.round((layout.width - layout.left) / 110)));
  return canvas.html();
}

function drawTitle(g: Group, p: PartitionTimeline, left: number): void {
  const last = p.leaders[p.leaders.length - 1];
  const title = g.append('text').attr('x', left).attr('y', 14).attr('font-size', 13);
  title.append('tspan').attr('font-weight', 700).text(`${p.topic}-${p.partition}`);
  const elections = `${p.leaders.length} ${p.leaders.length === 1 ? 'leader' : 'leaders'}`;
  const leader = last ? `${elections}, last ${last.broker || 'none'} in epoch ${last.epoch}` : 'no leader recorded';
  title.append('tspan').attr('dx', 8).attr('fill', '#57606a').attr('font-size', 11).text(leader);
}

/** The leader lane: a segment per leadership, in the leader's colour, with its epoch; a line at each change. */
function drawLeaders(g: Group, p: PartitionTimeline, ctx: TimeContext, x: TimeScale, plotBottom: number, left: number): void {
  drawLeftLabel(g, 'leader', left - 6, LEADER_TOP + LEADER_HEIGHT / 2, '#57606a');
  const layer = g.append('g').attr('class', 'leaders');
  const leaders = [...p.leaders].sort((a, b) => a.timeMs - b.timeMs);
  leaders.forEach((l, i) => {
    const start = x(l.timeMs);
    const end = x(leaders[i + 1]?.timeMs ?? ctx.endMs);
    // JSON may carry no broker while a partition has no leader.
    const led = typeof l.broker === 'string' && l.broker !== '';
    const color = led ? ctx.nodeColor(l.broker) : '#d0d7de';
    const segment = layer.append('g');
    segment.append('title').text(`${led ? l.broker : 'no leader'} leads from ${secondsTick(l.timeMs)} in epoch ${l.epoch}`);
    segment.append('rect').attr('x', start).attr('y', LEADER_TOP).attr('width', Math.max(1, end - start)).attr('height', LEADER_HEIGHT).attr('fill', color);
    const text = `${led ? shortNode(l.broker) : '—'} e${l.epoch}`;
    if (end - start >= text.length * 6 + 6) {
      segment.append('text').attr('x', start + 3).attr('y', LEADER_TOP + LEADER_HEIGHT / 2).attr('dy', '0.35em')
        .attr('fill', '#fff').attr('font-size', 10).attr('font-weight', 600).text(text);
    }
    if (i > 0) {
      layer.append('line').attr('x1', start).attr('x2', start).attr('y1', LEADER_TOP).attr('y2', plotBottom)
        .attr('stroke', color).attr('stroke-width', 1.2).attr('stroke-opacity', 0.6);
    }
  });
  if (leaders.length === 0) {
    layer.append('text').attr('x', left + 4).attr('y', LEADER_TOP + LEADER_HEIGHT / 2).attr('dy', '0.35em').attr('fill', '#57606a').attr('font-size', 10).text('no leader recorded');
  }
}

/** broker-2 -> b2, for labels in narrow places. */
function shortNode(node: string): string {
  return node.replace(/^broker-/, 'b').replace(/^controller-/, 'c');
}

function drawIsr(g: Group, isr: Series, replicas: number, x: TimeScale, top: number, bucketMs: number): void {
  const layer = g.append('g').attr('class', 'isr');
  const y = scaleLinear().domain([0, replicas]).range([top + ISR_HEIGHT, top]);
  layer.append('rect').attr('x', x.range()[0]!).attr('y', top).attr('width', x.range()[1]! - x.range()[0]!).attr('height', ISR_HEIGHT).attr('fill', '#f6f8fa');
  // Red where the ISR was short of every replica (the partition was one failure closer to trouble).
  for (let i = 0; i < isr.length; i++) {
    if (isr[i]![1] >= replicas) continue;
    const start = isr[i]![0];
    while (i + 1 < isr.length && isr[i + 1]![1] < replicas) i++;
    const end = isr[i + 1]?.[0] ?? isr[i]![0];
    layer.append('rect').attr('x', x(start)).attr('y', top).attr('width', Math.max(1, x(end) - x(start))).attr('height', ISR_HEIGHT)
      .attr('fill', '#cf222e').attr('fill-opacity', 0.18)
      .append('title').text(`ISR short from ${secondsTick(start)} to ${secondsTick(end)}`);
  }
  const path = line<Point>().defined(isDrawn).x((d) => x(d[0])).y((d) => y(d[1])).curve(curveStepAfter).digits(PATH_DIGITS);
  layer.append('path').attr('d', path(drawablePoints(isr, 0, bucketMs)) ?? '')
    .attr('fill', 'none').attr('stroke', '#57606a').attr('stroke-width', 1.4)
    .append('title').text(`ISR size (0 to ${replicas})`);
}

// The fault timeline: one lane per node with a bar for each fault that hit it, labelled with its kind;
// above the lanes, the story steps and the anomalies; dashed lines at the phases (ready, heal, stop).
// Faults that overlap on one node stack in rows of its lane so none hides another.

import type { FaultInterval } from '../../sim/result.ts';
import { drawAnomalyMarkers } from './anomaly-markers.ts';
import { createCanvas, group } from './dom.ts';
import { compareNodes } from './palette.ts';
import type { TimeContext } from './time-context.ts';
import { drawLeftLabel, drawPhaseLines, drawStepLines, drawTimeAxis, secondsTick, timeScale } from './time-frame.ts';

export const TIMELINE_WIDTH = 960;
export const TIMELINE_LEFT = 110;
export const TIMELINE_RIGHT = 24;
const BAR_HEIGHT = 14;
const LANE_PAD = 4;
const MARK_LANE = 22;

interface Lane {
  readonly node: string;
  /** Each fault with its row inside the lane and when the next fault of that row starts (for its label). */
  readonly bars: Array<{ readonly fault: FaultInterval; readonly row: number; nextStartMs: number }>;
  readonly rows: number;
}

/** Lanes for every node that appears in the run, faults placed in the first row where they fit. */
function lanes(ctx: TimeContext, nodes: readonly string[]): Lane[] {
  const byNode = new Map<string, FaultInterval[]>();
  for (const node of nodes) byNode.set(node, []);
  for (const fault of ctx.faults) {
    const hit = fault.nodes.length > 0 ? fault.nodes : [fault.target];
    for (const node of hit) {
      if (!byNode.has(node)) byNode.set(node, []);
      byNode.get(node)!.push(fault);
    }
  }
  return [...byNode.keys()].sort(compareNodes).map((node) => {
    const faults = [...byNode.get(node)!].sort((a, b) => a.startMs - b.startMs);
    const rowEnds: number[] = [];
    const lastOfRow: Array<{ nextStartMs: number }> = [];
    const bars = faults.map((fault) => {
      const end = fault.endMs ?? ctx.endMs;
      let row = rowEnds.findIndex((rowEnd) => rowEnd <= fault.startMs);
      if (row < 0) row = rowEnds.push(end) - 1;
      else rowEnds[row] = end;
      const bar = { fault, row, nextStartMs: ctx.endMs };
      if (lastOfRow[row]) lastOfRow[row]!.nextStartMs = fault.startMs;
      lastOfRow[row] = bar;
      return bar;
    });
    return { node, bars, rows: Math.max(1, rowEnds.length) };
  });
}

function faultTitle(fault: FaultInterval): string {
  const until = fault.endMs === null ? 'the end (never healed)' : secondsTick(fault.endMs);
  const detail = fault.detail ? ` — ${fault.detail}` : '';
  return `${fault.kind} on ${fault.nodes.join(', ') || fault.target} (target ${fault.target}) from ${secondsTick(fault.startMs)} to ${until}${detail}`;
}

/** The timeline as SVG markup; `nodes` are the nodes to give a lane even without faults. */
export function faultTimelineSvg(ctx: TimeContext, nodes: readonly string[]): string {
  const allLanes = lanes(ctx, nodes);
  const top = 24;
  const stepsY = ctx.steps.length > 0 ? top : -1;
  const anomaliesY = ctx.anomalies.length > 0 ? top + (stepsY >= 0 ? MARK_LANE : 0) : -1;
  const lanesTop = top + (stepsY >= 0 ? MARK_LANE : 0) + (anomaliesY >= 0 ? MARK_LANE : 0);
  const laneHeights = allLanes.map((lane) => lane.rows * BAR_HEIGHT + (lane.rows - 1) * 2 + 2 * LANE_PAD);
  const lanesBottom = lanesTop + laneHeights.reduce((a, b) => a + b, 0);
  const height = lanesBottom + 30;
  const canvas = createCanvas(TIMELINE_WIDTH, height, 'Fault timeline: faults per node over simulated time, with steps, anomalies and phases', 'chart-timeline');
  const g = group(canvas.svg, 0, 0);
  const x = timeScale(ctx.endMs, TIMELINE_LEFT, TIMELINE_WIDTH - TIMELINE_RIGHT);

  let laneTop = lanesTop;
  allLanes.forEach((lane, i) => {
    const laneHeight = laneHeights[i]!;
    if (i % 2 === 0) {
      g.append('rect').attr('x', TIMELINE_LEFT).attr('y', laneTop).attr('width', x.range()[1]! - TIMELINE_LEFT).attr('height', laneHeight).attr('fill', '#f6f8fa');
    }
    drawLeftLabel(g, lane.node, TIMELINE_LEFT - 8, laneTop + laneHeight / 2, ctx.nodeColor(lane.node));
    for (const bar of lane.bars) drawBar(g, x, ctx, bar.fault, laneTop + LANE_PAD + bar.row * (BAR_HEIGHT + 2), x(bar.nextStartMs));
    laneTop += laneHeight;
  });

  drawPhaseLines(g, x, top - 6, lanesBottom, ctx.phases, true);
  if (stepsY >= 0) {
    drawLeftLabel(g, 'steps', TIMELINE_LEFT - 8, stepsY + MARK_LANE / 2, '#9a6700');
    drawStepLines(g, x, stepsY + MARK_LANE / 2, lanesBottom, ctx, stepsY + MARK_LANE / 2);
  }
  if (anomaliesY >= 0) {
    drawLeftLabel(g, 'anomalies', TIMELINE_LEFT - 8, anomaliesY + MARK_LANE / 2, '#cf222e');
    drawAnomalyMarkers(g, x, ctx.anomalies, anomaliesY + MARK_LANE / 2, { top: anomaliesY + MARK_LANE / 2 + 7, bottom: lanesBottom });
  }
  drawTimeAxis(g, x, lanesBottom);
  return canvas.html();
}

/** A fault's bar, its kind written inside when it fits, else after it when the row has room up to `roomEndPx`. */
function drawBar(g: ReturnType<typeof group>, x: ReturnType<typeof timeScale>, ctx: TimeContext, fault: FaultInterval, y: number, roomEndPx: number): void {
  const start = x(fault.startMs);
  const width = Math.max(2, x(fault.endMs ?? ctx.endMs) - start);
  const bar = g.append('g').attr('class', 'fault');
  bar.append('title').text(faultTitle(fault));
  const rect = bar.append('rect')
    .attr('x', start).attr('y', y).attr('width', width).attr('height', BAR_HEIGHT).attr('rx', 2)
    .attr('fill', ctx.faultColor(fault.kind));
  if (fault.endMs === null) rect.attr('stroke', '#1f2328').attr('stroke-dasharray', '3,2');
  const labelPx = fault.kind.length * 6 + 8;
  const inside = width >= labelPx;
  if (inside || roomEndPx - (start + width) >= labelPx) {
    bar.append('text')
      .attr('x', inside ? start + 4 : start + width + 4).attr('y', y + BAR_HEIGHT / 2).attr('dy', '0.35em')
      .attr('fill', inside ? '#fff' : ctx.faultColor(fault.kind)).attr('font-size', 10).attr('font-weight', 600)
      .text(fault.kind);
  }
}

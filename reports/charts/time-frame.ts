// Pieces every time chart draws the same way: the time scale and axis (seconds), the phase lines (ready,
// heal, stop), faint bands where faults were active, and story step lines.

import { axisBottom, scaleLinear, type ScaleLinear } from 'd3';
import type { FaultInterval, RunPhases } from '../../sim/result.ts';
import type { Group } from './dom.ts';
import { PHASE_COLOR, STEP_COLOR } from './palette.ts';
import type { TimeContext } from './time-context.ts';

export type TimeScale = ScaleLinear<number, number>;

export function timeScale(endMs: number, left: number, right: number): TimeScale {
  return scaleLinear().domain([0, endMs]).range([left, right]);
}

/** "0 s", "20 s", "1.5 s". */
export function secondsTick(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The time axis along y. */
export function drawTimeAxis(g: Group, x: TimeScale, y: number, ticks = 10): void {
  g.append('g')
    .attr('class', 'axis time')
    .attr('transform', `translate(0,${y})`)
    .call(axisBottom(x).ticks(ticks).tickFormat((d) => secondsTick(Number(d))).tickSizeOuter(0));
}

const PHASES: ReadonlyArray<readonly [keyof RunPhases, string]> = [
  ['readyAtMs', 'ready'],
  ['healMs', 'heal'],
  ['stopMs', 'stop'],
];

/** Dashed vertical lines at the phases; with labels, their names above `top`. */
export function drawPhaseLines(g: Group, x: TimeScale, top: number, bottom: number, phases: RunPhases, labels: boolean): void {
  const layer = g.append('g').attr('class', 'phases');
  let lastLabelX = -Infinity;
  let lift = 0;
  for (const [key, name] of PHASES) {
    const at = phases[key];
    if (!Number.isFinite(at) || at <= 0) continue;
    const px = x(at);
    layer.append('line')
      .attr('x1', px).attr('x2', px).attr('y1', top).attr('y2', bottom)
      .attr('stroke', PHASE_COLOR).attr('stroke-width', 1).attr('stroke-dasharray', '4,3')
      .append('title').text(`${name} at ${secondsTick(at)}`);
    if (!labels) continue;
    lift = px - lastLabelX < 34 ? lift + 10 : 0;
    lastLabelX = px;
    layer.append('text')
      .attr('x', px).attr('y', top - 3 - lift)
      .attr('text-anchor', 'middle').attr('fill', PHASE_COLOR).attr('font-size', 10)
      .text(name);
  }
}

/** Faint bands behind a chart where the given faults were active, coloured by kind. */
export function drawFaultShading(g: Group, x: TimeScale, top: number, bottom: number, faults: readonly FaultInterval[], ctx: TimeContext): void {
  const layer = g.append('g').attr('class', 'fault-shading');
  for (const f of faults) {
    const start = x(f.startMs);
    const end = x(f.endMs ?? ctx.endMs);
    layer.append('rect')
      .attr('x', start).attr('y', top).attr('width', Math.max(1, end - start)).attr('height', Math.max(0, bottom - top))
      .attr('fill', ctx.faultColor(f.kind)).attr('fill-opacity', 0.09)
      .append('title').text(`${f.kind} ${f.nodes.join(', ') || f.target}`);
  }
}

/** Thin lines at the story steps, numbered along `labelY` when given. */
export function drawStepLines(g: Group, x: TimeScale, top: number, bottom: number, ctx: TimeContext, labelY?: number): void {
  const layer = g.append('g').attr('class', 'steps');
  ctx.steps.forEach((step, i) => {
    const px = x(step.timeMs);
    layer.append('line')
      .attr('x1', px).attr('x2', px).attr('y1', top).attr('y2', bottom)
      .attr('stroke', STEP_COLOR).attr('stroke-width', 1).attr('stroke-opacity', 0.7).attr('stroke-dasharray', '1,2');
    if (labelY === undefined) return;
    const mark = layer.append('g').attr('transform', `translate(${px},${labelY})`);
    mark.append('title').text(`step ${i + 1}: ${step.label} (${secondsTick(step.timeMs)})`);
    mark.append('path').attr('d', 'M0,-7L7,0L0,7L-7,0Z').attr('fill', STEP_COLOR);
    mark.append('text').attr('y', 3.5).attr('text-anchor', 'middle').attr('fill', '#fff').attr('font-size', 9).attr('font-weight', 700).text(String(i + 1));
  });
}

/** A lane or chart label at the left margin. */
export function drawLeftLabel(g: Group, text: string, x: number, y: number, color = '#1f2328'): void {
  g.append('text').attr('x', x).attr('y', y).attr('dy', '0.32em').attr('text-anchor', 'end').attr('fill', color).text(text);
}

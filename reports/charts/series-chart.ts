// One figure over time (throughput, latency p99, consumer lag): a line with a light area under it, on the
// same time axis as the fault timeline, with fault bands, phase and step lines and the anomaly markers.

import { area, axisLeft, curveLinear, line, scaleLinear } from 'd3';
import type { Series } from '../../sim/result.ts';
import { drawAnomalyMarkers } from './anomaly-markers.ts';
import { createCanvas, group } from './dom.ts';
import { bucketMsFor, drawablePoints, gapFor, isDrawn, maxOf, PATH_DIGITS, type Point } from './downsample.ts';
import type { TimeContext } from './time-context.ts';
import { drawFaultShading, drawPhaseLines, drawStepLines, drawTimeAxis, timeScale } from './time-frame.ts';
import { compactTick } from './ticks.ts';

export interface SeriesChartOptions {
  readonly id: string;
  readonly title: string;
  /** What one unit of the y axis is, shown after the title ("records/s"). */
  readonly unit: string;
  readonly color: string;
  readonly width: number;
  readonly left: number;
  readonly right: number;
  readonly plotHeight: number;
}

export function seriesChartSvg(series: Series, ctx: TimeContext, o: SeriesChartOptions): string {
  const marksY = 30;
  const plotTop = 42;
  const plotBottom = plotTop + o.plotHeight;
  const height = plotBottom + 26;
  const canvas = createCanvas(o.width, height, `${o.title} (${o.unit}) over simulated time`, o.id);
  const g = group(canvas.svg, 0, 0);
  const x = timeScale(ctx.endMs, o.left, o.width - o.right);
  const y = scaleLinear().domain([0, Math.max(maxOf(series), 1e-9)]).nice().range([plotBottom, plotTop]);

  const title = g.append('text').attr('x', o.left).attr('y', 14).attr('font-size', 13);
  title.append('tspan').attr('font-weight', 700).text(o.title);
  title.append('tspan').attr('dx', 8).attr('fill', '#57606a').attr('font-size', 11).text(o.unit);

  drawFaultShading(g, x, plotTop, plotBottom, ctx.faults, ctx);
  drawPhaseLines(g, x, plotTop, plotBottom, ctx.phases, false);
  drawStepLines(g, x, plotTop, plotBottom, ctx);
  g.append('g').attr('class', 'axis values').attr('transform', `translate(${o.left},0)`)
    .call(axisLeft(y).ticks(Math.max(2, Math.round(o.plotHeight / 28))).tickFormat(compactTick).tickSizeOuter(0));

  const points = drawablePoints(series, gapFor(series), bucketMsFor(ctx.endMs, o.width - o.left - o.right));
  if (points.length === 0) {
    g.append('text').attr('x', (o.left + o.width - o.right) / 2).attr('y', (plotTop + plotBottom) / 2)
      .attr('text-anchor', 'middle').attr('fill', '#57606a').text('no data');
  } else {
    const fill = area<Point>().defined(isDrawn).x((d) => x(d[0])).y0(plotBottom).y1((d) => y(d[1])).curve(curveLinear).digits(PATH_DIGITS);
    const stroke = line<Point>().defined(isDrawn).x((d) => x(d[0])).y((d) => y(d[1])).curve(curveLinear).digits(PATH_DIGITS);
    g.append('path').attr('d', fill(points) ?? '').attr('fill', o.color).attr('fill-opacity', 0.15);
    g.append('path').attr('d', stroke(points) ?? '').attr('fill', 'none').attr('stroke', o.color).attr('stroke-width', 1.6);
  }
  drawAnomalyMarkers(g, x, ctx.anomalies, marksY, { top: marksY + 7, bottom: plotBottom });
  drawTimeAxis(g, x, plotBottom);
  return canvas.html();
}

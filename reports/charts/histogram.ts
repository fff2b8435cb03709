// A histogram of one figure across a swarm's seeds (acknowledged records, simulated time).

import { axisBottom, axisLeft, bin, extent, max, scaleLinear } from 'd3';
import { createCanvas, group } from './dom.ts';
import { compactTick } from './ticks.ts';

export interface HistogramOptions {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly color: string;
  readonly width: number;
}

export function histogramSvg(values: readonly number[], o: HistogramOptions): string {
  const left = 48;
  const right = 16;
  const top = 26;
  const bottom = top + 120;
  const height = bottom + 36;
  const canvas = createCanvas(o.width, height, `${o.title}: seeds per bin of ${o.unit}`, o.id);
  const g = group(canvas.svg, 0, 0);
  g.append('text').attr('x', left).attr('y', 14).attr('font-size', 13).attr('font-weight', 700).text(o.title);
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    g.append('text').attr('x', o.width / 2).attr('y', (top + bottom) / 2).attr('text-anchor', 'middle').attr('fill', '#57606a').text('no data');
    return canvas.html();
  }
  let [lo, hi] = extent(finite) as [number, number];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const x = scaleLinear().domain([lo, hi]).nice(20).range([left, o.width - right]);
  const bins = bin().domain(x.domain() as [number, number]).thresholds(x.ticks(20))(finite);
  const y = scaleLinear().domain([0, max(bins, (b) => b.length) ?? 1]).nice().range([bottom, top]);
  for (const b of bins) {
    const x0 = x(b.x0 ?? lo);
    const x1 = x(b.x1 ?? hi);
    const bar = g.append('rect').attr('x', x0 + 0.5).attr('y', y(b.length)).attr('width', Math.max(0.5, x1 - x0 - 1)).attr('height', bottom - y(b.length)).attr('fill', o.color);
    bar.append('title').text(`${b.x0} to ${b.x1} ${o.unit}: ${b.length} seeds`);
  }
  g.append('g').attr('transform', `translate(0,${bottom})`).call(axisBottom(x).ticks(6).tickFormat(compactTick).tickSizeOuter(0));
  g.append('g').attr('transform', `translate(${left},0)`).call(axisLeft(y).tickValues(y.ticks(4).filter(Number.isInteger)).tickFormat(compactTick).tickSizeOuter(0));
  g.append('text').attr('x', (left + o.width - right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').attr('font-size', 10).text(o.unit);
  return canvas.html();
}

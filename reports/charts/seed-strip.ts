// A swarm's seeds in order, one column each (or per bin of seeds when there are more than fit): the strip
// is coloured by outcome — failing, ok with the anomalies the scenario allows, ok but not fully judged, or
// clean — and the bars under it count the anomalies found.

import { axisBottom, axisLeft, scaleLinear } from 'd3';
import type { SwarmSeed } from '../../sim/result.ts';
import { createCanvas, group } from './dom.ts';
import { OUTCOME_COLORS } from './palette.ts';
import { compactTick } from './ticks.ts';

const WIDTH = 960;
const LEFT = 64;
const RIGHT = 20;
const MAX_COLUMNS = 480;

type Outcome = keyof typeof OUTCOME_COLORS;

function outcomeOf(seed: SwarmSeed): Outcome {
  if (!seed.ok) return 'failing';
  if (Object.values(seed.anomalies).some((c) => (c ?? 0) > 0)) return 'expected';
  // Not judged is never drawn as passed.
  return (seed.notJudged ?? []).length > 0 ? 'unjudged' : 'clean';
}

function anomalyTotal(seed: SwarmSeed): number {
  return Object.values(seed.anomalies).reduce<number>((sum, c) => sum + (c ?? 0), 0);
}

const RANK: Readonly<Record<Outcome, number>> = { clean: 0, unjudged: 1, expected: 2, failing: 3 };

export function seedStripSvg(seedsInAnyOrder: readonly SwarmSeed[]): string {
  const seeds = [...seedsInAnyOrder].sort((a, b) => a.seed - b.seed);
  const perColumn = Math.max(1, Math.ceil(seeds.length / MAX_COLUMNS));
  const columns: Array<{ from: number; to: number; outcome: Outcome; counts: Record<Outcome, number>; anomalous: number; anomalies: number }> = [];
  for (let i = 0; i < seeds.length; i += perColumn) {
    const slice = seeds.slice(i, i + perColumn);
    let outcome: Outcome = 'clean';
    const counts: Record<Outcome, number> = { failing: 0, expected: 0, unjudged: 0, clean: 0 };
    let anomalous = 0;
    let anomalies = 0;
    for (const s of slice) {
      const o = outcomeOf(s);
      if (RANK[o] > RANK[outcome]) outcome = o;
      counts[o]++;
      const total = anomalyTotal(s);
      if (total > 0) anomalous++;
      anomalies += total;
    }
    columns.push({ from: slice[0]!.seed, to: slice[slice.length - 1]!.seed, outcome, counts, anomalous, anomalies });
  }
  const stripTop = 8;
  const stripHeight = 24;
  const barsTop = stripTop + stripHeight + 10;
  const barsBottom = barsTop + 90;
  const height = barsBottom + 34;
  const label = `Seeds ${seeds[0]?.seed ?? 0} to ${seeds[seeds.length - 1]?.seed ?? 0} by outcome, with the anomalies each found`;
  const canvas = createCanvas(WIDTH, height, label, 'chart-seeds');
  const g = group(canvas.svg, 0, 0);
  const x = scaleLinear().domain([0, Math.max(1, columns.length)]).range([LEFT, WIDTH - RIGHT]);
  let maxAnomalies = 1;
  for (const c of columns) maxAnomalies = Math.max(maxAnomalies, c.anomalies);
  const y = scaleLinear().domain([0, maxAnomalies]).nice().range([barsBottom, barsTop]);
  const columnWidth = x(1) - x(0);

  g.append('text').attr('x', LEFT - 6).attr('y', stripTop + stripHeight / 2).attr('dy', '0.32em').attr('text-anchor', 'end').text('outcome');
  columns.forEach((c, i) => {
    const cell = g.append('g');
    const seedsText = c.from === c.to ? `seed ${c.from}` : `seeds ${c.from}–${c.to}`;
    cell.append('title').text(`${seedsText}: ${c.counts.failing} failing, ${c.anomalous} with anomalies, ${c.anomalies} anomalies${c.counts.unjudged > 0 ? `, ${c.counts.unjudged} not fully judged` : ''}`);
    // A column of several seeds stacks its outcomes: failing on top, then allowed anomalies, not fully judged, clean.
    const seedsInColumn = c.counts.failing + c.counts.expected + c.counts.unjudged + c.counts.clean;
    let cellTop = stripTop;
    for (const o of ['failing', 'expected', 'unjudged', 'clean'] as const) {
      if (c.counts[o] === 0) continue;
      const h = (stripHeight * c.counts[o]) / seedsInColumn;
      cell.append('rect').attr('x', x(i)).attr('y', cellTop).attr('width', Math.max(0.5, columnWidth)).attr('height', h).attr('fill', OUTCOME_COLORS[o]);
      cellTop += h;
    }
    if (c.anomalies > 0) {
      cell.append('rect').attr('x', x(i)).attr('y', y(c.anomalies)).attr('width', Math.max(0.5, columnWidth * 0.9)).attr('height', barsBottom - y(c.anomalies))
        .attr('fill', OUTCOME_COLORS[c.outcome === 'clean' || c.outcome === 'unjudged' ? 'expected' : c.outcome]);
    }
  });
  g.append('g').attr('transform', `translate(${LEFT},0)`).call(axisLeft(y).tickValues(y.ticks(4).filter(Number.isInteger)).tickFormat(compactTick).tickSizeOuter(0));
  g.append('text').attr('x', 12).attr('y', (barsTop + barsBottom) / 2).attr('transform', `rotate(-90,12,${(barsTop + barsBottom) / 2})`).attr('text-anchor', 'middle').attr('font-size', 10).text('anomalies');
  // Ticks at the middle of whole columns, about ten of them, labelled with the column's first seed.
  const every = Math.max(1, Math.ceil(columns.length / 10));
  const tickColumns = columns.map((_, i) => i).filter((i) => i % every === 0);
  const axis = axisBottom(x).tickValues(tickColumns.map((i) => i + 0.5)).tickFormat((d) => String(columns[Math.floor(Number(d))]!.from));
  g.append('g').attr('transform', `translate(0,${barsBottom})`).call(axis.tickSizeOuter(0));
  g.append('text').attr('x', (LEFT + WIDTH - RIGHT) / 2).attr('y', height - 4).attr('text-anchor', 'middle').attr('font-size', 10)
    .text(perColumn === 1 ? 'seed' : `seed (each column: ${perColumn} seeds)`);
  return canvas.html();
}

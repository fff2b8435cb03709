// Numbered anomaly markers on a time chart. Each links to the anomaly's explanation (#anomaly-N); marks
// that would overlap merge into one ("3…7", "3,9", "3 +4") whose tooltip lists them all.

import { secondsTick, type TimeScale } from './time-frame.ts';
import type { Group } from './dom.ts';
import { ANOMALY_COLOR } from './palette.ts';
import type { AnomalyMark } from './time-context.ts';

const CHAR_WIDTH_PX = 6.2;

interface MarkGroup {
  readonly x: number;
  readonly marks: AnomalyMark[];
}

function groupMarks(marks: readonly AnomalyMark[], x: TimeScale): MarkGroup[] {
  const placed = marks
    .filter((m) => Number.isFinite(m.timeMs))
    .map((m) => ({ m, px: x(m.timeMs) }))
    .sort((a, b) => a.px - b.px || a.m.number - b.m.number);
  const groups: MarkGroup[] = [];
  for (const { m, px } of placed) {
    const last = groups[groups.length - 1];
    if (last && px - last.x < labelWidth(label(last.marks)) + 2) last.marks.push(m);
    else groups.push({ x: px, marks: [m] });
  }
  return groups;
}

/** "3"; "3,7"; "3…6" for a run of consecutive numbers; "3 +4" for the first of several others. */
function label(marks: readonly AnomalyMark[]): string {
  const numbers = marks.map((m) => m.number).sort((a, b) => a - b);
  const first = numbers[0]!;
  const last = numbers[numbers.length - 1]!;
  if (numbers.length === 1) return String(first);
  if (numbers.length === 2) return `${first},${last}`;
  if (last - first === numbers.length - 1) return `${first}…${last}`;
  return `${first} +${numbers.length - 1}`;
}

function labelWidth(text: string): number {
  return Math.max(14, text.length * CHAR_WIDTH_PX + 8);
}

/**
 * Draws the marks at height `y`; with `lineTop`/`lineBottom`, a dotted line through the chart at each time.
 */
export function drawAnomalyMarkers(
  g: Group,
  x: TimeScale,
  marks: readonly AnomalyMark[],
  y: number,
  line?: { readonly top: number; readonly bottom: number },
): void {
  if (marks.length === 0) return;
  const layer = g.append('g').attr('class', 'anomalies');
  for (const group of groupMarks(marks, x)) {
    const first = group.marks.reduce((a, b) => (a.number <= b.number ? a : b));
    const a = layer.append('a').attr('href', `#anomaly-${first.number}`);
    a.append('title').text(group.marks.map((m) => `#${m.number} ${m.kind} at ${secondsTick(m.timeMs)}: ${m.message}`).join('\n'));
    if (line) {
      for (const m of group.marks) {
        const px = x(m.timeMs);
        a.append('line')
          .attr('x1', px).attr('x2', px).attr('y1', line.top).attr('y2', line.bottom)
          .attr('stroke', ANOMALY_COLOR).attr('stroke-width', 1).attr('stroke-dasharray', '2,2').attr('stroke-opacity', 0.8);
      }
    }
    const text = label(group.marks);
    const width = labelWidth(text);
    a.append('rect')
      .attr('x', group.x - width / 2).attr('y', y - 7).attr('width', width).attr('height', 14).attr('rx', 7)
      .attr('fill', ANOMALY_COLOR);
    a.append('text')
      .attr('x', group.x).attr('y', y).attr('dy', '0.35em').attr('text-anchor', 'middle')
      .attr('fill', '#fff').attr('font-size', 10).attr('font-weight', 700)
      .text(text);
  }
}

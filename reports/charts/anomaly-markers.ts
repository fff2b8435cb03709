// Numbered anomaly markers on a time chart. Each links to the anomaly's explanation (#anomaly-N); marks
// that would overlap merge into one ("3…7", "3,9", "3 +4") whose tooltip lists them all.

import { secondsTick, type TimeScale } from './time-frame.ts';
import type { Group } from './dom.ts';
import { ANOMALY_COLOR } from './palette.ts';
import type { AnomalyMark } from './time-context.ts';

const CHAR_WIDTH_PX = 6.2;

interface MarkGroup {
  /** The span of the group's marks, in pixels. */
  minX: number;
  maxX: number;
  readonly marks: AnomalyMark[];
}

/** A group's tooltip lists this many marks at most (a run may list hundreds of anomalies). */
const TOOLTIP_MARKS = 8;

function tooltip(marks: readonly AnomalyMark[]): string {
  const lines = marks.slice(0, TOOLTIP_MARKS).map((m) => `#${m.number} ${m.kind} at ${secondsTick(m.timeMs)}: ${m.message}`);
  if (marks.length > TOOLTIP_MARKS) lines.push(`… and ${marks.length - TOOLTIP_MARKS} more`);
  return lines.join('\n');
}

/** Marks closer than this (px) share a group. */
const NEAR_PX = 4;

function centre(group: MarkGroup): number {
  return (group.minX + group.maxX) / 2;
}

/**
 * Groups of marks: neighbours within NEAR_PX chain together, then groups whose labels (centred on the
 * group) would overlap merge, until none do.
 */
function groupMarks(marks: readonly AnomalyMark[], x: TimeScale): MarkGroup[] {
  const placed = marks
    .filter((m) => Number.isFinite(m.timeMs))
    .map((m) => ({ m, px: x(m.timeMs) }))
    .sort((a, b) => a.px - b.px || a.m.number - b.m.number);
  let groups: MarkGroup[] = [];
  for (const { m, px } of placed) {
    const last = groups[groups.length - 1];
    if (last && px - last.maxX < NEAR_PX) {
      last.marks.push(m);
      last.maxX = px;
    } else groups.push({ minX: px, maxX: px, marks: [m] });
  }
  for (let merged = true; merged; ) {
    merged = false;
    const next: MarkGroup[] = [];
    for (const group of groups) {
      const last = next[next.length - 1];
      const gap = last ? centre(group) - centre(last) : Infinity;
      if (last && gap < (labelWidth(label(last.marks)) + labelWidth(label(group.marks))) / 2 + 2) {
        last.marks.push(...group.marks);
        last.maxX = group.maxX;
        merged = true;
      } else next.push(group);
    }
    groups = next;
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
    a.append('title').text(tooltip(group.marks));
    if (line) {
      // One line for a single mark or marks at one pixel; a faint band over a spread of many.
      if (group.maxX - group.minX < 1.5) {
        a.append('line')
          .attr('x1', centre(group)).attr('x2', centre(group)).attr('y1', line.top).attr('y2', line.bottom)
          .attr('stroke', ANOMALY_COLOR).attr('stroke-width', 1).attr('stroke-dasharray', '2,2').attr('stroke-opacity', 0.8);
      } else {
        a.append('rect')
          .attr('x', group.minX).attr('y', line.top).attr('width', group.maxX - group.minX).attr('height', Math.max(0, line.bottom - line.top))
          .attr('fill', ANOMALY_COLOR).attr('fill-opacity', 0.12).attr('stroke', ANOMALY_COLOR).attr('stroke-opacity', 0.5).attr('stroke-dasharray', '2,2');
      }
    }
    const text = label(group.marks);
    const width = labelWidth(text);
    const cx = centre(group);
    a.append('rect')
      .attr('x', cx - width / 2).attr('y', y - 7).attr('width', width).attr('height', 14).attr('rx', 7)
      .attr('fill', ANOMALY_COLOR);
    a.append('text')
      .attr('x', cx).attr('y', y).attr('dy', '0.35em').attr('text-anchor', 'middle')
      .attr('fill', '#fff').attr('font-size', 10).attr('font-weight', 700)
      .text(text);
  }
}

// The DOM that d3 draws into: one jsdom document, created on first use, hosting detached <svg> elements that
// are serialised to strings. Nothing is attached to the document, so charts never see one another; d3 is used
// exactly as in a browser (select, append, call(axis)).

import { JSDOM } from 'jsdom';
import { select, type Selection } from 'd3';

export const SVG_NS = 'http://www.w3.org/2000/svg';

let hostDocument: Document | null = null;

function documentForCharts(): Document {
  hostDocument ??= new JSDOM('<!doctype html><html><body></body></html>').window.document;
  return hostDocument;
}

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
/** Any group or element inside a chart, for helpers that only append to it. */
export type Group = Selection<SVGGElement, unknown, null, undefined>;

export interface Canvas {
  readonly svg: Svg;
  /** The chart as SVG markup, ready to inline in HTML. */
  html(): string;
}

/**
 * A fixed-size chart: a viewBox of width x height user units that scales down with the page (CSS max-width).
 * `id` must be unique in the page (fixed by the caller, never generated) so anomalies can link to it.
 */
export function createCanvas(width: number, height: number, label: string, id?: string): Canvas {
  const element = documentForCharts().createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const svg = select(element)
    .attr('class', 'chart')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', label)
    .attr('font-family', 'system-ui, sans-serif')
    .attr('font-size', 11);
  if (id !== undefined) svg.attr('id', id);
  svg.append('title').text(label);
  return { svg, html: () => element.outerHTML };
}

/** A translated group. */
export function group(parent: Svg | Group, x: number, y: number, className?: string): Group {
  const g = (parent as Group).append('g').attr('transform', `translate(${x},${y})`);
  if (className !== undefined) g.attr('class', className);
  return g;
}

// Colours that mean the same thing on every chart of a page: one per broker, one per fault kind, one per
// swarm outcome. Assigned from sorted names, so the same run always gets the same colours.

import { scaleOrdinal, schemeTableau10, schemeSet2 } from 'd3';

/** Compares node names the way people count: broker-2 before broker-10. */
export function compareNodes(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (i % 2 === 1 && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** A colour per node, from the node names of the run. */
export function nodeColors(nodes: Iterable<string>): (node: string) => string {
  const domain = [...new Set(nodes)].sort(compareNodes);
  const scale = scaleOrdinal<string, string>().domain(domain).range(schemeTableau10);
  return (node) => scale(node);
}

// Families share a hue: process faults red to orange, network faults purple to blue, disk faults brown.
const KNOWN_FAULT_COLORS: Readonly<Record<string, string>> = {
  crash: '#d1242f',
  'power-loss': '#82071e',
  pause: '#e16f24',
  isolate: '#8250df',
  partition: '#6e40c9',
  'split-halves': '#6639ba',
  bridge: '#a371f7',
  'partition-one-way-in': '#0969da',
  'partition-one-way-out': '#1b7c83',
  'packet-loss': '#3192aa',
  'latency-spike': '#218bff',
  'disk-slow': '#9a6700',
  'disk-fail': '#7d4e00',
  'disk-corrupt-reads': '#bf8700',
  'disk-full': '#4d2d00',
};

/** A colour per fault kind: fixed for the kinds we know, from a palette for others. */
export function faultColors(kinds: Iterable<string>): (kind: string) => string {
  const unknown = [...new Set(kinds)].filter((k) => !(k in KNOWN_FAULT_COLORS)).sort();
  const scale = scaleOrdinal<string, string>().domain(unknown).range(schemeSet2);
  return (kind) => KNOWN_FAULT_COLORS[kind] ?? scale(kind);
}

export const ANOMALY_COLOR = '#cf222e';
export const PHASE_COLOR = '#57606a';
export const STEP_COLOR = '#9a6700';

/** Swarm outcomes. */
export const OUTCOME_COLORS = {
  clean: '#2da44e',
  /** ok, but some checker could not judge the seed (the expectation allowed what it might have found). */
  unjudged: '#8c959f',
  expected: '#d4a72c',
  failing: '#cf222e',
} as const;

// A fault: what goes wrong, to whom, when and for how long — plain JSON, so a schedule can be printed, shrunk
// and replayed as a script. The vocabulary is Jepsen's and FoundationDB's:
//
//   process  crash (kill -9), power-loss (the page cache is lost), pause (SIGSTOP, a long GC),
//            controlled-shutdown (a graceful stop: Kafka's controlled shutdown, the process exits, and starts
//            again at the end)
//   network  isolate, split-halves, bridge, partition-one-way-in, partition-one-way-out, packet-loss,
//            latency-spike, slow-link (extra latency on the links between the nodes named, and no others)
//   disk     disk-slow, disk-fail (I/O errors), disk-corrupt-reads, disk-full
//
// `target` names nodes or roles (see target.ts) and is resolved when the fault starts. `intensity` tunes the
// kinds that have a degree (a loss probability, extra milliseconds, a slow factor); absent, the kind's default.

import type { NodeId } from '../../engine/runtime.ts';
import { NemesisError } from './error.ts';
import { parseTarget, type TargetTerm } from './target.ts';

export type FaultKind =
  | 'crash'
  | 'power-loss'
  | 'pause'
  | 'isolate'
  | 'split-halves'
  | 'bridge'
  | 'partition-one-way-in'
  | 'partition-one-way-out'
  | 'packet-loss'
  | 'latency-spike'
  | 'disk-slow'
  | 'disk-fail'
  | 'disk-corrupt-reads'
  | 'disk-full'
  | 'controlled-shutdown'
  | 'slow-link';

export const FAULT_KINDS: readonly FaultKind[] = [
  'crash',
  'power-loss',
  'pause',
  'isolate',
  'split-halves',
  'bridge',
  'partition-one-way-in',
  'partition-one-way-out',
  'packet-loss',
  'latency-spike',
  'disk-slow',
  'disk-fail',
  'disk-corrupt-reads',
  'disk-full',
  // Appended, not placed by family: random schedules draw in this order, so earlier seeds keep their faults.
  'controlled-shutdown',
  'slow-link',
];

export interface Fault {
  readonly kind: FaultKind;
  /** Who: `broker-2`, `broker-1,broker-3`, `brokers`, `controllers`, `leader:orders-0`, `active-controller`. */
  readonly target: string;
  /** Simulated ms at which it starts. */
  readonly atMs: number;
  /** How long it lasts; it ends cleanly at atMs + durationMs. */
  readonly durationMs: number;
  /** The degree of the kinds that have one (see FAULT_KIND_INFO); the kind's default if absent. */
  readonly intensity?: number;
}

export type FaultFamily = 'process' | 'network' | 'disk';

export interface IntensitySpec {
  /** What the number means, for messages and reports. */
  readonly meaning: string;
  readonly defaultValue: number;
  /** Valid values: min < value <= max (or min <= value when minInclusive). */
  readonly min: number;
  readonly minInclusive: boolean;
  readonly max: number;
}

export interface FaultKindInfo {
  readonly family: FaultFamily;
  readonly intensity?: IntensitySpec;
  /** The fault acts on the links between the nodes its target names, so the target names two at least. */
  readonly link?: true;
}

const probability = (meaning: string, defaultValue: number): IntensitySpec => ({ meaning, defaultValue, min: 0, minInclusive: false, max: 1 });

export const FAULT_KIND_INFO: Readonly<Record<FaultKind, FaultKindInfo>> = {
  'crash': { family: 'process' },
  'power-loss': { family: 'process' },
  'pause': { family: 'process' },
  'isolate': { family: 'network' },
  'split-halves': { family: 'network' },
  'bridge': { family: 'network' },
  'partition-one-way-in': { family: 'network' },
  'partition-one-way-out': { family: 'network' },
  'packet-loss': { family: 'network', intensity: probability('the probability that a transmission is lost', 0.2) },
  'latency-spike': {
    family: 'network',
    intensity: { meaning: 'extra one-way latency in ms', defaultValue: 200, min: 0, minInclusive: false, max: 600_000 },
  },
  'disk-slow': {
    family: 'disk',
    intensity: { meaning: 'how many times slower the device is', defaultValue: 20, min: 1, minInclusive: true, max: 1_000_000 },
  },
  'disk-fail': { family: 'disk', intensity: probability('the probability that an operation fails with EIO', 1) },
  'disk-corrupt-reads': { family: 'disk', intensity: probability('the probability that a read returns a flipped bit', 0.01) },
  'disk-full': { family: 'disk' },
  'controlled-shutdown': { family: 'process' },
  'slow-link': {
    family: 'network',
    intensity: { meaning: 'extra one-way latency in ms on each link between the nodes named', defaultValue: 1_000, min: 0, minInclusive: false, max: 600_000 },
    link: true,
  },
};

/** The fault's intensity, or its kind's default; undefined for kinds without one. */
export function intensityOf(fault: Pick<Fault, 'kind' | 'intensity'>): number | undefined {
  return fault.intensity ?? FAULT_KIND_INFO[fault.kind].intensity?.defaultValue;
}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/** Why `value` is not a valid intensity for `kind`, or undefined if it is. */
export function intensityProblem(kind: FaultKind, value: unknown): string | undefined {
  const spec = FAULT_KIND_INFO[kind].intensity;
  if (spec === undefined) return `${kind} takes no intensity`;
  const ok = typeof value === 'number' && Number.isFinite(value) && value <= spec.max && (spec.minInclusive ? value >= spec.min : value > spec.min);
  if (ok) return undefined;
  const low = spec.minInclusive ? `${spec.min} <= x` : `${spec.min} < x`;
  return `the intensity of ${kind} is ${spec.meaning}: ${low} <= ${spec.max}, got ${JSON.stringify(value)}`;
}

const FAULT_FIELDS = new Set(['kind', 'target', 'atMs', 'durationMs', 'intensity']);

/**
 * Refuses a malformed fault (from a scenario file, a shrunk script) before anything runs: a NemesisError whose
 * message names the field (`where.kind`, `where.target`...). With `nodes`, node names in the target must be
 * among them.
 */
export function validateFault(fault: unknown, where: string, nodes?: readonly NodeId[]): asserts fault is Fault {
  if (fault === null || typeof fault !== 'object' || Array.isArray(fault)) {
    throw new NemesisError(`${where}: a fault must be an object { kind, target, atMs, durationMs, intensity? }, got ${JSON.stringify(fault)}`);
  }
  const f = fault as Record<string, unknown>;
  for (const key of Object.keys(f)) {
    if (!FAULT_FIELDS.has(key)) throw new NemesisError(`${where}.${key}: unknown field; a fault has kind, target, atMs, durationMs and intensity`);
  }
  if (!isFaultKind(f.kind)) {
    throw new NemesisError(`${where}.kind: unknown fault kind ${JSON.stringify(f.kind)}; one of ${FAULT_KINDS.join(', ')}`);
  }
  if (typeof f.target !== 'string') throw new NemesisError(`${where}.target: must be a string such as broker-2, brokers or leader:orders-0, got ${JSON.stringify(f.target)}`);
  const terms = parseTarget(f.target, `${where}.target`, nodes);
  const linkProblem = linkTargetProblem(f.kind, terms);
  if (linkProblem !== undefined) throw new NemesisError(`${where}.target: ${linkProblem}`);
  if (!(typeof f.atMs === 'number' && Number.isFinite(f.atMs) && f.atMs >= 0)) {
    throw new NemesisError(`${where}.atMs: must be a number of ms >= 0, got ${JSON.stringify(f.atMs)}`);
  }
  if (!(typeof f.durationMs === 'number' && Number.isFinite(f.durationMs) && f.durationMs > 0)) {
    throw new NemesisError(`${where}.durationMs: must be a number of ms > 0 (every fault ends), got ${JSON.stringify(f.durationMs)}`);
  }
  if (f.intensity !== undefined) {
    const problem = intensityProblem(f.kind, f.intensity);
    if (problem !== undefined) throw new NemesisError(`${where}.intensity: ${problem}`);
  }
}

/**
 * Why a link kind's target cannot name a link (it names one node), or undefined. A target of one term that is
 * a group (brokers, controllers) names several; a role names one node at most.
 */
export function linkTargetProblem(kind: FaultKind, terms: readonly TargetTerm[]): string | undefined {
  if (FAULT_KIND_INFO[kind].link !== true) return undefined;
  if (terms.length >= 2 || terms.some((term) => term.kind === 'brokers' || term.kind === 'controllers')) return undefined;
  return `${kind} acts on the links between the nodes it names, so name two at least, e.g. broker-1,broker-2 or leader:orders-0,broker-3`;
}

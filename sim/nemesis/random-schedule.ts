// Random fault schedules: drawn from one RandomStream only, so a seed fixes the schedule, which is plain data
// that can be printed, shrunk and replayed.
//
// Faults arrive with exponential gaps; each picks a kind by the mix's weights, a target from the kind's pool (a
// link kind, two different ones: the ends of the link), a duration and (for kinds that have one) an intensity. At most `maxConcurrent` faults are in effect at once:
// the next fault comes a gap after the previous one started if a slot is free then, else a gap after a slot
// frees. With maxConcurrent 1 that is a gap after the previous fault ended: one fault at a time, which a safe
// configuration (replication factor 3, min.insync.replicas 2) must survive; unsafe configurations are found
// with overlapping failures (two brokers down close together). Every fault ends by healMs; after it the cluster
// runs fault-free so that liveness can be judged (TigerBeetle's liveness mode, FoundationDB's unclogged phase).
// Times and durations are whole milliseconds.

import type { RandomStream } from '../random.ts';
import { NemesisError } from './error.ts';
import { FAULT_KIND_INFO, FAULT_KINDS, intensityProblem, isFaultKind, type Fault, type FaultKind } from './fault.ts';
import { parseTarget } from './target.ts';

export interface IntensityOptions {
  /** Multiplies each kind's default intensity (a probability is capped at 1, a slow factor kept >= 1). */
  readonly scale?: number;
  /** Per kind, intensities drawn uniformly in [min, max]; overrides the scale for that kind. */
  readonly ranges?: Partial<Record<FaultKind, readonly [number, number]>>;
}

export interface RandomScheduleOptions {
  /** Relative weights of the fault kinds; a kind absent or with weight 0 never appears. */
  readonly mix: Partial<Record<FaultKind, number>>;
  /** Targets faults may name: node names and roles (`leader:orders-0`, `active-controller`, `brokers`). */
  readonly targets: readonly string[];
  /** Per kind, a pool that replaces `targets` (e.g. bridges only on controllers). */
  readonly targetsByKind?: Partial<Record<FaultKind, readonly string[]>>;
  /** Faults start in [startMs, healMs) and end by healMs. */
  readonly startMs: number;
  readonly healMs: number;
  /** Mean of the exponential gap before each fault (see the file head). */
  readonly meanGapMs: number;
  /** Durations are uniform in this range (cut at healMs). */
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  readonly intensity?: IntensityOptions;
  /** Faults in effect at once, at most (default 1). */
  readonly maxConcurrent?: number;
}

/** Decimals an intensity keeps, so that a printed schedule stays readable. */
const INTENSITY_DECIMALS: Partial<Record<FaultKind, number>> = { 'latency-spike': 0, 'slow-link': 0, 'disk-slow': 1 };

export function randomSchedule(random: RandomStream, options: RandomScheduleOptions): Fault[] {
  const mix = weightedKinds(options.mix);
  const pools = targetPools(options, mix.map(([kind]) => kind));
  validateTimes(options);
  const intensity = validateIntensity(options.intensity);
  const maxConcurrent = options.maxConcurrent ?? 1;
  if (!(Number.isSafeInteger(maxConcurrent) && maxConcurrent >= 1)) {
    throw new NemesisError(`maxConcurrent: must be a whole number >= 1, got ${maxConcurrent}`);
  }
  const startMs = Math.ceil(options.startMs);
  const healMs = Math.floor(options.healMs);
  const faults: Fault[] = [];
  const endsMs: number[] = [];
  let baseMs = startMs;
  for (;;) {
    const atMs = baseMs + Math.round(random.exponential(options.meanGapMs));
    if (atMs >= healMs) break;
    const kind = pickWeighted(random, mix);
    const target = drawTarget(random, kind, pools.get(kind)!);
    const drawnMs = Math.max(1, Math.round(random.uniform(options.minDurationMs, options.maxDurationMs)));
    const durationMs = Math.min(drawnMs, healMs - atMs);
    const level = drawIntensity(random, kind, intensity);
    faults.push(level === undefined ? { kind, target, atMs, durationMs } : { kind, target, atMs, durationMs, intensity: level });
    endsMs.push(atMs + durationMs);
    // The next gap counts from this start if a slot is still free, else from when enough faults have ended.
    const running = endsMs.filter((endMs) => endMs > atMs).sort((a, b) => a - b);
    baseMs = running.length < maxConcurrent ? atMs : running[running.length - maxConcurrent];
  }
  return faults;
}

function weightedKinds(mix: Partial<Record<FaultKind, number>>): [FaultKind, number][] {
  if (mix === null || typeof mix !== 'object') throw new NemesisError('mix: must map fault kinds to weights, e.g. { crash: 2, pause: 1 }');
  for (const [kind, weight] of Object.entries(mix)) {
    if (!isFaultKind(kind)) throw new NemesisError(`mix.${kind}: unknown fault kind; one of ${FAULT_KINDS.join(', ')}`);
    if (!(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
      throw new NemesisError(`mix.${kind}: a weight must be a finite number >= 0, got ${JSON.stringify(weight)}`);
    }
  }
  // In FAULT_KINDS order, whatever the order of the keys: the draw must not depend on how the mix was written.
  const weighted = FAULT_KINDS.filter((kind) => (mix[kind] ?? 0) > 0).map((kind): [FaultKind, number] => [kind, mix[kind]!]);
  if (weighted.length === 0) throw new NemesisError('mix: give at least one fault kind a weight > 0, e.g. { crash: 1 }');
  return weighted;
}

function pickWeighted(random: RandomStream, mix: readonly [FaultKind, number][]): FaultKind {
  let total = 0;
  for (const [, weight] of mix) total += weight;
  let draw = random.next() * total;
  for (const [kind, weight] of mix) {
    if (draw < weight) return kind;
    draw -= weight;
  }
  return mix[mix.length - 1][0]; // rounding left a sliver past the last weight
}

function targetPools(options: RandomScheduleOptions, kinds: readonly FaultKind[]): Map<FaultKind, readonly string[]> {
  const pools = new Map<FaultKind, readonly string[]>();
  for (const [kind, pool] of Object.entries(options.targetsByKind ?? {})) {
    if (!isFaultKind(kind)) throw new NemesisError(`targetsByKind.${kind}: unknown fault kind; one of ${FAULT_KINDS.join(', ')}`);
    checkPool(pool, `targetsByKind.${kind}`);
  }
  for (const kind of kinds) {
    const own = options.targetsByKind?.[kind];
    const pool = own ?? options.targets;
    checkPool(pool, own !== undefined ? `targetsByKind.${kind}` : 'targets', kind);
    pools.set(kind, pool);
  }
  return pools;
}

/** One target of the pool; for a link kind, two different ones joined (the ends of the link). */
function drawTarget(random: RandomStream, kind: FaultKind, pool: readonly string[]): string {
  const first = random.pick(pool);
  if (FAULT_KIND_INFO[kind].link !== true) return first;
  return `${first},${random.pick(pool.filter((target) => target !== first))}`;
}

function checkPool(pool: readonly string[] | undefined, field: string, kind?: FaultKind): void {
  if (!Array.isArray(pool) || pool.length === 0) throw new NemesisError(`${field}: a random fault schedule needs at least one target`);
  if (kind !== undefined && FAULT_KIND_INFO[kind].link === true && new Set(pool).size < 2) {
    throw new NemesisError(`${field}: ${kind} joins two targets drawn from the pool, so it needs two different ones at least, got ${JSON.stringify(pool)}`);
  }
  pool.forEach((target, i) => {
    if (typeof target !== 'string') throw new NemesisError(`${field}[${i}]: a target must be a string, got ${JSON.stringify(target)}`);
    parseTarget(target, `${field}[${i}]`);
  });
}

function validateTimes(options: RandomScheduleOptions): void {
  const finite = (value: number): boolean => typeof value === 'number' && Number.isFinite(value);
  if (!(finite(options.startMs) && finite(options.healMs) && options.startMs <= options.healMs)) {
    throw new NemesisError(`startMs..healMs: must be finite with startMs <= healMs, got ${options.startMs}..${options.healMs}`);
  }
  if (!(finite(options.meanGapMs) && options.meanGapMs > 0)) throw new NemesisError(`meanGapMs: must be a number of ms > 0, got ${options.meanGapMs}`);
  if (!(finite(options.minDurationMs) && finite(options.maxDurationMs) && options.minDurationMs > 0 && options.maxDurationMs >= options.minDurationMs)) {
    throw new NemesisError(`minDurationMs..maxDurationMs: must satisfy 0 < min <= max, got ${options.minDurationMs}..${options.maxDurationMs}`);
  }
}

function validateIntensity(options: IntensityOptions | undefined): IntensityOptions {
  if (options === undefined) return {};
  const scale = options.scale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) throw new NemesisError(`intensity.scale: must be a finite number > 0, got ${scale}`);
  for (const [kind, range] of Object.entries(options.ranges ?? {})) {
    const field = `intensity.ranges.${kind}`;
    if (!isFaultKind(kind)) throw new NemesisError(`${field}: unknown fault kind; one of ${FAULT_KINDS.join(', ')}`);
    if (!(Array.isArray(range) && range.length === 2 && range[0] <= range[1])) throw new NemesisError(`${field}: must be a [min, max] range`);
    for (const end of range) {
      const problem = intensityProblem(kind, end);
      if (problem !== undefined) throw new NemesisError(`${field}: ${problem}`);
    }
  }
  return options;
}

/** The kind's intensity for one fault: from its range, else its default times the scale; none for kinds without. */
function drawIntensity(random: RandomStream, kind: FaultKind, options: IntensityOptions): number | undefined {
  const spec = FAULT_KIND_INFO[kind].intensity;
  if (spec === undefined) return undefined;
  const range = options.ranges?.[kind];
  let value: number;
  if (range !== undefined) {
    value = random.uniform(range[0], range[1]);
  } else {
    value = Math.min(spec.defaultValue * (options.scale ?? 1), spec.max);
    if (spec.minInclusive) value = Math.max(value, spec.min);
  }
  const decimals = INTENSITY_DECIMALS[kind] ?? 3;
  const rounded = Math.round(value * 10 ** decimals) / 10 ** decimals;
  // Rounding must not leave the valid range (a loss of 0.0004 would round to 0, which means no fault).
  return intensityProblem(kind, rounded) === undefined && (range === undefined || (rounded >= range[0] && rounded <= range[1])) ? rounded : value;
}

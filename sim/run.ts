// One scenario under one seed -> one result (result.json): a pure function, no files, no threads.
//
// runScenario resolves the scenario for the run — `--set` overrides, and in swarm mode the knobs and the
// random fault schedule drawn from the seed — turns it into a cluster run (sim/cluster-run.ts), judges the
// verdict against what the scenario expects, and gathers what a report draws. Every option of the run goes
// into `options`, which the CLI prints as the banner.

import type { ConfigOverrides } from '../engine/config/types.ts';
import type { ConfigKind } from '../engine/config/definition.ts';
import { runCluster, type ClusterRunSpec } from './cluster-run.ts';
import { RandomStreams, type RandomStream } from './random.ts';
import { judge, splitQualifiedKey, type Expectation, type RandomFaultSpec, type Scenario } from './scenario.ts';
import type { Setting } from './settings.ts';
import { HARDWARE_PROFILES, DEFAULT_HARDWARE } from './hardware.ts';
import { buildTimeline } from './timeline.ts';
import { RESULT_FORMAT_VERSION, type RunMode, type RunResult } from './result.ts';
import { CHECKER_KINDS, type AnomalyKind, type NotJudged } from './checkers/anomaly.ts';
import { withReproduce } from './checkers/invariant.ts';
import type { ProducerSpec } from './workload.ts';
import { counted } from './counted.ts';

export interface RunOptions {
  readonly mode: RunMode;
  readonly settings?: readonly Setting[];
  /** How the user named the scenario (catalogue name or path): reproduce commands repeat it. */
  readonly source: string;
  /** Series step of the timeline (default 250 ms). */
  readonly timelineStepMs?: number;
}

export class RunError extends Error {
  override readonly name = 'RunError';
}

/** A scenario made concrete for one seed and mode: the cluster run, and every option as the banner shows it. */
export interface ResolvedRun {
  readonly spec: ClusterRunSpec;
  readonly options: Record<string, string | number | boolean>;
  readonly expected: RunResult['expected'];
}

type Sections = Record<ConfigKind, Record<string, string | number | boolean | readonly string[]>>;

export function resolveRun(scenario: Scenario, seed: number, options: RunOptions): ResolvedRun {
  if (options.mode === 'swarm' && scenario.swarm === undefined) {
    throw new RunError(`${scenario.name} has no swarm section: it cannot run in swarm mode (run it without --swarm)`);
  }
  const banner: Record<string, string | number | boolean> = {};
  const sections: Sections = {
    broker: { ...scenario.config?.broker },
    topic: { ...scenario.config?.topic },
    producer: { ...scenario.config?.producer },
    consumer: { ...scenario.config?.consumer },
  };
  let rateFactor = 1;
  let extraLatencyMs = scenario.extraLatencyMs ?? 0;
  let random: RandomFaultSpec | undefined = scenario.faults?.random;
  const swarm = options.mode === 'swarm' ? scenario.swarm! : undefined;
  if (swarm !== undefined) {
    // Knobs come from their own stream: the simulation's streams stay as they are for a given seed.
    const knobs = new RandomStreams(seed).stream('swarm');
    const vary = swarm.vary ?? {};
    if (vary.rateFactor !== undefined) rateFactor = round(knobs.uniform(vary.rateFactor[0], vary.rateFactor[1]), 100);
    if (vary.extraLatencyMs !== undefined) extraLatencyMs += round(knobs.uniform(vary.extraLatencyMs[0], vary.extraLatencyMs[1]), 10);
    for (const [qualified, values] of Object.entries(vary.config ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [kind, key] = splitQualifiedKey(qualified);
      sections[kind!][key] = knobs.pick(values);
    }
    random = vary.thinFaultMix === true ? thinMix(swarm.faults, knobs) : swarm.faults;
  }
  for (const setting of options.settings ?? []) sections[setting.kind][setting.key] = setting.value;

  const hardwareName = scenario.hardware ?? DEFAULT_HARDWARE;
  const producers: ProducerSpec[] = [];
  for (const producer of scenario.workload.producers) {
    for (let i = 0; i < (producer.count ?? 1); i++) {
      producers.push({
        ratePerSec: producer.ratePerSec * rateFactor,
        config: { ...sections.producer, ...producer.config, ...settingsOf(options.settings, 'producer') },
        keyCount: producer.keys,
        keyDistribution: producer.keyDistribution,
        valueBytes: producer.valueBytes,
      });
    }
  }
  const spec: ClusterRunSpec = {
    cluster: { brokers: scenario.cluster.brokers, controllers: scenario.cluster.controllers, brokerConfig: sections.broker, racks: scenario.cluster.racks },
    topic: {
      name: scenario.topic.name,
      numPartitions: scenario.topic.partitions,
      replicationFactor: scenario.topic.replicationFactor,
      configs: Object.fromEntries(Object.entries(sections.topic).map(([k, v]) => [k, String(v)])),
    },
    workload: { producers, consumers: scenario.workload.consumers, consumerConfig: sections.consumer },
    hardware: HARDWARE_PROFILES[hardwareName],
    extraLatencyMs,
    faults: swarm !== undefined ? { random } : { script: scenario.faults?.timeline, steps: scenario.faults?.steps, random },
    faultsUntilMs: scenario.phases.faultsMs,
    livenessMs: scenario.phases.livenessMs,
    quiesceMs: scenario.phases.quiesceMs,
  };

  banner['mode'] = options.mode;
  banner['cluster'] = `${counted(scenario.cluster.brokers, 'broker')}, ${counted(scenario.cluster.controllers, 'controller')}${scenario.cluster.racks ? `, racks ${scenario.cluster.racks.join(',')}` : ''}`;
  banner['hardware'] = hardwareName;
  banner['topic'] = `${scenario.topic.name}: ${counted(scenario.topic.partitions, 'partition')}, replication factor ${scenario.topic.replicationFactor}`;
  for (const kind of ['broker', 'topic', 'producer', 'consumer'] as const) {
    for (const [key, value] of Object.entries(sections[kind]).sort(([a], [b]) => (a < b ? -1 : 1))) banner[`${kind}.${key}`] = String(value);
  }
  banner['workload'] = describeWorkload(producers, scenario.workload.consumers);
  if (rateFactor !== 1) banner['swarm.rateFactor'] = rateFactor;
  if (extraLatencyMs !== 0) banner['swarm.extraLatencyMs'] = extraLatencyMs;
  const timeline = spec.faults?.script ?? [];
  if (timeline.length > 0) banner['faults.timeline'] = counted(timeline.length, 'fault');
  if ((spec.faults?.steps ?? []).length > 0) banner['faults.steps'] = counted(spec.faults!.steps!.length, 'step');
  if (random !== undefined) {
    banner['faults.random.mix'] = Object.entries(random.mix).filter(([, w]) => (w ?? 0) > 0).map(([k, w]) => `${k}:${w}`).join(' ');
    banner['faults.random.targets'] = `${random.targets}${random.aimAtLeaders ? ' + leaders' : ''}`;
    banner['faults.random.meanGapMs'] = random.meanGapMs;
    banner['faults.random.durationMs'] = `${random.durationMs[0]}..${random.durationMs[1]}`;
    banner['faults.random.maxConcurrent'] = random.maxConcurrent ?? 1;
    banner['faults.random.waitForRecovery'] = random.waitForRecovery === true;
  }
  banner['phases'] = `faults ${scenario.phases.faultsMs} ms, liveness ${scenario.phases.livenessMs} ms, quiesce ${scenario.phases.quiesceMs} ms`;
  return { spec, options: banner, expected: swarm !== undefined ? swarm.expect : scenario.expect };
}

/** Runs the scenario under the seed and judges it. */
export function runScenario(scenario: Scenario, seed: number, options: RunOptions): RunResult {
  const resolved = resolveRun(scenario, seed, options);
  const run = runCluster(resolved.spec, seed);
  const counts: Partial<Record<AnomalyKind, number>> = {};
  for (const [kind, n] of Object.entries(run.verdict.counts)) if (n > 0) counts[kind as AnomalyKind] = n;
  const found = new Set(Object.keys(counts) as AnomalyKind[]);
  const verdict = judgeRun(resolved.expected, found, run.verdict.notJudged);
  const reproduce = reproduceCommand(options.source, seed, options.mode, options.settings ?? []);
  return {
    format: RESULT_FORMAT_VERSION,
    scenario: scenario.name,
    summary: scenario.summary,
    teaching: scenario.teaching,
    source: options.source,
    seed,
    mode: options.mode,
    set: Object.fromEntries((options.settings ?? []).map((s) => [s.text.slice(0, s.text.indexOf('=')).trim(), s.value])),
    options: resolved.options,
    traceHash: run.traceHash,
    ok: verdict.ok,
    why: verdict.why,
    expected: resolved.expected,
    anomalies: run.verdict.anomalies.map((found) => (found.kind === 'invariant' ? withReproduce(found, reproduce) : found)),
    anomalyCounts: counts,
    notJudged: run.verdict.notJudged,
    stats: { ...run.stats, wallMs: 0 },
    faults: run.faultIntervals,
    schedule: run.startedFaults.map((fault) => ({ ...fault, atMs: round(fault.atMs - run.readyAtMs, 1000) })),
    steps: run.steps,
    phases: { readyAtMs: run.readyAtMs, healMs: run.healMs, stopMs: run.stopMs, endMs: run.stats.simulatedMs },
    timeline: buildTimeline(run.history, options.timelineStepMs ?? 250),
    reproduce,
  };
}

/**
 * The verdict against a scenario's expectation, or (swarm mode) against what each seed may show. A checker
 * that did not judge the run leaves it not ok unless whatever it could have found is allowed anyway (a kind
 * the expectation shows, may show or must find): not judged is never passed.
 */
export function judgeRun(
  expected: RunResult['expected'],
  found: ReadonlySet<AnomalyKind>,
  notJudged: readonly NotJudged[] = [],
): { ok: boolean; why: string } {
  const verdict = judgeFound(expected, found);
  if (notJudged.length === 0) return verdict;
  const allowed = allowedKinds(expected);
  const needed = notJudged.filter((entry) => !allowed.has(entry.checker));
  const list = (entries: readonly NotJudged[]): string => describeNotJudged(entries);
  if (!verdict.ok) return { ok: false, why: `${verdict.why}; not judged: ${list(notJudged)}` };
  if (needed.length > 0) return { ok: false, why: `${verdict.why}, but not judged: ${list(needed)}` };
  return { ok: true, why: `${verdict.why}; not judged, allowed by the expectation: ${list(notJudged)}` };
}

function judgeFound(expected: RunResult['expected'], found: ReadonlySet<AnomalyKind>): { ok: boolean; why: string } {
  if (expected === 'no-anomalies' || 'shows' in expected) return judge(expected as Expectation, found);
  const allowed = new Set<AnomalyKind>([...expected.mayShow, ...expected.find]);
  const unexpected = [...found].filter((kind) => !allowed.has(kind));
  if (unexpected.length > 0) return { ok: false, why: `found ${unexpected.join(', ')}, which this configuration should not show` };
  const wanted = expected.find.filter((kind) => found.has(kind));
  if (wanted.length > 0) return { ok: true, why: `found ${wanted.join(', ')}, the anomaly this configuration allows` };
  if (found.size > 0) return { ok: true, why: `only ${[...found].join(', ')}, which this configuration may show` };
  return { ok: true, why: 'no anomaly in this seed' };
}

/** "unavailable (why); lost-write, duplicate (why)": checkers grouped by reason; "every checker" when all share one. */
export function describeNotJudged(entries: readonly NotJudged[]): string {
  const byWhy = new Map<string, string[]>();
  for (const entry of entries) byWhy.set(entry.why, [...(byWhy.get(entry.why) ?? []), entry.checker]);
  return [...byWhy].map(([why, checkers]) => `${checkers.length === CHECKER_KINDS.length ? 'every checker' : checkers.join(', ')} (${why})`).join('; ');
}

/** Kinds an expectation allows to appear: what a checker that did not judge might have found without harm. */
function allowedKinds(expected: RunResult['expected']): Set<AnomalyKind> {
  if (expected === 'no-anomalies') return new Set();
  if ('shows' in expected) return new Set([...expected.shows, ...(expected.mayShow ?? [])]);
  return new Set([...expected.mayShow, ...expected.find]);
}

export function reproduceCommand(source: string, seed: number, mode: RunMode, settings: readonly Setting[]): string {
  const sets = [...new Set(settings.map((s) => s.text))].map((text) => ` --set ${shellQuote(text)}`).join('');
  return `npm run scenario -- ${shellQuote(source)} --seed ${seed}${mode === 'swarm' ? ' --swarm' : ''}${sets}`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9._\/=:,@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function settingsOf(settings: readonly Setting[] | undefined, kind: ConfigKind): ConfigOverrides {
  return Object.fromEntries((settings ?? []).filter((s) => s.kind === kind).map((s) => [s.key, s.value]));
}

/** Swarm testing: each kind of the mix is kept with probability 1/2 (at least one is kept). */
function thinMix(faults: RandomFaultSpec, knobs: RandomStream): RandomFaultSpec {
  const kinds = Object.entries(faults.mix).filter(([, w]) => (w ?? 0) > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const kept = kinds.filter(() => knobs.chance(0.5));
  const mix = Object.fromEntries(kept.length > 0 ? kept : [knobs.pick(kinds)]);
  return { ...faults, mix };
}

function describeWorkload(producers: readonly ProducerSpec[], consumers: number): string {
  const rates = producers.map((p) => `${round(p.ratePerSec, 10)}/s`).join(' + ');
  return `${counted(producers.length, 'producer')} (${rates} records), ${counted(consumers, 'consumer')}`;
}

function round(value: number, per: number): number {
  return Math.round(value * per) / per;
}

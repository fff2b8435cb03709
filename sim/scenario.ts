// The scenario-building API: what a file in scenarios/ exports, and the check that refuses a bad one.
//
//   export default defineScenario({
//     name: 'leader-crash-under-acks-all',
//     summary: 'the leader of orders-0 is killed under acks=all: nothing acknowledged is lost',
//     teaching: `...what happens, and what to look for in the report...`,
//     cluster: { brokers: 3, controllers: 3 },
//     topic: { name: 'orders', partitions: 3, replicationFactor: 3 },
//     config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all' } },
//     workload: { producers: [{ ratePerSec: 200 }], consumers: 1 },
//     faults: { timeline: [{ kind: 'crash', target: 'leader:orders-0', atMs: 5_000, durationMs: 10_000 }] },
//     phases: { faultsMs: 20_000, livenessMs: 20_000, quiesceMs: 10_000 },
//     expect: 'no-anomalies',
//   });
//
// Configuration is by Kafka key, per kind (broker, topic, producer, consumer). Faults are a timeline (plain
// data: what `npm run shrink` writes back), story steps that wait for conditions (`steps`), a random schedule,
// or several of these. `swarm` says how `npm run swarm` varies the scenario per seed: it drops the scripted
// faults, draws a random schedule and the knobs in `vary` from the seed, so one scenario explores many worlds.
//
// A scenario is plain data plus, optionally, step functions; validateScenario() checks every field before
// anything runs and throws one ScenarioError listing every problem, each naming its field.

import type { ConfigOverrides } from '../engine/config/types.ts';
import { parseConfig } from '../engine/config/parse.ts';
import { ConfigError } from '../engine/config/errors.ts';
import type { ConfigKind } from '../engine/config/definition.ts';
import { ANOMALY_KINDS, type AnomalyKind } from './checkers/anomaly.ts';
import { FAULT_KINDS, intensityProblem, parseTarget, validateFault, type Fault, type FaultKind } from './nemesis.ts';
import type { ScriptStep } from './script.ts';
import { HARDWARE_PROFILES, type HardwareProfileName } from './hardware.ts';

export type { ScriptStep, ScriptContext } from './script.ts';
export type { Fault, FaultKind } from './nemesis.ts';
export type { AnomalyKind } from './checkers/anomaly.ts';

export interface ScenarioCluster {
  readonly brokers: number;
  /** Dedicated KRaft controllers: 1, 3 or 5. */
  readonly controllers: number;
  /** broker.rack of each broker, round-robin (broker-1 gets racks[0], ...); rack-aware placement uses it. */
  readonly racks?: readonly string[];
}

export interface ScenarioTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ScenarioConfig {
  /** For every broker and controller (keys such as min.insync.replicas matter to both). */
  readonly broker?: ConfigOverrides;
  /** Topic-level overrides given to CreateTopics (retention.ms, segment.bytes, ...). */
  readonly topic?: ConfigOverrides;
  /** For every producer (a producer's own `config` wins). */
  readonly producer?: ConfigOverrides;
  readonly consumer?: ConfigOverrides;
}

/** How producers choose keys: uniform over `keys`, or skewed (a few hot keys, Zipf s=1). */
export type KeyDistribution = 'uniform' | 'zipf';

export interface ScenarioProducer {
  readonly ratePerSec: number;
  /** This many producers alike (default 1). */
  readonly count?: number;
  /** Distinct keys (default 100). */
  readonly keys?: number;
  readonly keyDistribution?: KeyDistribution;
  /** Value size in bytes, or a [min, max] range drawn per record (default 100). */
  readonly valueBytes?: number | readonly [number, number];
  readonly config?: ConfigOverrides;
}

export interface ScenarioWorkload {
  readonly producers: readonly ScenarioProducer[];
  /** Consumers that each read every partition from the earliest offset. */
  readonly consumers: number;
}

/** A random fault schedule: kinds by weight, drawn from the seed's `faults` stream. */
export interface RandomFaultSpec {
  /** Relative weights of fault kinds. */
  readonly mix: Partial<Record<FaultKind, number>>;
  /** Which nodes faults hit. */
  readonly targets: 'brokers' | 'controllers' | 'all';
  /** Also aim at roles, resolved when a fault starts: the leader of a partition, the active controller. */
  readonly aimAtLeaders?: boolean;
  /** Mean quiet time between faults. */
  readonly meanGapMs: number;
  readonly durationMs: readonly [number, number];
  /** Per kind, intensities drawn in [min, max] (loss probability, extra ms, slow factor); defaults per kind otherwise. */
  readonly intensity?: Partial<Record<FaultKind, readonly [number, number]>>;
  /** Per kind, the targets it may hit instead of `targets` (e.g. `{ 'power-loss': ['brokers'] }`: all at once). */
  readonly targetsByKind?: Partial<Record<FaultKind, readonly string[]>>;
  /** How many faults may be in effect at once (default 1). */
  readonly maxConcurrent?: number;
  /**
   * A fault waits until the cluster has recovered from the previous one (every ISR full again): one failure
   * at a time as the cluster sees it. The safe configuration promises nothing against two at once.
   */
  readonly waitForRecovery?: boolean;
}

export interface ScenarioFaults {
  /** Faults at fixed times (ms from the moment the topic is ready); targets may name roles (`leader:orders-0`). */
  readonly timeline?: readonly Fault[];
  /** A story: steps that wait for conditions and act through the script context. */
  readonly steps?: readonly ScriptStep[];
  readonly random?: RandomFaultSpec;
}

export interface ScenarioPhases {
  /** Load and faults; every fault ends by then (the heal). With steps, the heal comes after the last step. */
  readonly faultsMs: number;
  /** Load after the heal, without faults: the `unavailable` checker's bound (liveness). */
  readonly livenessMs: number;
  /** No new sends: in-flight ones finish, followers catch up, then the final state is captured. */
  readonly quiesceMs: number;
}

/**
 * What the run must show. `no-anomalies`: the configuration is safe against these faults. Otherwise every kind
 * in `shows` must appear (the famous loss this configuration allows), and any other kind found must be in
 * `mayShow` (what comes along with it, e.g. a consumer that read the lost record sees a poll-skip).
 */
export type Expectation = 'no-anomalies' | { readonly shows: readonly AnomalyKind[]; readonly mayShow?: readonly AnomalyKind[] };

/** Knob ranges a swarm draws per seed. */
export interface SwarmVary {
  /** Multiplies every producer's rate by a factor drawn in this range. */
  readonly rateFactor?: readonly [number, number];
  /** Extra one-way network latency, ms, drawn in this range. */
  readonly extraLatencyMs?: readonly [number, number];
  /** Config values to choose among, by `kind.key` (`producer.linger.ms`: [0, 5, 50]). */
  readonly config?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  /** Swarm testing (Groce et al.): each seed switches each fault kind of the mix off with probability 1/2. */
  readonly thinFaultMix?: boolean;
}

export interface ScenarioSwarm {
  /** The random schedule each seed draws (the scenario's scripted faults are dropped in swarm mode). */
  readonly faults: RandomFaultSpec;
  readonly vary?: SwarmVary;
  /**
   * Per seed: `no-anomalies`, or the kinds a seed may show. `find`: kinds the swarm as a whole must find in
   * some seed (an unsafe configuration's anomaly): the swarm fails if none of its seeds shows one.
   */
  readonly expect: 'no-anomalies' | { readonly mayShow: readonly AnomalyKind[]; readonly find: readonly AnomalyKind[] };
}

export interface Scenario {
  /** Kebab-case, a sentence (`leader-crash-under-acks-all`): the file's name without `.ts`. */
  readonly name: string;
  /** One line for the catalogue. */
  readonly summary: string;
  /** What happens and what to look for, for a student reading the report. */
  readonly teaching: string;
  readonly cluster: ScenarioCluster;
  readonly hardware?: HardwareProfileName;
  /** Extra one-way latency on every network link, ms (default 0): a slower network than the profile's. */
  readonly extraLatencyMs?: number;
  readonly topic: ScenarioTopic;
  readonly config?: ScenarioConfig;
  readonly workload: ScenarioWorkload;
  readonly faults?: ScenarioFaults;
  readonly phases: ScenarioPhases;
  readonly expect: Expectation;
  readonly swarm?: ScenarioSwarm;
  /** The seed `npm start` and a bare `npm run scenario` use (default 1). */
  readonly defaultSeed?: number;
}

/** A scenario that does not hold together: every problem, each naming its field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`${where} is not a valid scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Types a scenario file's export; the runner checks it with validateScenario() before anything starts. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem of a scenario (empty when it is valid). `value` may be anything a file exported. */
export function scenarioProblems(value: unknown): string[] {
  const problems: string[] = [];
  const s = value as Partial<Scenario> | undefined;
  if (s === null || typeof s !== 'object') return ['the file must `export default defineScenario({...})`'];
  const need = (ok: boolean, field: string, message: string): void => {
    if (!ok) problems.push(`${field}: ${message}`);
  };
  const wholeAtLeast = (v: unknown, min: number): boolean => Number.isSafeInteger(v) && (v as number) >= min;
  const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

  need(typeof s.name === 'string' && NAME_PATTERN.test(s.name), 'name', `must be kebab-case like leader-crash-under-acks-all, got ${JSON.stringify(s.name)}`);
  need(typeof s.summary === 'string' && s.summary.length > 0 && !s.summary.includes('\n') && s.summary.length <= 120, 'summary', 'must be one line of at most 120 characters');
  need(typeof s.teaching === 'string' && s.teaching.trim().length >= 40, 'teaching', 'must say what happens and what to look for (at least a few sentences)');

  const cluster = s.cluster;
  if (cluster === undefined || typeof cluster !== 'object') problems.push('cluster: missing ({ brokers, controllers })');
  else {
    need(wholeAtLeast(cluster.brokers, 1), 'cluster.brokers', `must be a whole number >= 1, got ${JSON.stringify(cluster.brokers)}`);
    need([1, 3, 5].includes(cluster.controllers), 'cluster.controllers', `a KRaft quorum has 1, 3 or 5 controllers, got ${JSON.stringify(cluster.controllers)}`);
    if (cluster.racks !== undefined) need(Array.isArray(cluster.racks) && cluster.racks.length > 0 && cluster.racks.every((r) => typeof r === 'string' && r.length > 0), 'cluster.racks', 'must be a non-empty list of rack names');
  }
  if (s.extraLatencyMs !== undefined) need(nonNegative(s.extraLatencyMs), 'extraLatencyMs', 'must be a number of ms >= 0');
  if (s.hardware !== undefined) need(Object.hasOwn(HARDWARE_PROFILES, s.hardware), 'hardware', `unknown profile ${JSON.stringify(s.hardware)}; one of ${Object.keys(HARDWARE_PROFILES).join(', ')}`);

  const topic = s.topic;
  if (topic === undefined || typeof topic !== 'object') problems.push('topic: missing ({ name, partitions, replicationFactor })');
  else {
    need(typeof topic.name === 'string' && /^[a-zA-Z0-9._-]{1,249}$/.test(topic.name), 'topic.name', 'must be a legal Kafka topic name (letters, digits, . _ -)');
    need(wholeAtLeast(topic.partitions, 1), 'topic.partitions', `must be a whole number >= 1, got ${JSON.stringify(topic.partitions)}`);
    need(wholeAtLeast(topic.replicationFactor, 1) && (cluster?.brokers === undefined || topic.replicationFactor <= cluster.brokers), 'topic.replicationFactor', `must be between 1 and the number of brokers, got ${JSON.stringify(topic.replicationFactor)}`);
  }
  problems.push(...configProblems(s.config));

  const workload = s.workload;
  if (workload === undefined || typeof workload !== 'object' || !Array.isArray(workload.producers)) problems.push('workload: missing ({ producers: [...], consumers })');
  else {
    workload.producers.forEach((p, i) => {
      const at = `workload.producers[${i}]`;
      need(positive(p.ratePerSec) && p.ratePerSec <= 1_000_000, `${at}.ratePerSec`, `must be a number in (0, 1000000], got ${JSON.stringify(p.ratePerSec)}`);
      if (p.count !== undefined) need(wholeAtLeast(p.count, 1), `${at}.count`, 'must be a whole number >= 1');
      if (p.keys !== undefined) need(wholeAtLeast(p.keys, 1), `${at}.keys`, 'must be a whole number >= 1');
      if (p.keyDistribution !== undefined) need(['uniform', 'zipf'].includes(p.keyDistribution), `${at}.keyDistribution`, 'must be uniform or zipf');
      if (p.valueBytes !== undefined) {
        const range = typeof p.valueBytes === 'number' ? [p.valueBytes, p.valueBytes] : p.valueBytes;
        need(Array.isArray(range) && range.length === 2 && range.every((b) => wholeAtLeast(b, 16)) && range[0]! <= range[1]!, `${at}.valueBytes`, 'must be a whole number >= 16 or a [min, max] range of them');
      }
      if (p.config !== undefined) problems.push(...kindProblems('producer', { ...s.config?.producer, ...p.config }, `${at}.config`));
    });
    need(wholeAtLeast(workload.consumers, 0), 'workload.consumers', `must be a whole number >= 0, got ${JSON.stringify(workload.consumers)}`);
  }

  const phases = s.phases;
  if (phases === undefined || typeof phases !== 'object') problems.push('phases: missing ({ faultsMs, livenessMs, quiesceMs })');
  else {
    need(nonNegative(phases.faultsMs), 'phases.faultsMs', 'must be a number of ms >= 0');
    need(positive(phases.livenessMs), 'phases.livenessMs', 'must be a number of ms > 0 (liveness is judged after the heal)');
    need(positive(phases.quiesceMs), 'phases.quiesceMs', 'must be a number of ms > 0');
  }

  const faults = s.faults;
  if (faults !== undefined) {
    (faults.timeline ?? []).forEach((fault, i) => {
      try {
        validateFault(fault, `faults.timeline[${i}]`);
      } catch (error) {
        problems.push((error as Error).message);
      }
      if (phases !== undefined && typeof fault.atMs === 'number' && fault.atMs + fault.durationMs > phases.faultsMs) {
        problems.push(`faults.timeline[${i}]: ends at ${fault.atMs + fault.durationMs} ms, after phases.faultsMs (${phases.faultsMs} ms): every fault ends by the heal`);
      }
    });
    (faults.steps ?? []).forEach((step, i) => {
      need(typeof step.label === 'string' && step.label.length > 0, `faults.steps[${i}].label`, 'must say what the step does');
      need(step.do === undefined || typeof step.do === 'function', `faults.steps[${i}].do`, 'must be a function (ctx) => void');
    });
    if (faults.random !== undefined) problems.push(...randomProblems(faults.random, 'faults.random'));
  }

  problems.push(...expectationProblems(s.expect));
  if (s.swarm !== undefined) {
    problems.push(...randomProblems(s.swarm.faults, 'swarm.faults'));
    const e = s.swarm.expect;
    if (e !== 'no-anomalies') {
      need(e !== undefined && Array.isArray(e.mayShow) && Array.isArray(e.find) && e.find.length > 0, 'swarm.expect', "must be 'no-anomalies' or { mayShow: [...], find: [...] }");
      for (const kind of [...(e?.mayShow ?? []), ...(e?.find ?? [])]) need(ANOMALY_KINDS.includes(kind), 'swarm.expect', `unknown anomaly kind ${JSON.stringify(kind)}; one of ${ANOMALY_KINDS.join(', ')}`);
    }
    const vary = s.swarm.vary;
    if (vary?.rateFactor !== undefined) need(vary.rateFactor.length === 2 && positive(vary.rateFactor[0]) && vary.rateFactor[0] <= vary.rateFactor[1], 'swarm.vary.rateFactor', 'must be a [min, max] range of factors > 0');
    if (vary?.extraLatencyMs !== undefined) need(vary.extraLatencyMs.length === 2 && nonNegative(vary.extraLatencyMs[0]) && vary.extraLatencyMs[0] <= vary.extraLatencyMs[1], 'swarm.vary.extraLatencyMs', 'must be a [min, max] range of ms >= 0');
    for (const [qualified, values] of Object.entries(vary?.config ?? {})) {
      const [kind, key] = splitQualifiedKey(qualified);
      if (kind === undefined) { problems.push(`swarm.vary.config: ${JSON.stringify(qualified)} must be kind.key (broker., topic., producer. or consumer.)`); continue; }
      need(Array.isArray(values) && values.length > 0, `swarm.vary.config['${qualified}']`, 'must list the values to choose among');
      for (const v of values ?? []) problems.push(...kindProblems(kind, { [key]: v }, `swarm.vary.config['${qualified}']`));
    }
  }
  if (s.defaultSeed !== undefined) need(wholeAtLeast(s.defaultSeed, 0), 'defaultSeed', 'must be a whole number >= 0');
  return problems;
}

/** Throws a ScenarioError naming every problem of the scenario. */
export function validateScenario(value: unknown, where: string): asserts value is Scenario {
  const problems = scenarioProblems(value);
  if (problems.length > 0) throw new ScenarioError(where, problems);
}

/** `producer.linger.ms` -> ['producer', 'linger.ms']; [undefined, ...] when the prefix is not a config kind. */
export function splitQualifiedKey(qualified: string): [ConfigKind | undefined, string] {
  const dot = qualified.indexOf('.');
  const kind = qualified.slice(0, dot);
  if (dot < 0 || !['broker', 'topic', 'producer', 'consumer'].includes(kind)) return [undefined, qualified];
  return [kind as ConfigKind, qualified.slice(dot + 1)];
}

function configProblems(config: ScenarioConfig | undefined): string[] {
  if (config === undefined) return [];
  const problems: string[] = [];
  for (const field of Object.keys(config)) {
    if (!['broker', 'topic', 'producer', 'consumer'].includes(field)) problems.push(`config.${field}: unknown section; use broker, topic, producer or consumer`);
  }
  if (config.broker !== undefined) problems.push(...kindProblems('broker', config.broker, 'config.broker'));
  if (config.topic !== undefined) problems.push(...kindProblems('topic', config.topic, 'config.topic'));
  if (config.producer !== undefined) problems.push(...kindProblems('producer', config.producer, 'config.producer'));
  if (config.consumer !== undefined) problems.push(...kindProblems('consumer', config.consumer, 'config.consumer'));
  return problems;
}

/** Config problems of one kind, each prefixed with the field. Broker configs get the keys a node must have. */
export function kindProblems(kind: ConfigKind, overrides: ConfigOverrides, field: string): string[] {
  const required: ConfigOverrides = kind === 'broker'
    ? { 'node.id': 1, 'process.roles': 'broker', 'controller.quorum.voters': '101@controller-101:9093' }
    : kind === 'producer' || kind === 'consumer' ? { 'bootstrap.servers': ['broker-1:9092'] } : {};
  try {
    parseConfig(kind, { ...required, ...overrides });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${field}: ${p.message}`);
  }
}

function randomProblems(random: RandomFaultSpec | undefined, field: string): string[] {
  if (random === undefined || typeof random !== 'object') return [`${field}: missing`];
  const problems: string[] = [];
  const kinds = Object.entries(random.mix ?? {});
  if (kinds.length === 0 || !kinds.some(([, w]) => (w ?? 0) > 0)) problems.push(`${field}.mix: give at least one fault kind a weight > 0, e.g. { crash: 1 }`);
  for (const [kind, weight] of kinds) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) problems.push(`${field}.mix: unknown fault kind ${JSON.stringify(kind)}; one of ${FAULT_KINDS.join(', ')}`);
    if (!(typeof weight === 'number' && weight >= 0)) problems.push(`${field}.mix.${kind}: a weight must be a number >= 0`);
  }
  if (!['brokers', 'controllers', 'all'].includes(random.targets)) problems.push(`${field}.targets: must be brokers, controllers or all`);
  if (!(typeof random.meanGapMs === 'number' && random.meanGapMs > 0)) problems.push(`${field}.meanGapMs: must be a number of ms > 0`);
  const d = random.durationMs;
  if (!(Array.isArray(d) && d.length === 2 && d[0] > 0 && d[0] <= d[1])) problems.push(`${field}.durationMs: must be a [min, max] range of ms > 0`);
  if (random.maxConcurrent !== undefined && !(Number.isSafeInteger(random.maxConcurrent) && random.maxConcurrent >= 1)) problems.push(`${field}.maxConcurrent: must be a whole number >= 1`);
  for (const [kind, range] of Object.entries(random.intensity ?? {})) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) { problems.push(`${field}.intensity: unknown fault kind ${JSON.stringify(kind)}`); continue; }
    if (!(Array.isArray(range) && range.length === 2 && range[0] <= range[1])) { problems.push(`${field}.intensity.${kind}: must be a [min, max] range`); continue; }
    for (const value of range) {
      const why = intensityProblem(kind as FaultKind, value);
      if (why !== undefined) problems.push(`${field}.intensity.${kind}: ${why}`);
    }
  }
  for (const [kind, targets] of Object.entries(random.targetsByKind ?? {})) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) { problems.push(`${field}.targetsByKind: unknown fault kind ${JSON.stringify(kind)}`); continue; }
    for (const [i, target] of (targets ?? []).entries()) {
      try {
        parseTarget(target, `${field}.targetsByKind.${kind}[${i}]`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return problems;
}

function expectationProblems(expect: Expectation | undefined): string[] {
  if (expect === 'no-anomalies') return [];
  if (expect === undefined || typeof expect !== 'object' || !Array.isArray(expect.shows) || expect.shows.length === 0) {
    return ["expect: must be 'no-anomalies' or { shows: ['lost-write', ...], mayShow?: [...] }"];
  }
  const problems: string[] = [];
  for (const kind of [...expect.shows, ...(expect.mayShow ?? [])]) {
    if (!ANOMALY_KINDS.includes(kind)) problems.push(`expect: unknown anomaly kind ${JSON.stringify(kind)}; one of ${ANOMALY_KINDS.join(', ')}`);
  }
  return problems;
}

/** Whether the anomaly kinds found meet the expectation, and if not, why (one sentence). */
export function judge(expect: Expectation, found: ReadonlySet<AnomalyKind>): { ok: boolean; why: string } {
  if (expect === 'no-anomalies') {
    return found.size === 0 ? { ok: true, why: 'no anomaly, as expected' } : { ok: false, why: `expected no anomaly, found ${[...found].join(', ')}` };
  }
  const missing = expect.shows.filter((kind) => !found.has(kind));
  const allowed = new Set<AnomalyKind>([...expect.shows, ...(expect.mayShow ?? [])]);
  const unexpected = [...found].filter((kind) => !allowed.has(kind));
  if (missing.length > 0) return { ok: false, why: `expected ${missing.join(', ')}, which did not appear` };
  if (unexpected.length > 0) return { ok: false, why: `found ${unexpected.join(', ')}, which this scenario does not expect` };
  return { ok: true, why: `shows ${expect.shows.join(', ')}, as expected` };
}

// The scenario schema: every field a scenario file may have, what each allows, and the rules that span fields.
// The TypeScript types of sim/scenario.ts are inferred from it, so what a file may write and what the runner
// accepts cannot drift apart; an unknown key anywhere is refused with the nearest key (sim/schema-problems.ts).
//
// Delegated, not listed here: Kafka config keys and values (engine/config, through sim/config-overrides.ts),
// fault kinds, targets and intensities (sim/nemesis), anomaly kinds (sim/checkers/anomaly.ts), hardware
// profiles (sim/hardware.ts). The shapes of a fault and a story step are those of sim/nemesis/fault.ts and
// sim/script.ts: `satisfies FieldsOf<...>` makes a field added there and not here a compile error.

import * as z from 'zod';
import { CONFIG_KINDS, type ConfigKind } from '../engine/config/definition.ts';
import { nearest } from '../engine/config/suggest.ts';
import type { ConfigInputValue, ConfigOverrides } from '../engine/config/types.ts';
import { ANOMALY_KINDS } from './checkers/anomaly.ts';
import { configProblems, splitQualifiedKey } from './config-overrides.ts';
import { HARDWARE_PROFILES, type HardwareProfileName } from './hardware.ts';
import { FAULT_KINDS, intensityProblem, NemesisError, parseTarget, type Fault, type FaultKind } from './nemesis.ts';
import { fn, oneOf, rule, show, strict, valueAt } from './schema-problems.ts';
import type { ScriptContext, ScriptStep } from './script.ts';

/** A schema for each field of T, no more and no fewer. */
type FieldsOf<T> = { readonly [K in keyof T]-?: z.ZodType<T[K]> };

// ---------------------------------------------------------------------------------------------------------
// Values

/**
 * A number for which `ok` holds; `text` says what is allowed, for a value of the wrong type and a wrong number
 * alike. One refinement rather than zod's int(), min()...: int() stops the whole parse on a fraction, which
 * would hide the problems that the rules across fields find (see scenarioSchema).
 */
function numberWhere(text: string, ok: (n: number) => boolean): z.ZodNumber {
  return z.number(rule(text)).refine(ok, rule(text));
}

function stringWhere(text: string, ok: (s: string) => boolean): z.ZodString {
  return z.string(rule(text)).refine(ok, rule(text));
}

const whole = (min: number): z.ZodNumber => numberWhere(`must be a whole number >= ${min}`, (n) => Number.isSafeInteger(n) && n >= min);

/** Simulated milliseconds, `>= 0` or `> 0`; `why` is added to the message. */
const ms = (bound: '>= 0' | '> 0', why = ''): z.ZodNumber => numberWhere(`must be a number of ms ${bound}${why}`, (n) => (bound === '>= 0' ? n >= 0 : n > 0));

/** A `[min, max]` pair of `bound` values, min <= max. */
function range(bound: z.ZodNumber, what: string): z.ZodType<readonly [number, number]> {
  return z.tuple([bound, bound], rule(`must be ${what}`)).readonly().refine(([min, max]) => min <= max, rule(`must be ${what} with min <= max`));
}

const flag = z.boolean(rule('must be true or false'));

/** Kafka config keys to values, judged by engine/config (`configProblems`). */
const overrides: z.ZodType<ConfigOverrides> = z.custom<ConfigOverrides>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  rule("must be an object of Kafka config keys, e.g. { acks: 'all', 'linger.ms': 5 }"),
);

function configSection(kind: ConfigKind): z.ZodType<ConfigOverrides> {
  return overrides.superRefine((value, ctx) => {
    for (const message of configProblems(kind, value)) ctx.addIssue({ code: 'custom', message, input: value });
  });
}

/** A NemesisError's message without the field name it starts with (the path says where). */
function nemesisMessage(check: (field: string) => void): string | undefined {
  const field = 'value';
  try {
    check(field);
    return undefined;
  } catch (error) {
    if (!(error instanceof NemesisError)) throw error;
    return error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  }
}

const target = z.string(rule('must be a string such as broker-2, brokers or leader:orders-0')).superRefine((value, ctx) => {
  const message = nemesisMessage((field) => parseTarget(value, field));
  if (message !== undefined) ctx.addIssue({ code: 'custom', message, input: value });
});

const faultKind = oneOf(FAULT_KINDS, 'fault kind');
const anomalyKind = oneOf(ANOMALY_KINDS, 'anomaly kind');

/** An object keyed by fault kind (`{ crash: 2, pause: 1 }`), each value checked by `value`. */
function byFaultKind<T>(value: z.ZodType<T>): z.ZodType<Partial<Record<FaultKind, T>>> {
  return strict(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, value.optional()])), { keyNoun: 'fault kind' }).readonly();
}

// ---------------------------------------------------------------------------------------------------------
// Sections

const cluster = strict({
  brokers: whole(1),
  /** Dedicated KRaft controllers: 1, 3 or 5. */
  controllers: numberWhere('a KRaft quorum has 1, 3 or 5 controllers', (n) => [1, 3, 5].includes(n)),
  /** broker.rack of each broker, round-robin (broker-1 gets racks[0], ...); rack-aware placement uses it. */
  racks: z.array(stringWhere('must be a rack name', (name) => name.length > 0), rule('must be a non-empty list of rack names')).min(1, rule('must be a non-empty list of rack names')).readonly().optional(),
}).readonly();

const topic = strict({
  name: stringWhere('must be a legal Kafka topic name (letters, digits, . _ -, at most 249)', (name) => /^[a-zA-Z0-9._-]{1,249}$/.test(name)),
  partitions: whole(1),
  /** At most the number of brokers. */
  replicationFactor: whole(1),
}).readonly();

const config = strict({
  /** For every broker and controller (keys such as min.insync.replicas matter to both). */
  broker: configSection('broker').optional(),
  /** Topic-level overrides given to CreateTopics (retention.ms, segment.bytes, ...). */
  topic: configSection('topic').optional(),
  /** For every producer (a producer's own `config` wins). */
  producer: configSection('producer').optional(),
  consumer: configSection('consumer').optional(),
}).readonly();

const valueSize = whole(16);

const producer = strict({
  ratePerSec: numberWhere('must be a number in (0, 1000000]', (n) => n > 0 && n <= 1_000_000),
  /** This many producers alike (default 1). */
  count: whole(1).optional(),
  /** Distinct keys (default 100). */
  keys: whole(1).optional(),
  /** How producers choose keys: uniform over `keys`, or skewed (a few hot keys, Zipf s=1). */
  keyDistribution: oneOf(['uniform', 'zipf'], 'key distribution').optional(),
  /** Value size in bytes, or a [min, max] range drawn per record (default 100). */
  valueBytes: z.union([valueSize, range(valueSize, 'a [min, max] range of whole numbers >= 16')], rule('must be a whole number >= 16 or a [min, max] range of them')).optional(),
  /** Merged over config.producer; checked with it (see crossFieldRules). */
  config: overrides.optional(),
}).readonly();

const workload = strict({
  producers: z.array(producer, rule('must be a list of producers, e.g. [{ ratePerSec: 100 }]')).readonly(),
  /** Consumers that each read every partition from the earliest offset. */
  consumers: whole(0),
}).readonly();

const FAULT_FIELDS = {
  kind: faultKind,
  /** Who: `broker-2`, `broker-1,broker-3`, `brokers`, `controllers`, `leader:orders-0`, `active-controller`. */
  target,
  /** Simulated ms at which it starts. */
  atMs: ms('>= 0'),
  /** How long it lasts; it ends cleanly at atMs + durationMs. */
  durationMs: ms('> 0', ' (every fault ends)'),
  /** The degree of the kinds that have one; the kind's default if absent. */
  intensity: z.number(rule('must be a number')).optional(),
} satisfies FieldsOf<Fault>;

const fault: z.ZodType<Fault> = strict(FAULT_FIELDS).readonly().superRefine((value, ctx) => {
  if (value.intensity === undefined) return;
  const message = intensityProblem(value.kind, value.intensity);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message, path: ['intensity'], input: value.intensity });
});

const STEP_FIELDS = {
  /** What the step does, in the story's words. */
  label: stringWhere('must say what the step does', (label) => label.length > 0),
  atMs: ms('>= 0').optional(),
  afterMs: ms('>= 0').optional(),
  when: fn<(ctx: ScriptContext) => boolean>('a function (ctx) => boolean').optional(),
  timeoutMs: ms('> 0').optional(),
  do: fn<(ctx: ScriptContext) => void>('a function (ctx) => void').optional(),
} satisfies FieldsOf<ScriptStep>;

const step: z.ZodType<ScriptStep> = strict(STEP_FIELDS).readonly();

const randomFaults = strict({
  /** Relative weights of fault kinds. */
  mix: byFaultKind(numberWhere('a weight must be a number >= 0', (n) => n >= 0))
    // Only of a mix without other problems: `{ crsh: 1 }` is one mistake, not also an empty mix.
    .refine((mix) => Object.values(mix).some((weight) => weight !== undefined && weight > 0), { ...rule('give at least one fault kind a weight > 0, e.g. { crash: 1 }'), when: (payload) => payload.issues.length === 0 }),
  /** Which nodes faults hit. */
  targets: oneOf(['brokers', 'controllers', 'all'], 'target pool'),
  /** Also aim at roles, resolved when a fault starts: the leader of a partition, the active controller. */
  aimAtLeaders: flag.optional(),
  /** Mean quiet time between faults. */
  meanGapMs: ms('> 0'),
  durationMs: range(ms('> 0'), 'a [min, max] range of ms > 0'),
  /** Per kind, intensities drawn in [min, max] (loss probability, extra ms, slow factor); defaults per kind otherwise. */
  intensity: byFaultKind(range(z.number(rule('must be a number')), 'a [min, max] range'))
    .superRefine((ranges, ctx) => {
      for (const [kind, bounds] of Object.entries(ranges) as [FaultKind, readonly [number, number] | undefined][]) {
        const message = bounds?.map((value) => intensityProblem(kind, value)).find((m) => m !== undefined);
        if (message !== undefined) ctx.addIssue({ code: 'custom', message, path: [kind], input: bounds });
      }
    })
    .optional(),
  /** Per kind, the targets it may hit instead of `targets` (e.g. `{ 'power-loss': ['brokers'] }`: all at once). */
  targetsByKind: byFaultKind(z.array(target, rule('must be a list of targets')).readonly()).optional(),
  /** How many faults may be in effect at once (default 1). */
  maxConcurrent: whole(1).optional(),
  /**
   * A fault waits until the cluster has recovered from the previous one (every ISR full again): one failure
   * at a time as the cluster sees it. The safe configuration promises nothing against two at once.
   */
  waitForRecovery: flag.optional(),
}).readonly();

const faults = strict({
  /** Faults at fixed times (ms from the moment the topic is ready); targets may name roles (`leader:orders-0`). */
  timeline: z.array(fault, rule('must be a list of faults')).readonly().optional(),
  /** A story: steps that wait for conditions and act through the script context. */
  steps: z.array(step, rule('must be a list of steps')).readonly().optional(),
  random: randomFaults.optional(),
}).readonly();

const phases = strict({
  /** Load and faults; every fault ends by then (the heal). With steps, the heal comes after the last step. */
  faultsMs: ms('>= 0'),
  /** Load after the heal, without faults: the `unavailable` checker's bound (liveness). */
  livenessMs: ms('> 0', ' (liveness is judged after the heal)'),
  /** No new sends: in-flight ones finish, followers catch up, then the final state is captured. */
  quiesceMs: ms('> 0'),
}).readonly();

const anomalyKinds = z.array(anomalyKind, rule("must be a list of anomaly kinds, e.g. ['lost-write']")).readonly();
const someAnomalyKinds = z.array(anomalyKind, rule("must be a list of anomaly kinds, e.g. ['lost-write']")).min(1, rule("must name at least one anomaly kind, e.g. ['lost-write']")).readonly();

/**
 * What the run must show. `no-anomalies`: the configuration is safe against these faults. Otherwise every kind
 * in `shows` must appear (the famous loss this configuration allows), and any other kind found must be in
 * `mayShow` (what comes along with it, e.g. a consumer that read the lost record sees a poll-skip).
 */
const expectation = z.union(
  [z.literal('no-anomalies'), strict({ shows: someAnomalyKinds, mayShow: anomalyKinds.optional() }).readonly()],
  rule("must be 'no-anomalies' or { shows: ['lost-write', ...], mayShow?: [...] }"),
);

/** `producer.linger.ms`: [0, 5, 50]; each value is judged by engine/config. */
const variedValue = z.union([z.string(), z.number(), z.boolean()], rule('must be a string, number or boolean'));
const variedConfig = z
  .record(z.string(), z.array(variedValue, rule('must list the values to choose among')).min(1, rule('must list the values to choose among')).readonly(), rule("must be an object of kind.key to values, e.g. { 'producer.linger.ms': [0, 5, 50] }"))
  .readonly()
  // Run even when some entry is malformed (each entry is judged on its own), so that every one shows at once.
  .superRefine((entries: unknown, ctx) => {
    if (!isObject(entries)) return;
    for (const [qualified, values] of Object.entries(entries)) {
      const [kind, key] = splitQualifiedKey(qualified);
      if (kind === undefined) {
        const [near] = nearest(qualified.slice(0, Math.max(qualified.indexOf('.'), 0)), CONFIG_KINDS, 1);
        const hint = near === undefined ? '' : `; did you mean ${near}.${qualified.slice(qualified.indexOf('.') + 1)}?`;
        ctx.addIssue({ code: 'custom', message: `${show(qualified)} must be kind.key: broker., topic., producer. or consumer. and a Kafka key${hint}`, path: [qualified], input: qualified });
        continue;
      }
      const valid = Array.isArray(values) ? values.filter((v): v is ConfigInputValue => ['string', 'number', 'boolean'].includes(typeof v)) : [];
      const messages = new Set(valid.flatMap((value) => configProblems(kind, { [key]: value })));
      for (const message of messages) ctx.addIssue({ code: 'custom', message, path: [qualified], input: values });
    }
  }, { when: () => true });

/** Knob ranges a swarm draws per seed. */
const vary = strict({
  /** Multiplies every producer's rate by a factor drawn in this range. */
  rateFactor: range(numberWhere('must be a factor > 0', (n) => n > 0), 'a [min, max] range of factors > 0').optional(),
  /** Extra one-way network latency, ms, drawn in this range. */
  extraLatencyMs: range(ms('>= 0'), 'a [min, max] range of ms >= 0').optional(),
  /** Config values to choose among, by `kind.key` (`producer.linger.ms`: [0, 5, 50]). */
  config: variedConfig.optional(),
  /** Swarm testing (Groce et al.): each seed switches each fault kind of the mix off with probability 1/2. */
  thinFaultMix: flag.optional(),
}).readonly();

const swarm = strict({
  /** The random schedule each seed draws (the scenario's scripted faults are dropped in swarm mode). */
  faults: randomFaults,
  vary: vary.optional(),
  /**
   * Per seed: `no-anomalies`, or the kinds a seed may show. `find`: kinds the swarm as a whole must find in
   * some seed (an unsafe configuration's anomaly): the swarm fails if none of its seeds shows one.
   */
  expect: z.union(
    [z.literal('no-anomalies'), strict({ mayShow: anomalyKinds, find: someAnomalyKinds }).readonly()],
    rule("must be 'no-anomalies' or { mayShow: [...], find: ['lost-write', ...] }"),
  ),
}).readonly();

const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HARDWARE_NAMES = Object.keys(HARDWARE_PROFILES) as HardwareProfileName[];

export const scenarioSchema = strict(
  {
    /** Kebab-case, a sentence (`leader-crash-under-acks-all`): the file's name without `.ts`. */
    name: stringWhere('must be kebab-case like leader-crash-under-acks-all', (name) => NAME_PATTERN.test(name)),
    /** One line for the catalogue. */
    summary: stringWhere('must be one line of at most 120 characters', (text) => text.length > 0 && text.length <= 120 && !text.includes('\n')),
    /** What happens and what to look for, for a student reading the report. */
    teaching: stringWhere('must say what happens and what to look for (at least a few sentences)', (text) => text.trim().length >= 40),
    cluster,
    hardware: oneOf(HARDWARE_NAMES, 'hardware profile').optional(),
    /** Extra one-way latency on every network link, ms (default 0): a slower network than the profile's. */
    extraLatencyMs: ms('>= 0').optional(),
    topic,
    config: config.optional(),
    workload,
    faults: faults.optional(),
    phases,
    expect: expectation,
    swarm: swarm.optional(),
    /** The seed `npm start` and a bare `npm run scenario` use (default 1). */
    defaultSeed: whole(0).optional(),
  },
  { notAnObject: () => 'the file must `export default defineScenario({...})`' },
)
  .readonly()
  // Rules across sections run even when a section has problems of its own, so that every problem shows at once
  // (zod skips them only after a check that stops the parse, which this schema does not use); they read the
  // value as it is, perhaps malformed, hence `unknown`.
  .superRefine((value, ctx) => crossFieldRules(value, ctx), { when: () => true });

function crossFieldRules(value: unknown, ctx: z.RefinementCtx): void {
  const brokers = valueAt(value, ['cluster', 'brokers']);
  const replicationFactor = valueAt(value, ['topic', 'replicationFactor']);
  if (typeof brokers === 'number' && typeof replicationFactor === 'number' && replicationFactor > brokers) {
    ctx.addIssue({ code: 'custom', path: ['topic', 'replicationFactor'], input: replicationFactor, message: `must be between 1 and the number of brokers (cluster.brokers: ${brokers}), got ${replicationFactor}` });
  }

  const faultsMs = valueAt(value, ['phases', 'faultsMs']);
  const timeline = valueAt(value, ['faults', 'timeline']);
  if (typeof faultsMs === 'number' && Array.isArray(timeline)) {
    timeline.forEach((entry: unknown, i) => {
      const atMs = valueAt(entry, ['atMs']);
      const durationMs = valueAt(entry, ['durationMs']);
      if (typeof atMs === 'number' && typeof durationMs === 'number' && atMs + durationMs > faultsMs) {
        ctx.addIssue({ code: 'custom', path: ['faults', 'timeline', i], input: entry, message: `ends at ${atMs + durationMs} ms, after phases.faultsMs (${faultsMs} ms): every fault ends by the heal` });
      }
    });
  }

  // A producer's own config is judged merged over config.producer: the cross-key rules (idempotence needs
  // acks=all, ...) see what that producer will run with. What config.producer alone is told is not repeated.
  const section = valueAt(value, ['config', 'producer']) ?? {};
  const producers = valueAt(value, ['workload', 'producers']);
  if (Array.isArray(producers) && isObject(section)) {
    const told = new Set(configProblems('producer', section as ConfigOverrides));
    producers.forEach((entry: unknown, i) => {
      const own = valueAt(entry, ['config']);
      if (!isObject(own)) return;
      for (const message of configProblems('producer', { ...(section as ConfigOverrides), ...(own as ConfigOverrides) })) {
        if (!told.has(message)) ctx.addIssue({ code: 'custom', path: ['workload', 'producers', i, 'config'], input: own, message });
      }
    });
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a scenario file exports. An interface (rather than the inferred type itself) so that editors and compiler errors name it. */
export interface Scenario extends z.infer<typeof scenarioSchema> {}
export type ScenarioCluster = z.infer<typeof cluster>;
export type ScenarioTopic = z.infer<typeof topic>;
export type ScenarioConfig = z.infer<typeof config>;
export type ScenarioProducer = z.infer<typeof producer>;
export type KeyDistribution = NonNullable<ScenarioProducer['keyDistribution']>;
export type ScenarioWorkload = z.infer<typeof workload>;
export type RandomFaultSpec = z.infer<typeof randomFaults>;
export type ScenarioFaults = z.infer<typeof faults>;
export type ScenarioPhases = z.infer<typeof phases>;
export type Expectation = z.infer<typeof expectation>;
export type SwarmVary = z.infer<typeof vary>;
export type ScenarioSwarm = z.infer<typeof swarm>;

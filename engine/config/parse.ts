// parseConfig: a user's Kafka keys and values → a frozen, fully typed config of one kind, or a ConfigError
// listing every problem (unknown keys with did-you-mean, bad values with what is allowed, missing required
// keys, contradictions across keys). Nothing starts on a bad config.
//
// Each parsed config remembers, out of sight (a symbol, not enumerable), which keys the user set. That lets a
// config be a base for another (`parseConfig('producer', { acks: '1' }, producerConfig)`) with Kafka's
// semantics intact: `log.retention.hours` given later still loses to a `log.retention.ms` set earlier, and a
// default that a rule adjusted is adjusted afresh.

import type { ConfigDef, ConfigKind, Fallback } from './definition.ts';
import { LONG_MAX, describeAllowed } from './definition.ts';
import { coerceValue } from './coerce.ts';
import { applyCrossKeyRules } from './cross-key-rules.ts';
import type { ConfigProblem, UnknownKeyProblem } from './errors.ts';
import { ConfigError, showValue } from './errors.ts';
import { CONFIG_KEYS, definitionOf, keysOf, kindsOf } from './registry.ts';
import { notModelledReason } from './not-modelled.ts';
import { nearest } from './suggest.ts';
import type { BrokerConfig, ConfigBase, ConfigFor, ConfigInputValue, ConfigOverrides, ConfigValue } from './types.ts';

const META = Symbol('tributary.config');

interface ConfigMeta {
  readonly kind: ConfigKind;
  /** The values the user set, across every layer, already converted. */
  readonly explicit: Readonly<Record<string, ConfigValue>>;
  /** Topic configs: the broker config that gave the cluster-wide defaults, if any. */
  readonly brokerDefaults: BrokerConfig | null;
}

/**
 * Checks `overrides` (Kafka keys → values as written in a properties file or in code) and returns the full
 * config of `kind`: every key, defaults filled in, values typed, frozen. Throws a ConfigError with every
 * problem found.
 *
 * `base`: for a topic, the broker config whose keys give the cluster-wide defaults (`retention.ms` ←
 * `log.retention.ms`), or a topic config to change some keys of; for other kinds, a config of the same kind
 * to change some keys of.
 */
export function parseConfig<K extends ConfigKind>(kind: K, overrides: ConfigOverrides, base?: ConfigBase<K>): ConfigFor<K> {
  const layer = baseLayer(kind, base);
  const explicit: Record<string, ConfigValue> = { ...layer.explicit };
  const problems: ConfigProblem[] = [];
  const invalidKeys = new Set<string>();

  for (const [key, raw] of Object.entries(overrides)) {
    const def = definitionOf(kind, key);
    if (!def) {
      problems.push(unknownKey(kind, key));
      continue;
    }
    const coerced = coerceValue(def, raw);
    if (coerced.ok) {
      explicit[key] = coerced.value;
    } else {
      invalidKeys.add(key);
      problems.push(invalidValue(key, raw, def, coerced.reason, coerced.notModelled));
    }
  }

  const values = resolveValues(kind, explicit, layer.brokerDefaults, problems, invalidKeys);
  problems.push(...applyCrossKeyRules(kind, { values, explicit: new Set(Object.keys(explicit)) }, invalidKeys));
  if (problems.length > 0) throw new ConfigError(kind, problems);

  Object.defineProperty(values, META, {
    value: { kind, explicit: Object.freeze(explicit), brokerDefaults: layer.brokerDefaults } satisfies ConfigMeta,
    enumerable: false,
  });
  return Object.freeze(values) as unknown as ConfigFor<K>;
}

/** The keys the user set on `config` (across the configs it was built on), with their parsed values. */
export function explicitOverrides(config: object): Readonly<Record<string, ConfigValue>> {
  return metaOf(config).explicit;
}

/** The kind of a config returned by parseConfig. */
export function configKindOf(config: object): ConfigKind {
  return metaOf(config).kind;
}

/** Where a key's value came from: the user, the broker's cluster-wide default (topics), or the default. */
export function configSource(config: object, key: string): 'override' | 'broker' | 'default' {
  const meta = metaOf(config);
  if (Object.hasOwn(meta.explicit, key)) return 'override';
  const def = definitionOf(meta.kind, key);
  if (meta.brokerDefaults && def?.brokerKey) {
    const brokerExplicit = metaOf(meta.brokerDefaults).explicit;
    const brokerKeys = [def.brokerKey, ...(definitionOf('broker', def.brokerKey)?.fallback ?? []).map((step) => step.key)];
    return brokerKeys.some((brokerKey) => Object.hasOwn(brokerExplicit, brokerKey)) ? 'broker' : 'default';
  }
  return 'default';
}

function metaOf(config: object): ConfigMeta {
  const meta = (config as { [META]?: ConfigMeta })[META];
  if (!meta) throw new TypeError('not a config returned by parseConfig');
  return meta;
}

function baseLayer(kind: ConfigKind, base: object | undefined): Omit<ConfigMeta, 'kind'> {
  if (base === undefined) return { explicit: {}, brokerDefaults: null };
  const meta = metaOf(base);
  if (meta.kind === kind) return meta;
  if (kind === 'topic' && meta.kind === 'broker') return { explicit: {}, brokerDefaults: base as BrokerConfig };
  throw new TypeError(`a ${kind} config cannot be built on a ${meta.kind} config`);
}

/** Every key of the kind in table order: the user's value, else the broker's, else its family's, else the default. */
function resolveValues(
  kind: ConfigKind,
  explicit: Readonly<Record<string, ConfigValue>>,
  brokerDefaults: BrokerConfig | null,
  problems: ConfigProblem[],
  invalidKeys: Set<string>,
): Record<string, ConfigValue> {
  const keys = CONFIG_KEYS[kind];
  const values: Record<string, ConfigValue> = {};
  const withFallback: [string, readonly Fallback[]][] = [];
  for (const key of Object.keys(keys)) {
    const def = keys[key]!;
    if (Object.hasOwn(explicit, key)) {
      values[key] = explicit[key]!;
    } else if (brokerDefaults && def.brokerKey) {
      values[key] = (brokerDefaults as unknown as Record<string, ConfigValue>)[def.brokerKey]!;
    } else if (def.fallback) {
      values[key] = null;
      withFallback.push([key, def.fallback]);
    } else if (def.required) {
      values[key] = null;
      if (invalidKeys.has(key)) continue; // given, but invalid: already reported
      invalidKeys.add(key);
      problems.push({
        type: 'missing-key', key, allowed: describeAllowed(def),
        message: `${key} is required (it has no default): ${describeAllowed(def)}`,
      });
    } else {
      values[key] = defaultValue(def);
    }
  }
  // Fallbacks read other keys, so they resolve once every plain key has its value.
  for (const [key, fallback] of withFallback) {
    const source = fallback.find((step) => Object.hasOwn(explicit, step.key)) ?? fallback[fallback.length - 1]!;
    if (invalidKeys.has(source.key)) invalidKeys.add(key);
    values[key] = scaled(values[source.key]!, source.scale);
  }
  return values;
}

function defaultValue(def: ConfigDef): ConfigValue {
  return Array.isArray(def.default) ? Object.freeze([...def.default]) : (def.default as ConfigValue);
}

/** A family member's value in the finer unit. Kafka reads any negative retention as -1 (keep forever). */
function scaled(value: ConfigValue, scale: number): ConfigValue {
  if (typeof value === 'string') return Object.freeze([value]);
  if (typeof value !== 'number') return value;
  const result = value * scale;
  return result < 0 ? -1 : Math.min(result, LONG_MAX);
}

function invalidValue(key: string, raw: ConfigInputValue, def: ConfigDef, reason: string, notModelled: string | undefined): ConfigProblem {
  const allowed = describeAllowed(def);
  const message = notModelled === undefined
    ? `${key} = ${showValue(raw)} is not valid: ${reason}; allowed: ${allowed}`
    : `${key} = ${showValue(raw)} is refused: ${reason}. ${sentence(notModelled)} Allowed here: ${allowed}`;
  return { type: 'invalid-value', key, value: raw, allowed, notModelled: notModelled ?? null, message };
}

/** `why` as a sentence of its own: capitalised, with a full stop. */
function sentence(why: string): string {
  return `${why.charAt(0).toUpperCase()}${why.slice(1)}${why.endsWith('.') ? '' : '.'}`;
}

function unknownKey(kind: ConfigKind, key: string): UnknownKeyProblem {
  const otherKinds = kindsOf(key);
  const suggestions = nearest(key, keysOf(kind));
  let message = `${key} is not a ${kind} config`;
  const topicKey = kind === 'topic' ? topicKeyForBrokerKey(key) : undefined;
  const brokerKey = kind === 'broker' ? definitionOf('topic', key)?.brokerKey : undefined;
  const reason = notModelledReason(kind, key);
  if (reason) {
    message = `${key} is a Kafka ${kind} config that Tributary does not model: ${reason}`;
  } else if (topicKey) {
    message += `: it is the broker's cluster-wide default; the topic key is ${topicKey}`;
  } else if (brokerKey) {
    message += `: it is a topic config; the broker's cluster-wide default for it is ${brokerKey}`;
  } else if (otherKinds.length > 0) {
    message += `: it is a ${otherKinds.join(' and ')} config`;
  } else if (suggestions.length > 0) {
    message += `; did you mean ${suggestions.join(' or ')}?`;
  } else {
    message += ` (describeConfig('${kind}') lists the keys)`;
  }
  const suggested = reason ? [] : topicKey ? [topicKey] : brokerKey ? [brokerKey] : suggestions;
  return { type: 'unknown-key', key, suggestions: suggested, otherKinds, notModelled: reason ?? null, message };
}

function topicKeyForBrokerKey(brokerKey: string): string | undefined {
  const topicKeys = CONFIG_KEYS.topic;
  return Object.keys(topicKeys).find((key) => topicKeys[key]!.brokerKey === brokerKey);
}

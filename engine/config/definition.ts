// How one configuration key is defined: its Kafka name, type, default, what values it allows, and a one-line doc.
//
// The four key tables (broker-keys.ts, topic-keys.ts, producer-keys.ts, consumer-keys.ts) are written with
// `defineKeys`, which keeps their literal types (`'all' | '0' | '1'`, `default: null`), so types.ts derives
// BrokerConfig & co. from the tables themselves: a key, its type and its default cannot drift apart.
//
// Kafka's Long.MAX_VALUE (the "never" of flush.messages, flush.ms, max.compaction.lag.ms) has no exact JS
// number; as in engine/log/log-config.ts it is held as Number.MAX_SAFE_INTEGER (LONG_MAX), and an input of
// 9223372036854775807 (or anything between the two) reads as it.

export type ConfigKind = 'broker' | 'topic' | 'producer' | 'consumer';

export const CONFIG_KINDS: readonly ConfigKind[] = ['broker', 'topic', 'producer', 'consumer'];

/** Kafka's ConfigDef types, plus `enum` for a string with a fixed set of values. */
export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list' | 'enum';

export const INT_MAX = 2_147_483_647;
export const INT_MIN = -2_147_483_648;
export const SHORT_MAX = 32_767;
/** Kafka's Long.MAX_VALUE as held here: Number.MAX_SAFE_INTEGER (see the file comment). */
export const LONG_MAX = Number.MAX_SAFE_INTEGER;
export const LONG_MIN = Number.MIN_SAFE_INTEGER;

/**
 * One step of a time-unit family (`log.retention.ms` ← `log.retention.minutes` ← `log.retention.hours`):
 * when the key is not set, the first of its fallbacks that is set gives its value times `scale`; when none is
 * set, the last fallback's default does. As in Kafka, the finest unit wins.
 */
export interface Fallback {
  readonly key: string;
  readonly scale: number;
}

interface CommonDef {
  /** One line: what the key does. */
  readonly doc: string;
  /** Where Kafka 3.x and 4.0 differ, or where Tributary deviates from Kafka, and why. */
  readonly note?: string;
  /** A key Apache Kafka does not have: Tributary's own teaching switch. */
  readonly tributaryOnly?: true;
  /** No default: the key must be given (Kafka's "Missing required configuration ... which has no default"). */
  readonly required?: true;
  /** Topic keys: the broker key whose value is the cluster-wide default (Kafka's "Server Default Property"). */
  readonly brokerKey?: string;
  /** A time-unit family or a fallback key: see Fallback. The resolved value is never null. */
  readonly fallback?: readonly Fallback[];
}

export interface NumberDef extends CommonDef {
  readonly type: 'int' | 'long' | 'double';
  readonly default: number | null;
  /** Inclusive bounds; absent = the type's own bounds. */
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanDef extends CommonDef {
  readonly type: 'boolean';
  readonly default: boolean;
}

export interface StringDef extends CommonDef {
  readonly type: 'string';
  readonly default: string | null;
}

/**
 * Values Kafka allows that Tributary does not model, each with why and what the engine does instead. Such a
 * value is refused like an invalid one, saying so (`cleanup.policy=compact`: there is no log cleaner). A key
 * none of whose values is modelled is not in the tables at all but in not-modelled.ts.
 */
export type NotModelledValues = Readonly<Record<string, string>>;

export interface EnumDef extends CommonDef {
  readonly type: 'enum';
  /** The canonical values, which the parsed config holds. */
  readonly values: readonly string[];
  readonly default: string | null;
  /** Other spellings Kafka accepts, mapped to a canonical value (acks: `-1` → `all`). */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly notModelledValues?: NotModelledValues;
}

export interface ListDef extends CommonDef {
  readonly type: 'list';
  readonly default: readonly string[] | null;
  /** When given, every item must be one of these (after aliases). */
  readonly values?: readonly string[];
  /** Other spellings of items, mapped to a canonical value. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** An empty list is not allowed. */
  readonly nonEmpty?: true;
  /** When given, every item must match, and `itemDoc` says what that means. */
  readonly itemPattern?: RegExp;
  readonly itemDoc?: string;
  readonly notModelledValues?: NotModelledValues;
  /** Kafka takes more items than Tributary models (log.dirs: one directory, no JBOD): how many, and why. */
  readonly maxItems?: { readonly count: number; readonly notModelled: string };
}

export type ConfigDef = NumberDef | BooleanDef | StringDef | EnumDef | ListDef;

/** A table of keys for one kind. */
export type ConfigKeys = Readonly<Record<string, ConfigDef>>;

/**
 * Writes a key table and keeps its literal types, so types.ts can derive the config type from it.
 * (The `const` type parameter turns `values: ['all', '0', '1']` into a tuple of literals.)
 */
export function defineKeys<const T extends ConfigKeys>(keys: T): T {
  return keys;
}

/** The inclusive bounds of a number type. */
function typeBounds(type: NumberDef['type']): { readonly min: number; readonly max: number } {
  if (type === 'int') return { min: INT_MIN, max: INT_MAX };
  if (type === 'long') return { min: LONG_MIN, max: LONG_MAX };
  return { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
}

/** The inclusive bounds of a number key: its own min/max, else its type's. */
export function numberBounds(def: NumberDef): { readonly min: number; readonly max: number } {
  const bounds = typeBounds(def.type);
  return { min: def.min ?? bounds.min, max: def.max ?? bounds.max };
}

/** A number as Kafka's docs print it: LONG_MAX as 9223372036854775807. */
export function formatNumber(value: number): string {
  if (value === LONG_MAX) return '9223372036854775807';
  if (value === LONG_MIN) return '-9223372036854775808';
  return String(value);
}

/** What a key allows, in Kafka's notation: `[1,...]`, `[0,...,1]`, `[all, -1, 0, 1]`. */
export function describeAllowed(def: ConfigDef): string {
  switch (def.type) {
    case 'int':
    case 'long':
    case 'double': {
      const { min, max } = numberBounds(def);
      const bounds = typeBounds(def.type);
      const what = def.type === 'int' ? 'an int' : `a ${def.type}`;
      if (min === bounds.min && max === bounds.max) return what;
      if (max === bounds.max) return `${what} in [${formatNumber(min)},...]`;
      if (min === bounds.min) return `${what} in [...,${formatNumber(max)}]`;
      return `${what} in [${formatNumber(min)},...,${formatNumber(max)}]`;
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      return def.default === null ? 'a string (or unset)' : 'a string';
    case 'enum':
      return `one of [${[...def.values, ...Object.keys(def.aliases ?? {})].join(', ')}]`;
    case 'list': {
      const items = def.values
        ? `items from [${[...def.values, ...Object.keys(def.aliases ?? {})].join(', ')}]`
        : def.itemDoc ?? 'items';
      const count = def.maxItems === undefined ? '' : `, at most ${def.maxItems.count}`;
      return `a comma-separated list of ${items}${def.nonEmpty ? ', not empty' : ''}${count}`;
    }
  }
}

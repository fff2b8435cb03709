// describeConfig: the keys of a kind with their types, defaults, allowed values and docs, for docs and the
// CLI; given a parsed config, also each key's value and where it came from.

import type { ConfigDef, ConfigKind } from './definition.ts';
import { describeAllowed, formatNumber } from './definition.ts';
import { configKindOf, configSource } from './parse.ts';
import { CONFIG_KEYS } from './registry.ts';
import type { ConfigValue } from './types.ts';

export interface ConfigKeyDescription {
  readonly key: string;
  readonly type: ConfigDef['type'];
  /** The default as Kafka's docs print it (`9223372036854775807`, `delete`, `null`), or `(required)`. */
  readonly defaultText: string;
  /** What the key allows, in Kafka's notation. */
  readonly allowed: string;
  readonly doc: string;
  /** Kafka 3.x/4.0 differences and Tributary deviations. */
  readonly note?: string;
  /** Topic keys: the broker key that sets the cluster-wide default. */
  readonly brokerKey?: string;
  /** A key Apache Kafka does not have. */
  readonly tributaryOnly: boolean;
  /** Only when a config was given: its value, shown like the default, and where it came from. */
  readonly valueText?: string;
  readonly source?: 'override' | 'broker' | 'default';
}

/** The keys of `kind` in table order; pass a parsed config of that kind to add its values and their sources. */
export function describeConfig(kind: ConfigKind, config?: object): readonly ConfigKeyDescription[] {
  if (config !== undefined && configKindOf(config) !== kind) {
    throw new TypeError(`describeConfig('${kind}') was given a ${configKindOf(config)} config`);
  }
  const keys = CONFIG_KEYS[kind];
  return Object.keys(keys).map((key) => {
    const def = keys[key]!;
    const description: ConfigKeyDescription = {
      key,
      type: def.type,
      defaultText: def.required ? '(required)' : formatValue(def.default),
      allowed: describeAllowed(def),
      doc: def.doc,
      tributaryOnly: def.tributaryOnly === true,
      ...(def.note === undefined ? {} : { note: def.note }),
      ...(def.brokerKey === undefined ? {} : { brokerKey: def.brokerKey }),
    };
    if (config === undefined) return description;
    const value = (config as Record<string, ConfigValue>)[key]!;
    return { ...description, valueText: formatValue(value), source: configSource(config, key) };
  });
}

/** A value as Kafka's docs print it: lists comma-separated, Long.MAX_VALUE in full, null as `null`. */
export function formatValue(value: ConfigValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return value.join(',');
}

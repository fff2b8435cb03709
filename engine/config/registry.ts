// The four key tables by kind, and lookups across them.

import type { ConfigDef, ConfigKeys, ConfigKind } from './definition.ts';
import { CONFIG_KINDS } from './definition.ts';
import { BROKER_KEYS } from './broker-keys.ts';
import { TOPIC_KEYS } from './topic-keys.ts';
import { PRODUCER_KEYS } from './producer-keys.ts';
import { CONSUMER_KEYS } from './consumer-keys.ts';

export const CONFIG_KEYS: { readonly [K in ConfigKind]: ConfigKeys } = {
  broker: BROKER_KEYS,
  topic: TOPIC_KEYS,
  producer: PRODUCER_KEYS,
  consumer: CONSUMER_KEYS,
};

/** The definition of `key` for `kind`, or undefined when that kind has no such key. */
export function definitionOf(kind: ConfigKind, key: string): ConfigDef | undefined {
  const keys = CONFIG_KEYS[kind];
  return Object.hasOwn(keys, key) ? keys[key] : undefined;
}

/** The kinds that have `key`. */
export function kindsOf(key: string): ConfigKind[] {
  return CONFIG_KINDS.filter((kind) => definitionOf(kind, key) !== undefined);
}

/** The keys of a kind, in table order. */
export function keysOf(kind: ConfigKind): readonly string[] {
  return Object.keys(CONFIG_KEYS[kind]);
}

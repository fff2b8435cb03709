// The typed configurations, derived from the key tables so that a key, its type and its default cannot drift.
//
// Property names are Kafka's keys: `config['min.insync.replicas']`. Values are numbers (int, long, double),
// booleans, strings, string-literal unions (enums: `config.acks` is 'all' | '0' | '1') and readonly string
// arrays (lists). A key is `| null` only when Kafka's default is null and nothing resolves it (transactional.id,
// group.id, log.retention.minutes); required keys and time-unit families are never null once parsed.

import type { ConfigKind } from './definition.ts';
import type { BROKER_KEYS } from './broker-keys.ts';
import type { TOPIC_KEYS } from './topic-keys.ts';
import type { PRODUCER_KEYS } from './producer-keys.ts';
import type { CONSUMER_KEYS } from './consumer-keys.ts';

/** A value as a user writes it: a properties-file string, or a number, boolean or string list from code. */
export type ConfigInputValue = string | number | boolean | readonly string[];

/** Kafka keys to values, as a user writes them; parseConfig checks every key and value. */
export type ConfigOverrides = Readonly<Record<string, ConfigInputValue>>;

/** Any parsed value. */
export type ConfigValue = number | boolean | string | readonly string[] | null;

type NullUnlessResolved<D> = D extends { readonly default: null }
  ? D extends { readonly required: true } ? never
    : D extends { readonly fallback: readonly unknown[] } ? never
      : null
  : never;

/** The parsed value type of one key definition. */
export type ConfigValueOf<D> =
  D extends { readonly type: 'enum'; readonly values: readonly (infer V)[] } ? V | NullUnlessResolved<D>
    : D extends { readonly type: 'int' | 'long' | 'double' } ? number | NullUnlessResolved<D>
      : D extends { readonly type: 'boolean' } ? boolean
        : D extends { readonly type: 'string' } ? string | NullUnlessResolved<D>
          : D extends { readonly type: 'list'; readonly values: readonly (infer V)[] } ? readonly V[] | NullUnlessResolved<D>
            : D extends { readonly type: 'list' } ? readonly string[] | NullUnlessResolved<D>
              : never;

/** The parsed config of a key table: every key, typed. */
export type ConfigOf<T> = { readonly [K in keyof T]: ConfigValueOf<T[K]> };

export type BrokerConfig = ConfigOf<typeof BROKER_KEYS>;
export type TopicConfig = ConfigOf<typeof TOPIC_KEYS>;
export type ProducerConfig = ConfigOf<typeof PRODUCER_KEYS>;
export type ConsumerConfig = ConfigOf<typeof CONSUMER_KEYS>;

export interface ConfigByKind {
  readonly broker: BrokerConfig;
  readonly topic: TopicConfig;
  readonly producer: ProducerConfig;
  readonly consumer: ConsumerConfig;
}

/** The parsed config of a kind. */
export type ConfigFor<K extends ConfigKind> = ConfigByKind[K];

/** The keys of a kind. */
export type ConfigKeyOf<K extends ConfigKind> = keyof ConfigByKind[K] & string;

/**
 * What parseConfig may build on: a topic builds on the broker config whose keys give its cluster-wide
 * defaults (or on a topic config, to change some of its keys); other kinds build on a config of their own kind.
 */
export type ConfigBase<K extends ConfigKind> = K extends 'topic' ? BrokerConfig | TopicConfig : ConfigFor<K>;

// Kafka configuration for Tributary: broker, topic, producer and consumer keys with Kafka's names and
// defaults, parsed and checked at the boundary. See parse.ts (parseConfig) and describe.ts (describeConfig).

export type { ConfigDef, ConfigKind, ConfigType, Fallback } from './definition.ts';
export { CONFIG_KINDS, INT_MAX, LONG_MAX, describeAllowed } from './definition.ts';
export type {
  BrokerConfig, ConfigBase, ConfigFor, ConfigInputValue, ConfigKeyOf, ConfigOverrides, ConfigValue,
  ConsumerConfig, ProducerConfig, TopicConfig,
} from './types.ts';
export type {
  ConfigProblem, ConflictProblem, InvalidValueProblem, MissingKeyProblem, UnknownKeyProblem,
} from './errors.ts';
export { ConfigError } from './errors.ts';
export { configKindOf, configSource, explicitOverrides, parseConfig } from './parse.ts';
export type { ConfigKeyDescription } from './describe.ts';
export { describeConfig, formatValue } from './describe.ts';
export { CONFIG_KEYS, definitionOf, keysOf, kindsOf } from './registry.ts';
export { BROKER_KEYS } from './broker-keys.ts';
export { TOPIC_KEYS } from './topic-keys.ts';
export { PRODUCER_KEYS, acksOnWire, MAX_IN_FLIGHT_FOR_IDEMPOTENCE } from './producer-keys.ts';
export { CONSUMER_KEYS } from './consumer-keys.ts';
export type { QuorumVoter } from './quorum-voters.ts';
export { parseQuorumVoters } from './quorum-voters.ts';

// Kafka config overrides as a scenario, a swarm or `--set` gives them: checked by engine/config, which knows
// every key, its values and its did-you-mean. The scenario schema delegates to it rather than list Kafka keys.

import { CONFIG_KINDS, type ConfigKind } from '../engine/config/definition.ts';
import { ConfigError } from '../engine/config/errors.ts';
import { parseConfig } from '../engine/config/parse.ts';
import type { ConfigOverrides } from '../engine/config/types.ts';

/** `producer.linger.ms` -> ['producer', 'linger.ms']; [undefined, ...] when the prefix is not a config kind. */
export function splitQualifiedKey(qualified: string): [ConfigKind | undefined, string] {
  const dot = qualified.indexOf('.');
  const kind = qualified.slice(0, dot);
  if (dot < 0 || !(CONFIG_KINDS as readonly string[]).includes(kind)) return [undefined, qualified];
  return [kind as ConfigKind, qualified.slice(dot + 1)];
}

/** What engine/config says is wrong with these overrides of one kind; empty when nothing is. */
export function configProblems(kind: ConfigKind, overrides: ConfigOverrides): string[] {
  // The keys a node must have are given here, so that only the scenario's own keys are judged.
  const required: ConfigOverrides = kind === 'broker'
    ? { 'node.id': 1, 'process.roles': 'broker', 'controller.quorum.voters': '101@controller-101:9093' }
    : kind === 'producer' || kind === 'consumer' ? { 'bootstrap.servers': ['broker-1:9092'] } : {};
  try {
    parseConfig(kind, { ...required, ...overrides });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.message);
  }
}

/** Config problems of one kind, each prefixed with `field` (`config.producer: ...`, `--set acks=x: ...`). */
export function kindProblems(kind: ConfigKind, overrides: ConfigOverrides, field: string): string[] {
  return configProblems(kind, overrides).map((message) => `${field}: ${message}`);
}

// `--set key=value`: a Kafka config key for one run, given on the command line.
//
// A key may name its kind (`producer.acks=1`, `broker.min.insync.replicas=1`, `topic.retention.ms=60000`,
// `consumer.fetch.max.wait.ms=100`) or not (`acks=1`): a bare key goes to every kind that has it, except that
// a key both brokers and topics have (min.insync.replicas) is set on the brokers (topics inherit it, and the
// controllers, which elect leaders, read it there too).

import type { ConfigKind } from '../engine/config/definition.ts';
import { kindsOf, keysOf } from '../engine/config/registry.ts';
import { nearest } from '../engine/config/suggest.ts';
import { kindProblems, splitQualifiedKey } from './scenario.ts';

export interface Setting {
  readonly kind: ConfigKind;
  readonly key: string;
  readonly value: string;
  /** As the user wrote it. */
  readonly text: string;
}

export class SettingError extends Error {
  override readonly name = 'SettingError';
}

const ALL_KINDS: readonly ConfigKind[] = ['broker', 'topic', 'producer', 'consumer'];

/** Parses and checks `--set` texts; a SettingError says which one is wrong and how to write it. */
export function parseSettings(texts: readonly string[]): Setting[] {
  const settings: Setting[] = [];
  for (const text of texts) settings.push(...parseSetting(text));
  return settings;
}

function parseSetting(text: string): Setting[] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SettingError(`--set ${text}: write it as key=value, e.g. --set acks=1 or --set broker.min.insync.replicas=1`);
  const name = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  const [qualifiedKind, qualifiedKey] = splitQualifiedKey(name);
  let kinds: ConfigKind[];
  let key: string;
  if (qualifiedKind !== undefined && kindsOf(qualifiedKey).includes(qualifiedKind)) {
    kinds = [qualifiedKind];
    key = qualifiedKey;
  } else {
    key = name;
    kinds = kindsOf(name);
    if (kinds.includes('broker')) kinds = kinds.filter((kind) => kind !== 'topic');
  }
  if (kinds.length === 0) {
    const candidates = [...new Set(ALL_KINDS.flatMap((kind) => keysOf(kind)))];
    const near = nearest(qualifiedKind !== undefined ? qualifiedKey : name, candidates);
    const hint = near.length > 0 ? ` Did you mean ${near.join(', ')}?` : '';
    throw new SettingError(`--set ${text}: no broker, topic, producer or consumer has a config key ${JSON.stringify(qualifiedKind !== undefined ? qualifiedKey : name)}.${hint} Keys are Kafka's names; prefix one with broker., topic., producer. or consumer. to choose its kind.`);
  }
  const settings = kinds.map((kind) => ({ kind, key, value, text }));
  for (const setting of settings) {
    const problems = kindProblems(setting.kind, { [setting.key]: setting.value }, `--set ${text}`);
    if (problems.length > 0) throw new SettingError(problems.join('\n'));
  }
  return settings;
}

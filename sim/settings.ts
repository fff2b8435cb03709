// `--set key=value`: a Kafka config key for one run, given on the command line.
//
// A key may name its kind (`producer.acks=1`, `broker.min.insync.replicas=1`, `topic.retention.ms=60000`,
// `consumer.fetch.max.wait.ms=100`) or not (`acks=1`): a bare key goes to every kind that has it, except that
// a key both brokers and topics have (min.insync.replicas) is set on the brokers (topics inherit it, and the
// controllers, which elect leaders, read it there too). A prefix naming a kind that lacks the key says which
// kinds have it (`broker.acks=1`: acks is a producer key); a Kafka key Tributary does not model is refused
// with the reason, as the config parser gives it.

import type { ConfigKind } from '../engine/config/definition.ts';
import { notModelledKinds, notModelledReason } from '../engine/config/not-modelled.ts';
import { CONFIG_KEYS, definitionOf, kindsOf, keysOf } from '../engine/config/registry.ts';
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
  } else if (kindsOf(name).length > 0 || qualifiedKind === undefined) {
    key = name;
    kinds = bareKinds(name);
    // A Kafka key no kind models: the parser of the kind it belongs to says why.
    if (kinds.length === 0) kinds = notModelledKinds(name);
  } else {
    // The prefix names a kind without this key: a Kafka key it does not model, another kind's key, or neither.
    key = qualifiedKey;
    if (notModelledReason(qualifiedKind, qualifiedKey) !== undefined) {
      kinds = [qualifiedKind];
    } else {
      const wrong = wrongKind(text, qualifiedKind, qualifiedKey, value);
      if (wrong !== undefined) throw new SettingError(wrong);
      kinds = notModelledKinds(qualifiedKey);
    }
  }
  if (kinds.length === 0) {
    // A prefixed typo is looked up among that kind's keys first, and suggested with its prefix.
    const inKind = qualifiedKind === undefined ? [] : nearest(qualifiedKey, keysOf(qualifiedKind)).map((near) => `${qualifiedKind}.${near}`);
    const candidates = [...new Set(ALL_KINDS.flatMap((kind) => keysOf(kind)))];
    const near = inKind.length > 0 ? inKind : nearest(qualifiedKind !== undefined ? qualifiedKey : name, candidates);
    const hint = near.length > 0 ? ` Did you mean ${near.join(', ')}?` : '';
    throw new SettingError(`--set ${text}: no broker, topic, producer or consumer has a config key ${JSON.stringify(qualifiedKind !== undefined ? qualifiedKey : name)}.${hint} Keys are Kafka's names; prefix one with broker., topic., producer. or consumer. to choose its kind.`);
  }
  // Each kind has the key, or refuses it as a Kafka key it does not model (kindProblems then says why).
  const settings = kinds.map((kind) => ({ kind, key, value, text }));
  const problems = settings.flatMap((setting) => {
    const field = settings.length > 1 ? `--set ${text} (${setting.kind})` : `--set ${text}`;
    return kindProblems(setting.kind, { [setting.key]: setting.value }, field);
  });
  if (problems.length > 0) throw new SettingError(problems.join('\n'));
  return settings;
}

/** The kinds a bare key goes to: every kind that has it, but brokers rather than topics when both do. */
function bareKinds(key: string): ConfigKind[] {
  const kinds = kindsOf(key);
  return kinds.includes('broker') ? kinds.filter((kind) => kind !== 'topic') : kinds;
}

/**
 * `kind.key=value` where `kind` has no such key but other kinds do: which kinds have it and how to write it
 * (`broker.acks=1`: acks is a producer key). Undefined when no kind has the key.
 */
function wrongKind(text: string, kind: ConfigKind, key: string, value: string): string | undefined {
  const owners = kindsOf(key);
  if (owners.length === 0) return undefined;
  const bare = bareKinds(key);
  const ways = [...owners.map((owner) => `--set ${owner}.${key}=${value}`), `--set ${key}=${value}`];
  const bareNote = bare.length < owners.length ? ` (bare, it goes to the ${bare.join(' and ')}s)` : '';
  let message = `--set ${text}: ${key} is a ${owners.join(' and ')} config key, not a ${kind} one; write ` +
    `${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}${bareNote}`;
  const brokerKey = definitionOf('topic', key)?.brokerKey;
  if (kind === 'broker' && brokerKey !== undefined) {
    message += `. The brokers' cluster-wide default for it is ${brokerKey} (--set broker.${brokerKey}=${value})`;
  }
  const topicKey = Object.keys(CONFIG_KEYS.topic).find((candidate) => CONFIG_KEYS.topic[candidate]!.brokerKey === key);
  if (kind === 'topic' && topicKey !== undefined) {
    message += `. The topic key for it is ${topicKey} (--set topic.${topicKey}=${value})`;
  }
  return message;
}

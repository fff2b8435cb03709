// A partition log's configuration, by Kafka's topic-level keys and with Kafka's defaults.
//
// Input is a plain map of Kafka keys to numbers (or numeric strings, as a properties file or a `--set` flag
// gives them); parseLogConfig checks every key and value at the boundary and returns a typed, frozen object.
// An unknown key or a bad value is a LogConfigError naming the key and what is allowed: nothing starts.
//
// Kafka's Long.MAX_VALUE (the "never" of flush.messages and flush.ms) has no exact JS number; it is held as
// Number.MAX_SAFE_INTEGER (LONG_MAX here), and any larger input is read as it.

export const LONG_MAX = Number.MAX_SAFE_INTEGER;
const INT_MAX = 2147483647;

export interface LogConfig {
  /** segment.bytes: roll the active segment before it would pass this size. */
  readonly segmentBytes: number;
  /** segment.ms: roll once the active segment's first batch is this old (by batch timestamps). */
  readonly segmentMs: number;
  /** index.interval.bytes: bytes of batches between two offset index entries. */
  readonly indexIntervalBytes: number;
  /** segment.index.bytes: maximum size of an offset or time index; a full index rolls the segment. */
  readonly segmentIndexBytes: number;
  /** retention.ms: delete a segment whose newest timestamp is older than this; -1 keeps forever. */
  readonly retentionMs: number;
  /** retention.bytes: delete the oldest segments while the log is bigger than this; -1 = no limit. */
  readonly retentionBytes: number;
  /** flush.messages: fsync after this many appended records (1 = every write); LONG_MAX = never. */
  readonly flushMessages: number;
  /** flush.ms: fsync when the last flush is this old; LONG_MAX = never. */
  readonly flushMs: number;
  /** file.delete.delay.ms: a deleted segment waits this long as `.deleted` before its files go. */
  readonly fileDeleteDelayMs: number;
  /** max.message.bytes: the largest batch (with its 12-byte log overhead) an append accepts. */
  readonly maxMessageBytes: number;
}

interface KeySpec {
  readonly field: keyof LogConfig;
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

const KEYS = {
  'segment.bytes': { field: 'segmentBytes', defaultValue: 1024 * 1024 * 1024, min: 14, max: INT_MAX, description: 'an int' },
  'segment.ms': { field: 'segmentMs', defaultValue: 7 * 24 * 3600 * 1000, min: 1, max: LONG_MAX, description: 'a long' },
  'index.interval.bytes': { field: 'indexIntervalBytes', defaultValue: 4096, min: 0, max: INT_MAX, description: 'an int' },
  'segment.index.bytes': { field: 'segmentIndexBytes', defaultValue: 10 * 1024 * 1024, min: 4, max: INT_MAX, description: 'an int' },
  'retention.ms': { field: 'retentionMs', defaultValue: 7 * 24 * 3600 * 1000, min: -1, max: LONG_MAX, description: 'a long (-1 = forever)' },
  'retention.bytes': { field: 'retentionBytes', defaultValue: -1, min: -1, max: LONG_MAX, description: 'a long (-1 = no limit)' },
  'flush.messages': { field: 'flushMessages', defaultValue: LONG_MAX, min: 0, max: LONG_MAX, description: 'a long' },
  'flush.ms': { field: 'flushMs', defaultValue: LONG_MAX, min: 0, max: LONG_MAX, description: 'a long' },
  'file.delete.delay.ms': { field: 'fileDeleteDelayMs', defaultValue: 60_000, min: 0, max: LONG_MAX, description: 'a long' },
  'max.message.bytes': { field: 'maxMessageBytes', defaultValue: 1024 * 1024 + 12, min: 0, max: INT_MAX, description: 'an int' },
} as const satisfies Record<string, KeySpec>;

export type LogConfigKey = keyof typeof KEYS;

export const LOG_CONFIG_KEYS = Object.keys(KEYS) as LogConfigKey[];

/** Kafka keys to values, as a user writes them. */
export type LogConfigInput = Readonly<Partial<Record<LogConfigKey, number | string>>>;

export class LogConfigError extends Error {
  override readonly name = 'LogConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`log config '${key}' = ${JSON.stringify(value)} is not valid: ${allowed}`);
  }
}

export const DEFAULT_LOG_CONFIG: LogConfig = parseLogConfig({});

/** Validates `input` (Kafka keys) and returns the full typed config, defaults filled in. */
export function parseLogConfig(input: Readonly<Record<string, unknown>>): LogConfig {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(KEYS, key)) {
      throw new LogConfigError(key, input[key], `unknown key; valid keys: ${LOG_CONFIG_KEYS.join(', ')}`);
    }
  }
  const config: Record<string, number> = {};
  for (const key of LOG_CONFIG_KEYS) {
    const spec: KeySpec = KEYS[key];
    config[spec.field] = Object.hasOwn(input, key) ? parseValue(key, spec, input[key]) : spec.defaultValue;
  }
  return Object.freeze(config as unknown as LogConfig);
}

/** The config with some keys changed (validated like parseLogConfig). */
export function withLogConfig(base: LogConfig, changes: LogConfigInput): LogConfig {
  const input: Record<string, unknown> = {};
  for (const key of LOG_CONFIG_KEYS) input[key] = base[KEYS[key].field];
  return parseLogConfig({ ...input, ...changes });
}

function parseValue(key: string, spec: KeySpec, raw: unknown): number {
  const allowed = `${spec.description} in [${spec.min}, ${spec.max === LONG_MAX ? 'Long.MAX_VALUE' : spec.max}]`;
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) {
    value = Number(raw.trim());
  } else {
    throw new LogConfigError(key, raw, allowed);
  }
  if (!Number.isInteger(value)) throw new LogConfigError(key, raw, allowed);
  if (value > LONG_MAX && spec.max === LONG_MAX) value = LONG_MAX;
  if (value < spec.min || value > spec.max) throw new LogConfigError(key, raw, allowed);
  return value;
}

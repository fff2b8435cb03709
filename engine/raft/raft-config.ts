// The Raft replica's configuration, by Kafka's keys and with Kafka's defaults.
//
// Input is a plain map of Kafka keys (numbers or numeric strings for the numeric ones, as a properties file
// gives them); parseRaftConfig checks every key and value and returns a typed, frozen RaftConfig. An unknown
// key or a bad value is a RaftConfigError naming the key and what is allowed: nothing starts.

import { RaftConfigError } from './raft-errors.ts';
import { parseQuorumVoters, QUORUM_VOTERS_KEY } from './quorum-voters.ts';
import type { VoterSet } from './quorum-voters.ts';
import type { ReplicaId } from './raft-client.ts';

export interface RaftConfig {
  /** node.id: this replica's id; a voter if controller.quorum.voters lists it, else an observer. */
  readonly nodeId: ReplicaId;
  /** controller.quorum.voters */
  readonly voters: VoterSet;
  /** metadata.log.dir: the replicated log lives in `<dir>/__cluster_metadata-0/`, with `quorum-state`. */
  readonly metadataLogDir: string;
  /** metadata.log.segment.bytes */
  readonly metadataLogSegmentBytes: number;
  /** controller.quorum.election.timeout.ms: an election runs for a random time in [t, 2t). */
  readonly electionTimeoutMs: number;
  /** controller.quorum.fetch.timeout.ms: a follower that hears no leader this long starts a (pre-)vote; a
   *  leader that hears from no majority for 1.5 times this long resigns (check quorum). */
  readonly fetchTimeoutMs: number;
  /** controller.quorum.election.backoff.max.ms: after a lost election, wait a random time below this. */
  readonly electionBackoffMaxMs: number;
  /** controller.quorum.request.timeout.ms: a request with no answer this long is given up and re-sent. */
  readonly requestTimeoutMs: number;
  /** controller.quorum.retry.backoff.ms: the pause before re-sending a failed request. */
  readonly retryBackoffMs: number;
  /** The long-poll of a fetch with nothing new: the leader holds it this long (Kafka's raft client uses 500 ms;
   *  not a config key there, so not one here). */
  readonly fetchMaxWaitMs: number;
}

interface NumberKey {
  readonly field: keyof RaftConfig;
  readonly defaultValue: number | undefined;
  readonly min: number;
  readonly max: number;
}

const INT_MAX = 2147483647;

const NUMBER_KEYS = {
  'node.id': { field: 'nodeId', defaultValue: undefined, min: 0, max: INT_MAX },
  'metadata.log.segment.bytes': { field: 'metadataLogSegmentBytes', defaultValue: 1024 * 1024 * 1024, min: 14, max: INT_MAX },
  'controller.quorum.election.timeout.ms': { field: 'electionTimeoutMs', defaultValue: 1000, min: 1, max: INT_MAX },
  'controller.quorum.fetch.timeout.ms': { field: 'fetchTimeoutMs', defaultValue: 2000, min: 1, max: INT_MAX },
  'controller.quorum.election.backoff.max.ms': { field: 'electionBackoffMaxMs', defaultValue: 1000, min: 1, max: INT_MAX },
  'controller.quorum.request.timeout.ms': { field: 'requestTimeoutMs', defaultValue: 2000, min: 1, max: INT_MAX },
  'controller.quorum.retry.backoff.ms': { field: 'retryBackoffMs', defaultValue: 20, min: 0, max: INT_MAX },
} as const satisfies Record<string, NumberKey>;

const STRING_KEYS = [QUORUM_VOTERS_KEY, 'metadata.log.dir'] as const;

export type RaftConfigKey = keyof typeof NUMBER_KEYS | (typeof STRING_KEYS)[number];
export const RAFT_CONFIG_KEYS: readonly RaftConfigKey[] = [...(Object.keys(NUMBER_KEYS) as RaftConfigKey[]), ...STRING_KEYS];

export type RaftConfigInput = Readonly<Partial<Record<RaftConfigKey, number | string>>>;

export const DEFAULT_METADATA_LOG_DIR = '/kraft-combined-logs';
export const DEFAULT_FETCH_MAX_WAIT_MS = 500;

/** Validates `input` (Kafka keys; node.id and controller.quorum.voters are required) into a RaftConfig. */
export function parseRaftConfig(input: Readonly<Record<string, unknown>>, options: { fetchMaxWaitMs?: number } = {}): RaftConfig {
  for (const key of Object.keys(input)) {
    if (!(RAFT_CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new RaftConfigError(key, input[key], `unknown key; valid keys: ${RAFT_CONFIG_KEYS.join(', ')}`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(NUMBER_KEYS) as Array<[string, NumberKey]>) {
    if (Object.hasOwn(input, key)) config[spec.field] = parseNumber(key, spec, input[key]);
    else if (spec.defaultValue !== undefined) config[spec.field] = spec.defaultValue;
    else throw new RaftConfigError(key, undefined, 'required: an int in [0, 2147483647]');
  }
  if (!Object.hasOwn(input, QUORUM_VOTERS_KEY)) throw new RaftConfigError(QUORUM_VOTERS_KEY, undefined, 'required: a list of id@host:port');
  config.voters = parseQuorumVoters(String(input[QUORUM_VOTERS_KEY]));
  const dir = Object.hasOwn(input, 'metadata.log.dir') ? input['metadata.log.dir'] : DEFAULT_METADATA_LOG_DIR;
  if (typeof dir !== 'string' || !/^\/[^\s]*$/.test(dir)) throw new RaftConfigError('metadata.log.dir', dir, 'an absolute path such as /kraft-combined-logs');
  config.metadataLogDir = dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
  const fetchMaxWaitMs = options.fetchMaxWaitMs ?? DEFAULT_FETCH_MAX_WAIT_MS;
  if (!Number.isInteger(fetchMaxWaitMs) || fetchMaxWaitMs < 0) throw new RaftConfigError('fetchMaxWaitMs', fetchMaxWaitMs, 'an int >= 0');
  config.fetchMaxWaitMs = fetchMaxWaitMs;
  return Object.freeze(config as unknown as RaftConfig);
}

function parseNumber(key: string, spec: NumberKey, raw: unknown): number {
  const allowed = `an int in [${spec.min}, ${spec.max}]`;
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) value = Number(raw.trim());
  else throw new RaftConfigError(key, raw, allowed);
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) throw new RaftConfigError(key, raw, allowed);
  return value;
}

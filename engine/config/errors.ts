// Why a configuration does not start: every problem found, each naming the key, the value and what is allowed.
//
// parseConfig collects all problems of one config before it throws, so a user fixes them in one go.

import type { ConfigKind } from './definition.ts';
import type { ConfigInputValue } from './types.ts';

/** A key the kind does not have. `suggestions` are the keys the user probably meant (did you mean ...?);
 *  `otherKinds` are the kinds that do have this exact key (`acks` given to a broker → ['producer']). */
export interface UnknownKeyProblem {
  readonly type: 'unknown-key';
  readonly key: string;
  readonly suggestions: readonly string[];
  readonly otherKinds: readonly ConfigKind[];
  /** A real Kafka key that Tributary deliberately does not model: why. */
  readonly notModelled: string | null;
  readonly message: string;
}

/** A value the key does not allow; `allowed` says what it does, in Kafka's notation (`[1,...]`). */
export interface InvalidValueProblem {
  readonly type: 'invalid-value';
  readonly key: string;
  readonly value: ConfigInputValue;
  readonly allowed: string;
  /** A value Kafka allows that Tributary deliberately does not model (cleanup.policy=compact): why. */
  readonly notModelled: string | null;
  readonly message: string;
}

/** A key without a default that was not given (node.id, process.roles). */
export interface MissingKeyProblem {
  readonly type: 'missing-key';
  readonly key: string;
  readonly allowed: string;
  readonly message: string;
}

/** Values that are each valid but contradict each other (Kafka's cross-key rules). */
export interface ConflictProblem {
  readonly type: 'conflict';
  readonly keys: readonly string[];
  readonly message: string;
}

export type ConfigProblem = UnknownKeyProblem | InvalidValueProblem | MissingKeyProblem | ConflictProblem;

/** A configuration that cannot start. `problems` holds every problem found, in key order. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly kind: ConfigKind,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(kind, problems));
  }

  /** The keys involved in any problem. */
  get keys(): readonly string[] {
    return this.problems.flatMap((problem) => (problem.type === 'conflict' ? problem.keys : [problem.key]));
  }
}

function formatProblems(kind: ConfigKind, problems: readonly ConfigProblem[]): string {
  if (problems.length === 1) return `Invalid ${kind} config: ${problems[0]!.message}`;
  const lines = problems.map((problem) => `  - ${problem.message}`);
  return `Invalid ${kind} config (${problems.length} problems):\n${lines.join('\n')}`;
}

/** A value as the user wrote it, for messages: strings quoted, lists as `[a, b]`. */
export function showValue(value: ConfigInputValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
}

// Typed errors of the Raft module. Each says what a person needs to act on it.

/** A bad `controller.quorum.*` (or related) setting: nothing starts. Names the key and what is allowed. */
export class RaftConfigError extends Error {
  override readonly name = 'RaftConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`raft config '${key}' = ${JSON.stringify(value)} is not valid: ${allowed}`);
  }
}

/** The `quorum-state` file exists but cannot be read as Kafka's quorum state JSON. */
export class QuorumStateFileError extends Error {
  override readonly name = 'QuorumStateFileError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`cannot read quorum state file ${path}: ${detail}; a replica must not guess its vote, so it does not start`);
  }
}

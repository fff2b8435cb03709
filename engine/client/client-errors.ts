// Typed errors of the clients: a configuration they cannot run with, a broker answer that breaks the protocol,
// and a call the client's state does not allow.

/** The client cannot start with this configuration; names the key and what would work. */
export class ClientConfigError extends Error {
  override readonly name = 'ClientConfigError';

  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`client config ${key}: ${detail}`);
  }
}

/** A broker's answer does not fit the request it answers (a bug in the broker or the client). */
export class ClientProtocolError extends Error {
  override readonly name = 'ClientProtocolError';

  constructor(
    readonly from: string,
    detail: string,
  ) {
    super(`protocol violation in an answer from ${from}: ${detail}`);
  }
}

/** A call the client's state does not allow, e.g. seeking a partition that is not assigned. */
export class ClientStateError extends Error {
  override readonly name = 'ClientStateError';
}

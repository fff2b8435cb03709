// The nemesis's error: a malformed fault or schedule, named by its field so that a person can fix it.

export class NemesisError extends Error {
  override readonly name = 'NemesisError';
}

// Ctrl-C during a long command: the first stops it in order (the command's own handler: stop the workers,
// write what was done), a later one quits at once.

import { performance } from 'node:perf_hooks';

/**
 * One Ctrl-C reaches the command more than once: from the terminal, and relayed by npm and by tsx's parent
 * process, within milliseconds. Signals this soon after the first are that same Ctrl-C.
 */
const SAME_CTRL_C_MS = 1500;

/** Calls `stop` on the first SIGINT; exits 130 on one that comes later. Returns what removes the handler. */
export function onInterrupt(stop: () => void): () => void {
  let firstMs: number | undefined;
  const handler = (): void => {
    const nowMs = performance.now();
    if (firstMs === undefined) {
      firstMs = nowMs;
      stop();
    } else if (nowMs - firstMs >= SAME_CTRL_C_MS) {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  return () => {
    process.removeListener('SIGINT', handler);
  };
}

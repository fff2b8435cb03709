// nonmonotonic-poll: a consumer read a partition backwards (or the same offset twice) without a seek.
//
// The exact rule, and what a seek does, are in poll-order.ts (shared with poll-skip). Jepsen's
// `nonmonotonic-poll` and `int-nonmonotonic-poll` are both this kind here.

import type { FinalState, History } from '../history.ts';
import type { Anomaly } from './anomaly.ts';
import type { CheckOptions } from './options.ts';
import { checkPollOrder } from './poll-order.ts';

export function checkNonmonotonicPolls(
  history: History,
  finalState: FinalState,
  options: CheckOptions = {},
): Anomaly[] {
  return checkPollOrder(history, finalState, options, 'nonmonotonic-poll');
}

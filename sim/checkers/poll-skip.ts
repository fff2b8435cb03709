// poll-skip: a consumer's successive reads of a partition jumped over offsets known to hold records.
//
// The exact rule, and what a seek does, are in poll-order.ts (shared with nonmonotonic-poll). Jepsen's
// `poll-skip` and `int-poll-skip` are both this kind here. With consumer groups, a rebalance legitimately
// moves a consumer's position; the harness records it as a seek and the walk restarts from there.

import type { FinalState, History } from '../history.ts';
import type { Anomaly } from './anomaly.ts';
import type { CheckOptions } from './options.ts';
import { checkPollOrder } from './poll-order.ts';

export function checkPollSkips(history: History, finalState: FinalState, options: CheckOptions = {}): Anomaly[] {
  return checkPollOrder(history, finalState, options, 'poll-skip');
}

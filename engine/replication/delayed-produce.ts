// A produce request waiting for its answer (Kafka's DelayedProduce).
//
// acks=all waits, per partition, until the high watermark reaches the last appended offset + 1 (Kafka's
// Partition.checkEnoughReplicasReachOffset). Then it answers NONE if the maximal ISR still holds the effective
// min ISR, else NOT_ENOUGH_REPLICAS_AFTER_APPEND (the records are committed, but by fewer replicas than the
// topic asks for). An ISR that shrinks below min ISR while the high watermark is short of the batch does not
// end the wait: the ISR may grow again before the timeout, and answering at once would make a producer
// without idempotence retry records that may yet commit (duplicates). If the replica stops leading,
// NOT_LEADER_OR_FOLLOWER; at the request's timeoutMs, REQUEST_TIMED_OUT. With flush.messages reached by the
// append (1 = every write), the answer also waits for that fsync, acks=1 included — Kafka's request thread
// does that fsync before it answers.

import { ErrorCode } from '../protocol/errors.ts';
import type { Partition } from './partition.ts';
import type { DelayedOperation } from './purgatory.ts';

export interface ProduceWait {
  readonly partition: Partition;
  /** Offset the high watermark must reach (last appended offset + 1); undefined for acks=1. */
  readonly requiredOffset: number | undefined;
  /** Offset an fsync started by the append must cover; undefined if none was started. */
  readonly flushTarget: number | undefined;
  /** Set when the wait ends: NONE, or why it failed. */
  errorCode: number | undefined;
}

/** Watch key for a partition's high watermark, ISR and leadership. */
export function produceKey(partition: Partition): string {
  return `produce:${partition.key}`;
}

export class DelayedProduce implements DelayedOperation {
  readonly keys: readonly string[];

  constructor(
    private readonly waits: readonly ProduceWait[],
    private readonly respond: (waits: readonly ProduceWait[]) => void,
  ) {
    this.keys = [...new Set(waits.filter((wait) => wait.errorCode === undefined).map((wait) => produceKey(wait.partition)))];
  }

  tryComplete(): boolean {
    let done = true;
    for (const wait of this.waits) {
      if (wait.errorCode === undefined) wait.errorCode = evaluate(wait);
      if (wait.errorCode === undefined) done = false;
    }
    if (done) this.respond(this.waits);
    return done;
  }

  onExpiration(): void {
    for (const wait of this.waits) if (wait.errorCode === undefined) wait.errorCode = ErrorCode.REQUEST_TIMED_OUT;
    this.respond(this.waits);
  }
}

/** The outcome of one partition's wait, or undefined while it must go on. */
function evaluate(wait: ProduceWait): number | undefined {
  const partition = wait.partition;
  if (partition.isStopped || !partition.isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  let answer: number = ErrorCode.NONE;
  if (wait.requiredOffset !== undefined) {
    if (partition.highWatermark < wait.requiredOffset) return undefined;
    if (partition.maximalIsr.length < partition.effectiveMinIsr) answer = ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
  }
  if (wait.flushTarget !== undefined && partition.flushedOffset < wait.flushTarget) return undefined;
  return answer;
}

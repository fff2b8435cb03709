// What a leader knows of one follower, from its fetches (Kafka's Replica / ReplicaState).
//
// A follower's fetch offset is its log end offset: the leader learns it from every fetch. "Caught up" is
// measured as Kafka does, by time: a fetch at or past the leader's log end makes the follower caught up as of
// that fetch; a fetch at or past the leader's log end as of the follower's previous fetch makes it caught up
// as of that previous fetch. A follower whose last caught-up time is older than replica.lag.time.max.ms (and
// which is not at the log end) is out of sync and leaves the ISR.

/** Kafka's UnifiedLog.UnknownOffset. */
export const UNKNOWN_OFFSET = -1;

export class FollowerState {
  /** -1 until the follower's first fetch in this leadership. */
  logEndOffset = UNKNOWN_OFFSET;
  lastCaughtUpTimeMs = 0;
  lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
  lastFetchTimeMs = 0;
  /** The broker epoch the follower sent with its last fetch (KIP-903), -1 if none. */
  brokerEpoch = -1;

  constructor(readonly brokerId: number) {}

  /** A fetch from this follower at `fetchOffset` arrived while the leader's log ended at `leaderEndOffset`. */
  updateFetchState(fetchOffset: number, leaderEndOffset: number, nowMs: number, brokerEpoch: number): void {
    if (fetchOffset >= leaderEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, nowMs);
    } else if (fetchOffset >= this.lastFetchLeaderLogEndOffset && this.lastFetchLeaderLogEndOffset !== UNKNOWN_OFFSET) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.lastFetchTimeMs);
    }
    this.logEndOffset = fetchOffset;
    this.lastFetchLeaderLogEndOffset = leaderEndOffset;
    this.lastFetchTimeMs = nowMs;
    if (brokerEpoch >= 0) this.brokerEpoch = brokerEpoch;
  }

  /**
   * A new leadership (this broker was elected, or re-elected with a new epoch): nothing is known of the
   * follower yet. An ISR member counts as caught up now, so it is not dropped before it can fetch; others as
   * never, so they do not hold the high watermark back.
   */
  reset(nowMs: number, inSync: boolean): void {
    this.logEndOffset = UNKNOWN_OFFSET;
    this.lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
    this.lastFetchTimeMs = 0;
    this.lastCaughtUpTimeMs = inSync ? nowMs : 0;
    this.brokerEpoch = -1;
  }

  /** At the leader's log end, or caught up within the last `lagTimeMaxMs`. */
  isCaughtUp(leaderEndOffset: number, nowMs: number, lagTimeMaxMs: number): boolean {
    return this.logEndOffset >= leaderEndOffset || nowMs - this.lastCaughtUpTimeMs <= lagTimeMaxMs;
  }
}

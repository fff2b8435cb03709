// What the request handlers and the poller need of the replica: its parts and a few of its moves.
// KafkaRaftClient provides it; the split keeps each file about one thing.

import type { NodeId, Runtime } from '../runtime.ts';
import type { FetchPurgatory } from './fetch-purgatory.ts';
import type { QuorumState } from './quorum-state.ts';
import type { RaftConfig } from './raft-config.ts';
import type { ReplicaId } from './raft-client.ts';
import type { ReplicatedLog } from './replicated-log.ts';
import type { RequestManager } from './request-manager.ts';

export interface RaftContext {
  readonly replicaId: ReplicaId;
  readonly isVoter: boolean;
  readonly runtime: Runtime;
  readonly config: RaftConfig;
  readonly quorum: QuorumState;
  readonly log: ReplicatedLog;
  readonly requests: RequestManager;
  readonly purgatory: FetchPurgatory;
  readonly isStopped: boolean;
  highWatermark(): number;
  advanceHighWatermark(offset: number): void;
  maybeTransitionOnLeaderView(leaderId: ReplicaId, epoch: number): boolean;
  becomeLeader(): void;
}

/** The node a voter runs on. */
export function voterNode(context: RaftContext, voterId: ReplicaId): NodeId {
  return context.config.voters.nodeOf(voterId);
}

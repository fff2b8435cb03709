// One partition's next state, as a PartitionChangeRecord (Kafka's PartitionChangeBuilder, KRaft 3.x rules,
// without eligible leader replicas).
//
// Given a target ISR and which brokers may lead:
// - The current leader stays if it is in the target ISR and may still lead.
// - Otherwise the first replica (in assignment order) that is in the target ISR and may lead becomes leader.
// - Otherwise, only when unclean election is allowed, the first replica that may lead becomes leader and the
//   ISR becomes just that replica (data the old ISR had may be lost), with leaderRecoveryState RECOVERING.
// - Otherwise the partition has no leader (-1): it is offline.
// - An empty target ISR is never written: the ISR keeps its last member, so that the replica that has all the
//   acknowledged data stays known and can lead again when it comes back.

import { LeaderRecoveryState, NO_LEADER } from '../metadata/records.ts';
import type { PartitionChangeRecord } from '../metadata/records.ts';
import type { PartitionRegistration } from '../metadata/image.ts';

export interface PartitionChangeSpec {
  /** May this broker lead (and, by implication, be admitted)? */
  readonly isAcceptableLeader: (brokerId: number) => boolean;
  /** The ISR wanted; default: the current ISR. */
  readonly targetIsr?: readonly number[];
  /** unclean.leader.election.enable for the partition's topic. */
  readonly uncleanElection: boolean;
  /** The leader recovery state wanted; default: unchanged. */
  readonly targetLeaderRecoveryState?: LeaderRecoveryState;
}

interface Election {
  readonly leader: number;
  readonly unclean: boolean;
}

/** The record that moves `partition` to the spec, or undefined when nothing would change. */
export function buildPartitionChange(
  topicId: string,
  partition: PartitionRegistration,
  spec: PartitionChangeSpec,
): PartitionChangeRecord | undefined {
  const targetIsr = spec.targetIsr ?? partition.isr;
  const election = electLeader(partition, targetIsr, spec);
  let leader: number | undefined;
  let isr: readonly number[] | undefined;
  let leaderRecoveryState: LeaderRecoveryState | undefined;
  if (election.leader !== partition.leader) {
    leader = election.leader;
    if (election.unclean) {
      isr = [election.leader];
      if (partition.leaderRecoveryState !== LeaderRecoveryState.RECOVERING) leaderRecoveryState = LeaderRecoveryState.RECOVERING;
    }
  }
  if (isr === undefined && targetIsr.length > 0 && !sameMembers(targetIsr, partition.isr)) isr = targetIsr;
  if (leaderRecoveryState === undefined && spec.targetLeaderRecoveryState !== undefined
    && spec.targetLeaderRecoveryState !== partition.leaderRecoveryState) {
    leaderRecoveryState = spec.targetLeaderRecoveryState;
  }
  if (leader === undefined && isr === undefined && leaderRecoveryState === undefined) return undefined;
  return {
    type: 'PartitionChangeRecord',
    partitionId: partition.partition,
    topicId,
    ...(isr === undefined ? {} : { isr }),
    ...(leader === undefined ? {} : { leader }),
    ...(leaderRecoveryState === undefined ? {} : { leaderRecoveryState }),
  };
}

function electLeader(partition: PartitionRegistration, targetIsr: readonly number[], spec: PartitionChangeSpec): Election {
  const valid = (id: number): boolean => targetIsr.includes(id) && spec.isAcceptableLeader(id);
  if (partition.leader !== NO_LEADER && valid(partition.leader)) return { leader: partition.leader, unclean: false };
  const clean = partition.replicas.find(valid);
  if (clean !== undefined) return { leader: clean, unclean: false };
  if (spec.uncleanElection) {
    const unclean = partition.replicas.find((id) => spec.isAcceptableLeader(id));
    if (unclean !== undefined) return { leader: unclean, unclean: true };
  }
  return { leader: NO_LEADER, unclean: false };
}

/** Same brokers in the same order (an ISR's order is kept as written, like Kafka's). */
function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

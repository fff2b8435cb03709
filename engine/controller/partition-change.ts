// One partition's next state, as a PartitionChangeRecord (Kafka's PartitionChangeBuilder).
//
// Given a target ISR and which brokers may lead:
// - The current leader stays if it is in the target ISR and may still lead.
// - Otherwise the first replica (in assignment order) that is in the target ISR and may lead becomes leader.
// - With eligible leader replicas (KIP-966) and an empty target ISR, the first ELR member that may lead
//   becomes leader, and the ISR becomes just it.
// - With ELR, when the ISR and ELR are both empty, the partition's last known leader is elected again once it
//   may lead: an unclean election (Kafka's last-known-leader recovery), since that replica may have lost
//   records it had when it went down.
// - Otherwise, only when unclean election is allowed, the first replica that may lead becomes leader and the
//   ISR becomes just that replica (data the old ISR had may be lost), with leaderRecoveryState RECOVERING.
// - Otherwise the partition has no leader (-1): it is offline.
//
// Without ELR an empty target ISR is never written: the ISR keeps its last member, so that the replica that has
// all the acknowledged data stays known and can lead again when it comes back (KRaft 3.x / 4.0 by default).
// With ELR the ISR may empty. While the target ISR is smaller than min.insync.replicas, every replica that
// leaves it joins the ELR — the high watermark cannot advance then, so they hold every committed record —
// except a replica that restarted after an unclean shutdown (it may have lost its unflushed tail); an ISR back
// at min.insync.replicas clears the ELR. The last known leader is recorded when the ISR first empties and
// forgotten once the partition has a leader again.

import { invariant } from '../invariants.ts';
import { LeaderRecoveryState, NO_LEADER } from '../metadata/records.ts';
import type { PartitionChangeRecord } from '../metadata/records.ts';
import { eligibleLeaderReplicasOf, lastKnownElrOf } from '../metadata/image.ts';
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
  /** KIP-966 eligible leader replicas, with the topic's min.insync.replicas; absent: off. */
  readonly eligibleLeaderReplicas?: { readonly minIsr: number };
  /** Brokers that restarted after an unclean shutdown: they leave the ELR and may not join it. */
  readonly uncleanShutdownReplicas?: readonly number[];
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
  const elrEnabled = spec.eligibleLeaderReplicas !== undefined;
  let targetIsr = spec.targetIsr ?? partition.isr;
  let targetElr = elrEnabled ? targetEligibleLeaderReplicas(partition, targetIsr, spec) : eligibleLeaderReplicasOf(partition);
  const election = electLeader(partition, targetIsr, targetElr, elrEnabled, spec);

  let leader: number | undefined;
  let isr: readonly number[] | undefined;
  let leaderRecoveryState: LeaderRecoveryState | undefined;
  if (election.leader !== partition.leader) {
    leader = election.leader;
    if (targetElr.includes(election.leader)) {
      // Elected from the ELR: it is the whole ISR now.
      targetIsr = [election.leader];
      targetElr = targetElr.filter((id) => id !== election.leader);
    }
    if (election.unclean) {
      isr = [election.leader];
      if (partition.leaderRecoveryState !== LeaderRecoveryState.RECOVERING) leaderRecoveryState = LeaderRecoveryState.RECOVERING;
    }
  }
  // An unclean election (or ELR switched off) forgets the ELR: nobody can vouch for the new leader's log.
  if (isr !== undefined || !elrEnabled) targetElr = [];
  const elr = sameMembers(targetElr, eligibleLeaderReplicasOf(partition)) ? undefined : targetElr;
  if (isr === undefined && (targetIsr.length > 0 || elrEnabled) && !sameMembers(targetIsr, partition.isr)) isr = targetIsr;
  invariant(isr === undefined || isr.length > 0 || elrEnabled, 'isr-never-empty-without-elr', `${partition.topic}-${partition.partition}`, partition.isr.length);
  const lastKnownElr = elrEnabled ? nextLastKnownLeader(partition, isr, leader) : undefined;
  if (leaderRecoveryState === undefined && spec.targetLeaderRecoveryState !== undefined
    && spec.targetLeaderRecoveryState !== partition.leaderRecoveryState) {
    leaderRecoveryState = spec.targetLeaderRecoveryState;
  }
  if (leader === undefined && isr === undefined && leaderRecoveryState === undefined && elr === undefined && lastKnownElr === undefined) return undefined;
  return {
    type: 'PartitionChangeRecord',
    partitionId: partition.partition,
    topicId,
    ...(isr === undefined ? {} : { isr }),
    ...(leader === undefined ? {} : { leader }),
    ...(leaderRecoveryState === undefined ? {} : { leaderRecoveryState }),
    ...(elr === undefined ? {} : { eligibleLeaderReplicas: elr }),
    ...(lastKnownElr === undefined ? {} : { lastKnownElr }),
  };
}

/**
 * The ELR after the ISR becomes `targetIsr` (Kafka's maybePopulateTargetElr): empty once the ISR reaches
 * min.insync.replicas; below it, the current ELR plus the current ISR, less the target ISR and any replica
 * that restarted uncleanly. Sorted, so that records do not depend on set iteration order.
 */
function targetEligibleLeaderReplicas(partition: PartitionRegistration, targetIsr: readonly number[], spec: PartitionChangeSpec): readonly number[] {
  const minIsr = spec.eligibleLeaderReplicas!.minIsr;
  if (targetIsr.length >= minIsr) return [];
  const unclean = spec.uncleanShutdownReplicas ?? [];
  const candidates = new Set([...eligibleLeaderReplicasOf(partition), ...partition.isr]);
  return [...candidates].filter((id) => !targetIsr.includes(id) && !unclean.includes(id)).sort((a, b) => a - b);
}

function electLeader(
  partition: PartitionRegistration,
  targetIsr: readonly number[],
  targetElr: readonly number[],
  elrEnabled: boolean,
  spec: PartitionChangeSpec,
): Election {
  // An ELR member may lead only when the ISR is empty.
  const valid = (id: number): boolean =>
    (targetIsr.includes(id) || (targetIsr.length === 0 && targetElr.includes(id))) && spec.isAcceptableLeader(id);
  if (partition.leader !== NO_LEADER && valid(partition.leader)) return { leader: partition.leader, unclean: false };
  const clean = partition.replicas.find(valid);
  if (clean !== undefined) return { leader: clean, unclean: false };
  const lastKnown = lastKnownElrOf(partition);
  if (elrEnabled && targetIsr.length === 0 && targetElr.length === 0 && lastKnown.length === 1 && spec.isAcceptableLeader(lastKnown[0])) {
    return { leader: lastKnown[0], unclean: true };
  }
  if (spec.uncleanElection) {
    const unclean = partition.replicas.find((id) => spec.isAcceptableLeader(id));
    if (unclean !== undefined) return { leader: unclean, unclean: true };
  }
  return { leader: NO_LEADER, unclean: false };
}

/**
 * The lastKnownElr field to write, if it changes (Kafka's maybeUpdateLastKnownLeader): the current leader
 * when the ISR first becomes empty; nothing once the partition has (or keeps) a leader.
 */
function nextLastKnownLeader(partition: PartitionRegistration, isr: readonly number[] | undefined, leader: number | undefined): readonly number[] | undefined {
  const current = lastKnownElrOf(partition);
  if (isr !== undefined && isr.length === 0) {
    if (partition.leader === NO_LEADER || (current.length === 1 && current[0] === partition.leader)) return undefined;
    return [partition.leader];
  }
  const willLead = leader !== undefined ? leader !== NO_LEADER : partition.leader !== NO_LEADER;
  return willLead && current.length > 0 ? [] : undefined;
}

/** Same brokers in the same order (an ISR's order is kept as written, like Kafka's). */
function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

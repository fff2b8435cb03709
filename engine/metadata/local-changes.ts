// What a change of the metadata image means for one broker (Kafka's TopicsDelta.localChanges): the partitions
// it now leads, the ones it follows, the ones it no longer hosts. The broker's replica manager acts on this:
// become leader at leaderEpoch, fetch from leader, stop and delete a replica.
//
// Only partitions whose registration changed are listed. A leader whose ISR changed is listed again (with the
// new isr and partitionEpoch, which its next AlterPartition must quote); a follower is listed again when its
// leader, epochs or ISR changed. A follower of a partition without a leader is listed with leader -1.

import type { MetadataImage, PartitionRegistration, TopicImage } from './image.ts';

export interface RemovedReplica {
  readonly topic: string;
  readonly partition: number;
}

export interface LocalReplicaChanges {
  /** Partitions whose leader is this broker. */
  readonly leaders: readonly PartitionRegistration[];
  /** Partitions this broker hosts and does not lead (leader may be -1). */
  readonly followers: readonly PartitionRegistration[];
  /** Partitions this broker hosted before and no longer does (topic deleted, replica moved). */
  readonly deletes: readonly RemovedReplica[];
}

export const NO_LOCAL_CHANGES: LocalReplicaChanges = { leaders: [], followers: [], deletes: [] };

export function localChanges(previous: MetadataImage, next: MetadataImage, brokerId: number): LocalReplicaChanges {
  const leaders: PartitionRegistration[] = [];
  const followers: PartitionRegistration[] = [];
  const deletes: RemovedReplica[] = [];
  for (const topic of next.topics.values()) {
    const before = previous.topics.get(topic.name);
    if (before === topic) continue;
    const sameTopic = before !== undefined && before.topicId === topic.topicId;
    for (const partition of topic.partitions) {
      const old = sameTopic ? before.partitions[partition.partition] : undefined;
      if (old !== undefined && !changed(old, partition)) continue;
      if (partition.leader === brokerId) leaders.push(partition);
      else if (partition.replicas.includes(brokerId)) followers.push(partition);
      else if (old?.replicas.includes(brokerId)) deletes.push({ topic: topic.name, partition: partition.partition });
    }
    if (before !== undefined && !sameTopic) collectHosted(before, brokerId, deletes);
  }
  for (const topic of previous.topics.values()) {
    if (!next.topics.has(topic.name)) collectHosted(topic, brokerId, deletes);
  }
  if (leaders.length === 0 && followers.length === 0 && deletes.length === 0) return NO_LOCAL_CHANGES;
  return { leaders, followers, deletes };
}

function changed(old: PartitionRegistration, next: PartitionRegistration): boolean {
  // Every change bumps the partition epoch; identity is the fast path for images that share structure.
  return old !== next && (old.partitionEpoch !== next.partitionEpoch || old.leaderEpoch !== next.leaderEpoch);
}

function collectHosted(topic: TopicImage, brokerId: number, into: RemovedReplica[]): void {
  for (const partition of topic.partitions) {
    if (partition.replicas.includes(brokerId)) into.push({ topic: topic.name, partition: partition.partition });
  }
}

// Folding metadata records into a new image (Kafka's MetadataDelta).
//
//   const delta = new MetadataDelta(image);
//   records.forEach((record, i) => delta.replay(record, baseOffset + i));
//   const next = delta.apply();
//
// A delta copies what the records touch, once, and leaves everything else shared with the old image: an
// untouched topic, partition or broker is the same object afterwards (local-changes.ts relies on it to look at
// changed partitions only). A record that contradicts the image (a partition of an unknown topic, a fence at
// a stale broker epoch) is a MetadataReplayError: the log is corrupt or the controller has a bug, and no
// replica may silently fold it.

import { invariant } from '../invariants.ts';
import type { BrokerRegistration, MetadataImage, PartitionRegistration, TopicImage } from './image.ts';
import type {
  BrokerRegistrationChangeRecord, ConfigRecord, MetadataRecord, PartitionChangeRecord, PartitionRecord,
  RegisterBrokerRecord,
} from './records.ts';
import { NO_LEADER } from './records.ts';

export class MetadataReplayError extends Error {
  override readonly name = 'MetadataReplayError';
  constructor(
    readonly record: MetadataRecord,
    readonly offset: number,
    reason: string,
  ) {
    super(`cannot replay ${record.type} at offset ${offset}: ${reason} (${JSON.stringify(record)})`);
  }
}

/** A topic being changed: its partitions array and configs are private copies. */
interface TopicDraft {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: PartitionRegistration[];
  configs: Record<string, string>;
}

export class MetadataDelta {
  private offset: number;
  private brokers: Map<number, BrokerRegistration> | undefined;
  private topicNamesById: Map<string, string> | undefined;
  private readonly drafts = new Map<string, TopicDraft>();
  private nextProducerId: number;

  constructor(private readonly base: MetadataImage) {
    this.offset = base.offset;
    this.nextProducerId = base.nextProducerId;
  }

  /** Folds one record, at its log offset. Offsets must increase. */
  replay(record: MetadataRecord, offset: number): void {
    if (offset <= this.offset) {
      throw new MetadataReplayError(record, offset, `offsets must increase; the image is at ${this.offset}`);
    }
    this.offset = offset;
    switch (record.type) {
      case 'RegisterBrokerRecord': return this.replayRegister(record, offset);
      case 'UnregisterBrokerRecord': {
        this.expectBroker(record, offset, record.brokerId, record.brokerEpoch);
        this.mutableBrokers().delete(record.brokerId);
        return;
      }
      case 'FenceBrokerRecord': return this.changeBroker(record, offset, record.id, record.epoch, { fenced: true });
      case 'UnfenceBrokerRecord': return this.changeBroker(record, offset, record.id, record.epoch, { fenced: false });
      case 'BrokerRegistrationChangeRecord': return this.replayRegistrationChange(record, offset);
      case 'TopicRecord': {
        if (this.topicNames().has(record.topicId) || this.topic(record.name) !== undefined) {
          throw new MetadataReplayError(record, offset, 'the topic (name or id) already exists');
        }
        this.mutableTopicNames().set(record.topicId, record.name);
        this.drafts.set(record.name, { name: record.name, topicId: record.topicId, partitions: [], configs: {} });
        return;
      }
      case 'PartitionRecord': return this.replayPartition(record, offset);
      case 'PartitionChangeRecord': return this.replayPartitionChange(record, offset);
      case 'ProducerIdsRecord': {
        this.expectBroker(record, offset, record.brokerId, record.brokerEpoch);
        if (record.nextProducerId <= this.nextProducerId) {
          throw new MetadataReplayError(record, offset, `producer ids must grow past ${this.nextProducerId}`);
        }
        this.nextProducerId = record.nextProducerId;
        return;
      }
      case 'ConfigRecord': return this.replayConfig(record, offset);
      case 'NoOpRecord': return;
    }
  }

  /** The new image; the delta must not be used afterwards. */
  apply(): MetadataImage {
    let topics: ReadonlyMap<string, TopicImage> = this.base.topics;
    if (this.drafts.size > 0) {
      const copy = new Map(this.base.topics);
      for (const draft of this.drafts.values()) copy.set(draft.name, draft);
      topics = copy;
    }
    return {
      offset: this.offset,
      brokers: this.brokers ?? this.base.brokers,
      topics,
      topicNamesById: this.topicNamesById ?? this.base.topicNamesById,
      nextProducerId: this.nextProducerId,
      controllerId: this.base.controllerId,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Brokers

  private replayRegister(record: RegisterBrokerRecord, offset: number): void {
    const endPoint = record.endPoints[0];
    if (endPoint === undefined) throw new MetadataReplayError(record, offset, 'a broker needs at least one endpoint');
    this.mutableBrokers().set(record.brokerId, {
      brokerId: record.brokerId,
      brokerEpoch: offset,
      incarnationId: record.incarnationId,
      host: endPoint.host,
      endPoints: record.endPoints,
      rack: record.rack,
      fenced: record.fenced,
      inControlledShutdown: record.inControlledShutdown,
    });
  }

  private replayRegistrationChange(record: BrokerRegistrationChangeRecord, offset: number): void {
    const change: { fenced?: boolean; inControlledShutdown?: boolean } = {};
    if (record.fenced !== undefined) change.fenced = record.fenced;
    if (record.inControlledShutdown !== undefined) change.inControlledShutdown = record.inControlledShutdown;
    this.changeBroker(record, offset, record.brokerId, record.brokerEpoch, change);
  }

  private changeBroker(
    record: MetadataRecord,
    offset: number,
    brokerId: number,
    brokerEpoch: number,
    change: { fenced?: boolean; inControlledShutdown?: boolean },
  ): void {
    const current = this.expectBroker(record, offset, brokerId, brokerEpoch);
    const next = { ...current, ...change };
    // A fenced broker is no longer shutting down: it stopped, or it lost its session (Kafka does the same).
    if (next.fenced) next.inControlledShutdown = false;
    if (next.fenced !== current.fenced || next.inControlledShutdown !== current.inControlledShutdown) {
      this.mutableBrokers().set(brokerId, next);
    }
  }

  private expectBroker(record: MetadataRecord, offset: number, brokerId: number, brokerEpoch: number): BrokerRegistration {
    const broker = (this.brokers ?? this.base.brokers).get(brokerId);
    if (broker === undefined) throw new MetadataReplayError(record, offset, `broker ${brokerId} is not registered`);
    if (broker.brokerEpoch !== brokerEpoch) {
      throw new MetadataReplayError(record, offset, `broker ${brokerId} is at epoch ${broker.brokerEpoch}, not ${brokerEpoch}`);
    }
    return broker;
  }

  private mutableBrokers(): Map<number, BrokerRegistration> {
    this.brokers ??= new Map(this.base.brokers);
    return this.brokers;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Topics and partitions

  private replayPartition(record: PartitionRecord, offset: number): void {
    const draft = this.draftById(record, offset, record.topicId);
    if (record.partitionId !== draft.partitions.length) {
      throw new MetadataReplayError(record, offset, `${draft.name} has ${draft.partitions.length} partitions; they are created in order`);
    }
    draft.partitions.push({
      topic: draft.name,
      partition: record.partitionId,
      replicas: record.replicas,
      isr: record.isr,
      leader: record.leader,
      leaderEpoch: record.leaderEpoch,
      partitionEpoch: record.partitionEpoch,
      leaderRecoveryState: record.leaderRecoveryState,
      ...(record.eligibleLeaderReplicas === undefined ? {} : { elr: record.eligibleLeaderReplicas }),
      ...(record.lastKnownElr === undefined ? {} : { lastKnownElr: record.lastKnownElr }),
    });
  }

  private replayPartitionChange(record: PartitionChangeRecord, offset: number): void {
    const draft = this.draftById(record, offset, record.topicId);
    const current = draft.partitions[record.partitionId];
    if (current === undefined) throw new MetadataReplayError(record, offset, `${draft.name} has no partition ${record.partitionId}`);
    draft.partitions[record.partitionId] = applyPartitionChange(current, record);
  }

  private replayConfig(record: ConfigRecord, offset: number): void {
    const topic = this.topic(record.resourceName);
    if (topic === undefined) throw new MetadataReplayError(record, offset, `no topic ${record.resourceName}`);
    const draft = this.draft(topic);
    draft.configs = { ...draft.configs };
    if (record.value === null) delete draft.configs[record.name];
    else draft.configs[record.name] = record.value;
  }

  private draftById(record: MetadataRecord, offset: number, topicId: string): TopicDraft {
    const name = this.topicNames().get(topicId);
    const topic = name === undefined ? undefined : this.topic(name);
    if (topic === undefined) throw new MetadataReplayError(record, offset, `no topic with id ${topicId}`);
    return this.draft(topic);
  }

  private topic(name: string): TopicImage | undefined {
    return this.drafts.get(name) ?? this.base.topics.get(name);
  }

  private draft(topic: TopicImage): TopicDraft {
    let draft = this.drafts.get(topic.name);
    if (draft === undefined) {
      draft = { name: topic.name, topicId: topic.topicId, partitions: [...topic.partitions], configs: topic.configs };
      this.drafts.set(topic.name, draft);
    }
    return draft;
  }

  private topicNames(): ReadonlyMap<string, string> {
    return this.topicNamesById ?? this.base.topicNamesById;
  }

  private mutableTopicNames(): Map<string, string> {
    this.topicNamesById ??= new Map(this.base.topicNamesById);
    return this.topicNamesById;
  }
}

/** Folds `records`, the first at `baseOffset` and each next one offset later, into a new image. */
export function applyRecords(image: MetadataImage, records: readonly MetadataRecord[], baseOffset: number): MetadataImage {
  if (records.length === 0) return image;
  const delta = new MetadataDelta(image);
  for (let i = 0; i < records.length; i++) delta.replay(records[i], baseOffset + i);
  return delta.apply();
}

/** A partition after `change`: every change bumps the partition epoch, a present leader the leader epoch. */
export function applyPartitionChange(current: PartitionRegistration, change: PartitionChangeRecord): PartitionRegistration {
  const next: PartitionRegistration = {
    ...current,
    ...(change.eligibleLeaderReplicas === undefined ? {} : { elr: change.eligibleLeaderReplicas }),
    ...(change.lastKnownElr === undefined ? {} : { lastKnownElr: change.lastKnownElr }),
    replicas: change.replicas ?? current.replicas,
    isr: change.isr ?? current.isr,
    leader: change.leader ?? current.leader,
    leaderEpoch: change.leader === undefined ? current.leaderEpoch : current.leaderEpoch + 1,
    partitionEpoch: current.partitionEpoch + 1,
    leaderRecoveryState: change.leaderRecoveryState ?? current.leaderRecoveryState,
  };
  if (next.leader !== current.leader) {
    invariant(next.leaderEpoch > current.leaderEpoch, 'leader-epoch-rises-on-leader-change', `${current.topic}-${current.partition}`, current.leaderEpoch, next.leaderEpoch);
  }
  if (next.leader !== NO_LEADER) {
    let within = next.isr.includes(next.leader);
    for (const id of next.isr) if (!next.replicas.includes(id)) within = false;
    invariant(within, 'isr-within-replicas', `${current.topic}-${current.partition}`, next.leader, next.isr.length, next.replicas.length);
  }
  return next;
}

// The KRaft controller (Kafka's QuorumController): a state machine over the replicated metadata log.
//
// Every controller replica folds the committed log into an image. The one whose Raft replica leads is the
// active controller: it answers broker registrations and heartbeats, fences brokers whose session expired,
// elects partition leaders, creates topics, changes ISRs and hands out producer ids, by appending records.
//
// State, as in Kafka:
// - `committed` is the committed log, folded. A standby controller has only this.
// - `latest` is `committed` plus the active controller's own appended, not yet committed records, so that each
//   request sees the effect of the previous ones (Kafka keeps this in timeline data structures and reverts to
//   the committed snapshot when it loses leadership; here `latest` is simply dropped and rebuilt).
// - An answer is sent only when the records the request wrote (or everything written before it) are committed
//   (ControllerPurgatory). Losing leadership fails waiting requests with NOT_CONTROLLER.
// - On winning leadership the controller appends a NoOpRecord and serves nothing until it commits: then every
//   record of earlier leaders is committed and folded, and `latest` is complete. Broker sessions (heartbeat
//   times) are memory only; a new active controller gives every registered broker a fresh session.

import type { Message, NodeId, Runtime, TimerId } from '../runtime.ts';
import { NotLeaderError } from '../raft/raft-client.ts';
import type { CommittedBatch, LeaderAndEpoch, RaftClient, RaftListener } from '../raft/raft-client.ts';
import { applyRecords } from '../metadata/delta.ts';
import { EMPTY_IMAGE } from '../metadata/image.ts';
import type { MetadataImage } from '../metadata/image.ts';
import type { MetadataRecord } from '../metadata/records.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { AllocateProducerIdsRequest } from '../protocol/allocate-producer-ids.ts';
import { PRODUCER_ID_BLOCK_SIZE, allocateProducerIdsResponse } from '../protocol/allocate-producer-ids.ts';
import type { AlterPartitionRequest } from '../protocol/alter-partition.ts';
import type { BrokerHeartbeatRequest } from '../protocol/broker-heartbeat.ts';
import { brokerHeartbeatResponse } from '../protocol/broker-heartbeat.ts';
import type { BrokerRegistrationRequest } from '../protocol/broker-registration.ts';
import { brokerRegistrationResponse } from '../protocol/broker-registration.ts';
import type { CreatableTopicResult, CreateTopicsRequest } from '../protocol/create-topics.ts';
import type { Response } from '../protocol/envelope.ts';
import { BrokerHeartbeats, currentControlState, nextControlState } from './broker-heartbeats.ts';
import type { BrokerControlState } from './broker-heartbeats.ts';
import { controlledShutdownRecords, fenceBrokerRecords, registrationRecords, unfenceBrokerRecords } from './cluster-control.ts';
import type { ControllerConfig } from './controller-config.ts';
import { alterPartitionResponse, createTopicsResponse, errorResponse, isControllerRequest } from './controller-messages.ts';
import type { ControllerRequest } from './controller-messages.ts';
import { ControllerPurgatory } from './controller-purgatory.ts';
import { alterPartitions, hasLeaderships } from './replication-control.ts';
import { networkSender } from './sender.ts';
import type { Sender } from './sender.ts';
import { createTopic } from './topic-creation.ts';
import { invariantWith } from '../invariants.ts';

export interface QuorumControllerOptions {
  readonly runtime: Runtime;
  /** This controller's Raft replica (a voter) of the metadata log. */
  readonly raft: RaftClient<MetadataRecord>;
  readonly config: ControllerConfig;
  /** The cluster id brokers must present (Kafka's meta.properties cluster.id). */
  readonly clusterId: string;
  /** How answers leave; default the network. A combined node passes a loopbackSender. */
  readonly send?: Sender;
}

export type ControllerStatus = 'standby' | 'activating' | 'active';

/** The records and answer of one request. */
interface Outcome {
  readonly records: readonly MetadataRecord[];
  /** The answer, given the offset of the request's last record (or the last offset written before it). */
  readonly answer: (lastOffset: number) => Response;
  /** Runs after the records are written (and folded into `latest`), before the answer waits for commit. */
  readonly afterWrite?: (lastOffset: number) => void;
}

export class QuorumController implements RaftListener<MetadataRecord> {
  private readonly runtime: Runtime;
  private readonly raft: RaftClient<MetadataRecord>;
  private readonly config: ControllerConfig;
  private readonly clusterId: string;
  private readonly send: Sender;
  private committed: MetadataImage = EMPTY_IMAGE;
  private latest: MetadataImage = EMPTY_IMAGE;
  private state: ControllerStatus = 'standby';
  private leaderEpoch = -1;
  private activationOffset = -1;
  private lastWrittenOffset = -1;
  private readonly purgatory = new ControllerPurgatory();
  private heartbeats: BrokerHeartbeats | undefined;
  private fenceTimer: TimerId | undefined;

  constructor(options: QuorumControllerOptions) {
    this.runtime = options.runtime;
    this.raft = options.raft;
    this.config = options.config;
    this.clusterId = options.clusterId;
    this.send = options.send ?? networkSender(options.runtime);
    this.raft.register(this);
  }

  get status(): ControllerStatus {
    return this.state;
  }

  isActive(): boolean {
    return this.state === 'active';
  }

  /** The committed metadata. */
  image(): MetadataImage {
    return this.committed;
  }

  /** The committed metadata plus this active controller's records still waiting to commit. */
  latestImage(): MetadataImage {
    return this.latest;
  }

  /** Handles a controller request; false if `message` is not one (route it elsewhere). */
  handleMessage(from: NodeId, message: Message): boolean {
    if (!isControllerRequest(message)) return false;
    this.handleRequest(from, message);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Raft

  handleCommit(batch: CommittedBatch<MetadataRecord>): void {
    if (batch.lastOffset <= this.committed.offset) return;
    invariantWith(batch.lastOffset - batch.baseOffset + 1 === batch.records.length, 'raft-log-consistency', 'metadata-log',
      () => `metadata batch ${batch.baseOffset}..${batch.lastOffset} holds ${batch.records.length} records: one offset per record expected`);
    this.committed = applyRecords(this.committed, batch.records, batch.baseOffset);
    if (this.state !== 'active') this.latest = this.committed;
    if (this.state === 'activating' && this.committed.offset >= this.activationOffset) this.activate();
    else if (this.state === 'active') this.purgatory.completeUpTo(this.committed.offset);
  }

  handleLeaderChange(leader: LeaderAndEpoch): void {
    const leading = leader.leaderId === this.raft.replicaId;
    if (leading && this.state !== 'standby' && leader.epoch === this.leaderEpoch) return;
    if (this.state !== 'standby') this.deactivate(leader);
    if (!leading) return;
    this.leaderEpoch = leader.epoch;
    this.state = 'activating';
    this.latest = this.committed;
    this.lastWrittenOffset = this.committed.offset;
    try {
      this.activationOffset = this.write([{ type: 'NoOpRecord' }]);
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      this.deactivate(error.leader);
      return;
    }
    this.latest = this.committed; // the NoOp changes nothing; records of earlier epochs may still arrive
    this.runtime.trace('controller.activating', { epoch: leader.epoch, noOpOffset: this.activationOffset });
  }

  private activate(): void {
    this.state = 'active';
    this.latest = this.committed;
    this.lastWrittenOffset = this.committed.offset;
    this.heartbeats = new BrokerHeartbeats(this.config['broker.session.timeout.ms']);
    this.heartbeats.startAll(this.latest, this.runtime.now());
    this.runtime.trace('controller.active', { epoch: this.leaderEpoch, offset: this.committed.offset });
    this.armFenceTimer();
  }

  private deactivate(leader: LeaderAndEpoch): void {
    this.runtime.trace('controller.standby', { epoch: this.leaderEpoch, newLeader: leader.leaderId, newEpoch: leader.epoch });
    this.state = 'standby';
    this.heartbeats = undefined;
    if (this.fenceTimer !== undefined) this.runtime.cancelTimer(this.fenceTimer);
    this.fenceTimer = undefined;
    this.latest = this.committed;
    this.lastWrittenOffset = this.committed.offset;
    this.purgatory.failAll();
  }

  /** Appends `records`, folds them into `latest`; returns the offset of the last one. */
  private write(records: readonly MetadataRecord[]): number {
    if (records.length === 0) return this.lastWrittenOffset;
    // Fold before appending: a record the image refuses (a controller bug) must never reach the log, where
    // every replica would refuse it too. The real offsets are known after the append; they are almost always
    // the predicted ones, else the records are folded again.
    const predictedBase = Math.max(this.raft.logEndOffset(), this.lastWrittenOffset + 1);
    let next = applyRecords(this.latest, records, predictedBase);
    const lastOffset = this.raft.append(records, this.leaderEpoch);
    const baseOffset = lastOffset - records.length + 1;
    if (baseOffset !== predictedBase) next = applyRecords(this.latest, records, baseOffset);
    this.latest = next;
    this.lastWrittenOffset = lastOffset;
    return lastOffset;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Requests

  private handleRequest(from: NodeId, request: ControllerRequest): void {
    if (this.state !== 'active') {
      this.send(from, errorResponse(request, ErrorCode.NOT_CONTROLLER));
      return;
    }
    const outcome = this.outcomeOf(request);
    let lastOffset: number;
    try {
      lastOffset = this.write(outcome.records);
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      this.deactivate(error.leader);
      this.send(from, errorResponse(request, ErrorCode.NOT_CONTROLLER));
      return;
    }
    outcome.afterWrite?.(lastOffset);
    const answer = outcome.answer(lastOffset);
    this.purgatory.add(
      lastOffset,
      () => this.send(from, answer),
      () => this.send(from, errorResponse(request, ErrorCode.NOT_CONTROLLER)),
    );
    this.purgatory.completeUpTo(this.committed.offset);
  }

  private outcomeOf(request: ControllerRequest): Outcome {
    switch (request.type) {
      case 'BrokerRegistrationRequest': return this.registerBroker(request);
      case 'BrokerHeartbeatRequest': return this.processHeartbeat(request);
      case 'AlterPartitionRequest': return this.alterPartition(request);
      case 'CreateTopicsRequest': return this.createTopics(request);
      case 'AllocateProducerIdsRequest': return this.allocateProducerIds(request);
    }
  }

  private registerBroker(request: BrokerRegistrationRequest): Outcome {
    const answer = (errorCode: number, brokerEpoch = -1): Response =>
      brokerRegistrationResponse({ correlationId: request.correlationId, throttleTimeMs: 0, errorCode, brokerEpoch });
    if (request.clusterId !== this.clusterId) return { records: [], answer: () => answer(ErrorCode.INCONSISTENT_CLUSTER_ID) };
    const now = this.runtime.now();
    const existing = this.latest.brokers.get(request.brokerId);
    if (existing !== undefined && existing.incarnationId !== request.incarnationId && !existing.fenced
      && this.sessions().hasValidSession(request.brokerId, now)) {
      return { records: [], answer: () => answer(ErrorCode.DUPLICATE_BROKER_REGISTRATION) };
    }
    // A registration replaces the old one fenced; fence it properly first so that it leads nothing.
    const { records, cleanShutdown } = registrationRecords(this.latest, this.config, {
      brokerId: request.brokerId,
      incarnationId: request.incarnationId,
      endPoints: request.listeners,
      rack: request.rack,
      previousBrokerEpoch: request.previousBrokerEpoch,
    });
    return {
      records,
      afterWrite: (lastOffset) => {
        this.sessions().register(request.brokerId, now);
        this.runtime.trace('controller.register-broker', {
          broker: request.brokerId, brokerEpoch: lastOffset, cleanShutdown: cleanShutdown ?? null,
          partitionChanges: records.filter((record) => record.type === 'PartitionChangeRecord').length,
        });
      },
      // The RegisterBrokerRecord is the last record: its offset is the new broker epoch.
      answer: (lastOffset) => answer(ErrorCode.NONE, lastOffset),
    };
  }

  private processHeartbeat(request: BrokerHeartbeatRequest): Outcome {
    const answer = (errorCode: number, isCaughtUp: boolean, next: BrokerControlState): Response => brokerHeartbeatResponse({
      correlationId: request.correlationId,
      throttleTimeMs: 0,
      errorCode,
      isCaughtUp,
      isFenced: next === 'FENCED' || next === 'SHUTDOWN_NOW',
      shouldShutDown: next === 'SHUTDOWN_NOW',
    });
    const broker = this.latest.brokers.get(request.brokerId);
    if (broker === undefined || broker.brokerEpoch !== request.brokerEpoch) {
      return { records: [], answer: () => answer(ErrorCode.STALE_BROKER_EPOCH, false, 'FENCED') };
    }
    const id = broker.brokerId;
    const now = this.runtime.now();
    const sessions = this.sessions();
    const current = currentControlState(broker);
    // After a failover the new controller does not know when the shutdown started: wait for all written so far.
    if (current === 'CONTROLLED_SHUTDOWN') sessions.setControlledShutdownOffset(id, this.lastWrittenOffset, now);
    const next = nextControlState(current, {
      wantFence: request.wantFence,
      wantShutDown: request.wantShutDown,
      currentMetadataOffset: request.currentMetadataOffset,
      registrationOffset: broker.brokerEpoch,
      hasLeaderships: () => hasLeaderships(this.latest, id),
      lowestActiveOffset: () => sessions.lowestActiveOffset(this.latest, now),
      controlledShutdownOffset: sessions.controlledShutdownOffset(id),
    });
    sessions.touch(id, now, request.currentMetadataOffset);
    const isCaughtUp = request.currentMetadataOffset >= broker.brokerEpoch;
    return {
      records: next === current ? [] : this.transitionRecords(id, next),
      afterWrite: (lastOffset) => {
        if (next === current) return;
        this.runtime.trace('controller.broker-state', { broker: id, from: current, to: next });
        if (next === 'CONTROLLED_SHUTDOWN') sessions.setControlledShutdownOffset(id, lastOffset, now);
        if (next === 'SHUTDOWN_NOW' || next === 'FENCED') sessions.clearControlledShutdown(id);
        if (next === 'UNFENCED') this.armFenceTimer();
      },
      answer: () => answer(ErrorCode.NONE, isCaughtUp, next),
    };
  }

  private transitionRecords(brokerId: number, next: BrokerControlState): MetadataRecord[] {
    switch (next) {
      case 'UNFENCED': return unfenceBrokerRecords(this.latest, this.config, brokerId);
      case 'CONTROLLED_SHUTDOWN': return controlledShutdownRecords(this.latest, this.config, brokerId);
      case 'FENCED':
      case 'SHUTDOWN_NOW': return fenceBrokerRecords(this.latest, this.config, brokerId);
    }
  }

  private alterPartition(request: AlterPartitionRequest): Outcome {
    const outcome = alterPartitions(this.latest, this.config, request);
    return {
      records: outcome.records,
      answer: () => alterPartitionResponse(request.correlationId, outcome.errorCode, outcome.topics),
    };
  }

  private createTopics(request: CreateTopicsRequest): Outcome {
    const counts = new Map<string, number>();
    for (const topic of request.topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1);
    const records: MetadataRecord[] = [];
    const results = request.topics.map((topic): CreatableTopicResult => {
      if (counts.get(topic.name)! > 1) {
        return {
          name: topic.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.', numPartitions: -1, replicationFactor: -1,
        };
      }
      const creation = createTopic(this.latest, this.config, topic, () => this.runtime.random(), request.validateOnly);
      records.push(...creation.records);
      return creation.result;
    });
    return {
      records,
      afterWrite: () => {
        for (const result of results) {
          if (result.errorCode === ErrorCode.NONE && !request.validateOnly) {
            this.runtime.trace('controller.create-topic', { topic: result.name, partitions: result.numPartitions, replicationFactor: result.replicationFactor });
          }
        }
      },
      answer: () => createTopicsResponse(request.correlationId, results),
    };
  }

  private allocateProducerIds(request: AllocateProducerIdsRequest): Outcome {
    const answer = (errorCode: number, producerIdStart: number, producerIdLen: number): Response => allocateProducerIdsResponse({
      correlationId: request.correlationId, throttleTimeMs: 0, errorCode, producerIdStart, producerIdLen,
    });
    const broker = this.latest.brokers.get(request.brokerId);
    if (broker === undefined || broker.brokerEpoch !== request.brokerEpoch) {
      return { records: [], answer: () => answer(ErrorCode.STALE_BROKER_EPOCH, -1, 0) };
    }
    const start = this.latest.nextProducerId;
    return {
      records: [{
        type: 'ProducerIdsRecord', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch, nextProducerId: start + PRODUCER_ID_BLOCK_SIZE,
      }],
      answer: () => answer(ErrorCode.NONE, start, PRODUCER_ID_BLOCK_SIZE),
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Session expiry

  private sessions(): BrokerHeartbeats {
    invariantWith(this.heartbeats !== undefined, 'lifecycle', 'quorum-controller', () => 'broker sessions exist only on the active controller');
    return this.heartbeats;
  }

  /** One timer, at the earliest session expiry; it re-arms itself (heartbeats only push expiries later). */
  private armFenceTimer(): void {
    if (this.state !== 'active' || this.fenceTimer !== undefined) return;
    const now = this.runtime.now();
    const expiryMs = this.sessions().nextExpiryMs(this.latest, now);
    if (expiryMs === undefined) return;
    this.fenceTimer = this.runtime.setTimer(Math.max(0, expiryMs - now), () => {
      this.fenceTimer = undefined;
      this.fenceStaleBrokers();
      this.armFenceTimer();
    });
  }

  /** Fences each broker whose session expired, one write each so each sees the previous one's effect. */
  private fenceStaleBrokers(): void {
    if (this.state !== 'active') return;
    const sessions = this.sessions();
    for (const brokerId of sessions.staleBrokers(this.latest, this.runtime.now())) {
      const records = fenceBrokerRecords(this.latest, this.config, brokerId);
      try {
        this.write(records);
      } catch (error) {
        if (!(error instanceof NotLeaderError)) throw error;
        this.deactivate(error.leader);
        return;
      }
      sessions.clearControlledShutdown(brokerId);
      this.runtime.trace('controller.fence-broker', { broker: brokerId, reason: 'session-timeout', partitionChanges: records.length - 1 });
    }
  }
}

// The broker's side of KRaft (Kafka's BrokerLifecycleManager plus its metadata loader): a component a broker
// node embeds.
//
// - It follows the metadata log through a RaftClient it is given (an observer on a dedicated broker, the
//   node's voter in combined mode) and folds committed records into a MetadataImage.
// - It registers with the active controller (the quorum leader) under a random incarnation id and gets its
//   broker epoch; then heartbeats every broker.heartbeat.interval.ms with the offset it has replayed. The
//   registration carries the epoch of the previous incarnation when that one shut down cleanly (KIP-966), so
//   that the controller can tell a clean restart from a crash.
// - As Kafka's broker does, it hands the broker no metadata until the controller says it has replayed the log
//   up to its own registration (isCaughtUp), and it asks to stay fenced (wantFence) until it has. Then it
//   publishes the image with what changed for this broker (localChanges), stops asking to be fenced, and the
//   controller unfences it. So a restarted broker never acts on the leaderships of its previous life, nor on
//   the stale states it replays on the way. Afterwards every burst of commits is published, once (Raft hands
//   a listener all committed batches it has in one go; the publish runs on a zero-delay timer after it).
// - A controlled shutdown asks the controller to move leadership away (wantShutDown) and reports when the
//   controller allows the broker to stop.
//
// States follow Kafka's BrokerState: STARTING (registering) -> RECOVERY (registered, fenced, catching up) ->
// RUNNING (unfenced) -> PENDING_CONTROLLED_SHUTDOWN -> SHUTTING_DOWN (may stop) ; NOT_RUNNING after stop().
// A broker should serve clients only while RUNNING (Kafka opens its client listeners once unfenced).

import type { Message, NodeId, Runtime, TimerId } from '../runtime.ts';
import type { BrokerConfig } from '../config/index.ts';
import type { CommittedBatch, LeaderAndEpoch, RaftClient, RaftListener, ReplicaId } from '../raft/raft-client.ts';
import { applyRecords } from '../metadata/delta.ts';
import { EMPTY_IMAGE } from '../metadata/image.ts';
import type { MetadataImage } from '../metadata/image.ts';
import { localChanges, NO_LOCAL_CHANGES } from '../metadata/local-changes.ts';
import type { LocalReplicaChanges } from '../metadata/local-changes.ts';
import type { MetadataRecord } from '../metadata/records.ts';
import { brokerHeartbeatRequest } from '../protocol/broker-heartbeat.ts';
import type { BrokerHeartbeatResponse } from '../protocol/broker-heartbeat.ts';
import { brokerRegistrationRequest } from '../protocol/broker-registration.ts';
import type { BrokerRegistrationResponse } from '../protocol/broker-registration.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';
import { ControllerChannel, DEFAULT_RETRY_BACKOFF_MS } from './controller-channel.ts';
import { randomUuid } from './random-id.ts';
import type { Sender } from './sender.ts';

export type BrokerState = 'STARTING' | 'RECOVERY' | 'RUNNING' | 'PENDING_CONTROLLED_SHUTDOWN' | 'SHUTTING_DOWN' | 'NOT_RUNNING';

export interface BrokerMetadataListener {
  /** A new image; `changes` are this broker's partitions whose registration changed since the last call. */
  onMetadata(image: MetadataImage, changes: LocalReplicaChanges): void;
  /** The lifecycle state changed (optional). */
  onStateChange?(state: BrokerState): void;
}

export interface BrokerLifecycleOptions {
  readonly runtime: Runtime;
  readonly brokerId: number;
  readonly clusterId: string;
  /** broker.rack */
  readonly rack?: string | null;
  /** The Raft replica through which this broker follows the metadata log. */
  readonly metadataLog: RaftClient<MetadataRecord>;
  /** The node of a quorum voter (controller.quorum.voters), undefined for an unknown id. */
  readonly controllerNodeOf: (replicaId: ReplicaId) => NodeId | undefined;
  readonly config: Pick<BrokerConfig, 'broker.heartbeat.interval.ms'>;
  readonly listener: BrokerMetadataListener;
  /** The epoch of this broker's previous incarnation if that one shut down cleanly, else -1 (KIP-966). */
  readonly previousBrokerEpoch?: number;
  readonly send?: Sender;
  readonly retryBackoffMs?: number;
  readonly requestTimeoutMs?: number;
}

/** The listener port a broker advertises (the simulator routes by node name; the port is for the TCP runtime). */
export const BROKER_PORT = 9092;

export class BrokerLifecycle implements RaftListener<MetadataRecord> {
  /** Requests to the active controller: AlterPartition, AllocateProducerIds, forwarded CreateTopics. */
  readonly channel: ControllerChannel;
  readonly incarnationId: string;
  private readonly runtime: Runtime;
  private readonly brokerId: number;
  private readonly options: BrokerLifecycleOptions;
  private readonly heartbeatIntervalMs: number;
  private lifecycleState: BrokerState = 'STARTING';
  private epoch = -1;
  private folded: MetadataImage = EMPTY_IMAGE;
  private published: MetadataImage = EMPTY_IMAGE;
  private caughtUp = false;
  private fenced = true;
  private heartbeatInFlight = false;
  /** Another heartbeat is wanted as soon as the one in flight is answered. */
  private heartbeatSoon = false;
  private heartbeatTimer: TimerId | undefined;
  private publishScheduled = false;
  /** The controller said we caught up once: the broker gets images from now on. */
  private installed = false;
  private registrationAttempts = 0;
  private onShutdownAllowed: (() => void) | undefined;

  constructor(options: BrokerLifecycleOptions) {
    this.options = options;
    this.runtime = options.runtime;
    this.brokerId = options.brokerId;
    this.heartbeatIntervalMs = options.config['broker.heartbeat.interval.ms'];
    this.incarnationId = randomUuid(() => options.runtime.random());
    this.channel = new ControllerChannel({
      runtime: options.runtime,
      clientId: `broker-${options.brokerId}`,
      controllerNode: () => this.controllerNode(),
      send: options.send,
      retryBackoffMs: options.retryBackoffMs,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    options.metadataLog.register(this);
    this.register();
  }

  get state(): BrokerState {
    return this.lifecycleState;
  }

  /** This incarnation's broker epoch, -1 until registered. */
  get brokerEpoch(): number {
    return this.epoch;
  }

  /** The last image published to the listener (empty until the controller says this broker caught up). */
  image(): MetadataImage {
    return this.published;
  }

  /** The controller's last word: has this broker replayed the log up to its registration? */
  isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** The controller's last word on fencing (true until the first heartbeat answer says otherwise). */
  isFenced(): boolean {
    return this.fenced;
  }

  /** The active controller's node, if the quorum leader is known. */
  controllerNode(): NodeId | undefined {
    const leader = this.options.metadataLog.leaderAndEpoch().leaderId;
    return leader < 0 ? undefined : this.options.controllerNodeOf(leader);
  }

  /** Takes the controller's answers to this broker's requests; false for any other message. */
  handleMessage(from: NodeId, message: Message): boolean {
    return this.channel.handleMessage(from, message);
  }

  onConnectionReset(peer: NodeId): void {
    this.channel.onConnectionReset(peer);
  }

  /**
   * Asks the controller to move this broker's leaderships away; `onShutdownAllowed` runs once the controller
   * says the broker may stop (at once if it never registered).
   */
  beginControlledShutdown(onShutdownAllowed: () => void): void {
    if (this.lifecycleState === 'SHUTTING_DOWN' || this.lifecycleState === 'NOT_RUNNING') return;
    this.onShutdownAllowed = onShutdownAllowed;
    if (this.epoch < 0) {
      this.allowShutdown();
      return;
    }
    this.setState('PENDING_CONTROLLED_SHUTDOWN');
    this.heartbeatNow();
  }

  /** Stops heartbeating and following; the controller will fence this broker when its session expires. */
  stop(): void {
    this.setState('NOT_RUNNING');
    this.cancelHeartbeatTimer();
    this.channel.close();
  }

  // ---------------------------------------------------------------------------------------------------------
  // The metadata log

  handleCommit(batch: CommittedBatch<MetadataRecord>): void {
    if (this.lifecycleState === 'NOT_RUNNING' || batch.lastOffset <= this.folded.offset) return;
    this.folded = applyRecords(this.folded, batch.records, batch.baseOffset);
    this.schedulePublish();
  }

  handleLeaderChange(leader: LeaderAndEpoch): void {
    if (this.lifecycleState === 'NOT_RUNNING') return;
    if (leader.leaderId !== this.folded.controllerId) {
      this.folded = { ...this.folded, controllerId: leader.leaderId };
      this.schedulePublish();
    }
    this.channel.onControllerChange();
  }

  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    this.runtime.setTimer(0, () => {
      this.publishScheduled = false;
      if (this.lifecycleState === 'NOT_RUNNING') return;
      if (this.installed) {
        if (this.folded !== this.published) this.publish();
      } else if (this.epoch >= 0 && this.folded.offset >= this.epoch) {
        this.heartbeatNow(); // replayed up to our registration: ask the controller to confirm it
      }
    });
  }

  private publish(): void {
    const previous = this.published;
    this.published = this.folded;
    const changes = previous.offset === this.published.offset ? NO_LOCAL_CHANGES : localChanges(previous, this.published, this.brokerId);
    this.options.listener.onMetadata(this.published, changes);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Registration and heartbeats

  private register(): void {
    this.channel.request<BrokerRegistrationResponse>({
      build: (correlationId, clientId) => brokerRegistrationRequest({
        correlationId,
        clientId,
        brokerId: this.brokerId,
        clusterId: this.options.clusterId,
        incarnationId: this.incarnationId,
        listeners: [{ name: 'PLAINTEXT', host: this.runtime.nodeId, port: BROKER_PORT, securityProtocol: 0 }],
        rack: this.options.rack ?? null,
        isMigratingZkBroker: false,
        previousBrokerEpoch: this.options.previousBrokerEpoch ?? -1,
      }),
      responseType: 'BrokerRegistrationResponse',
      onResponse: (response) => this.onRegistered(response),
    });
  }

  private onRegistered(response: BrokerRegistrationResponse): void {
    if (this.lifecycleState === 'NOT_RUNNING') return;
    if (response.errorCode !== ErrorCode.NONE) {
      // DUPLICATE_BROKER_REGISTRATION: our previous incarnation's session has not expired yet. Back off and
      // try again (exponentially, up to a heartbeat interval).
      const backoffMs = Math.min(this.heartbeatIntervalMs, (this.options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS) * 2 ** this.registrationAttempts++);
      this.runtime.trace('broker.registration-failed', { error: errorName(response.errorCode), retryInMs: backoffMs });
      this.runtime.setTimer(backoffMs, () => {
        if (this.lifecycleState !== 'NOT_RUNNING') this.register();
      });
      return;
    }
    this.registrationAttempts = 0;
    this.epoch = response.brokerEpoch;
    this.fenced = true;
    this.caughtUp = false;
    this.runtime.trace('broker.registered', { broker: this.brokerId, brokerEpoch: this.epoch });
    if (this.lifecycleState === 'STARTING') this.setState('RECOVERY');
    this.heartbeatNow();
  }

  private heartbeatNow(): void {
    if (this.epoch < 0 || this.lifecycleState === 'SHUTTING_DOWN' || this.lifecycleState === 'NOT_RUNNING') return;
    this.cancelHeartbeatTimer();
    if (this.heartbeatInFlight) {
      this.heartbeatSoon = true;
      return;
    }
    this.heartbeatInFlight = true;
    this.heartbeatSoon = false;
    const epoch = this.epoch;
    this.channel.request<BrokerHeartbeatResponse>({
      build: (correlationId, clientId) => brokerHeartbeatRequest({
        correlationId,
        clientId,
        brokerId: this.brokerId,
        brokerEpoch: epoch,
        currentMetadataOffset: this.folded.offset,
        wantFence: !this.installed,
        wantShutDown: this.lifecycleState === 'PENDING_CONTROLLED_SHUTDOWN',
      }),
      responseType: 'BrokerHeartbeatResponse',
      onResponse: (response) => this.onHeartbeat(epoch, response),
    });
  }

  private onHeartbeat(epoch: number, response: BrokerHeartbeatResponse): void {
    this.heartbeatInFlight = false;
    if (this.lifecycleState === 'NOT_RUNNING' || epoch !== this.epoch) return;
    if (response.errorCode === ErrorCode.STALE_BROKER_EPOCH) {
      // Our registration is gone or superseded: register again.
      this.runtime.trace('broker.heartbeat-stale', { broker: this.brokerId, brokerEpoch: epoch });
      this.epoch = -1;
      this.fenced = true;
      if (this.lifecycleState === 'RUNNING' || this.lifecycleState === 'RECOVERY') this.setState('STARTING');
      this.register();
      return;
    }
    if (response.errorCode === ErrorCode.NONE) {
      this.caughtUp = response.isCaughtUp;
      if (response.isCaughtUp && !this.installed) {
        // Kafka's initial catch-up: publish the whole image, then ask to be unfenced at once.
        this.installed = true;
        this.publish();
        this.heartbeatSoon = true;
      }
      if (response.isFenced !== this.fenced) this.runtime.trace('broker.fenced', { broker: this.brokerId, fenced: response.isFenced });
      this.fenced = response.isFenced;
      if (this.lifecycleState === 'RECOVERY' && !response.isFenced) this.setState('RUNNING');
      if (response.shouldShutDown && this.lifecycleState === 'PENDING_CONTROLLED_SHUTDOWN') {
        this.allowShutdown();
        return;
      }
    }
    if (this.heartbeatSoon) {
      this.heartbeatNow();
      return;
    }
    this.heartbeatTimer = this.runtime.setTimer(this.heartbeatIntervalMs, () => {
      this.heartbeatTimer = undefined;
      this.heartbeatNow();
    });
  }

  private allowShutdown(): void {
    this.setState('SHUTTING_DOWN');
    this.cancelHeartbeatTimer();
    const callback = this.onShutdownAllowed;
    this.onShutdownAllowed = undefined;
    callback?.();
  }

  private cancelHeartbeatTimer(): void {
    if (this.heartbeatTimer !== undefined) this.runtime.cancelTimer(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private setState(state: BrokerState): void {
    if (state === this.lifecycleState) return;
    this.lifecycleState = state;
    this.runtime.trace('broker.state', { broker: this.brokerId, state });
    this.options.listener.onStateChange?.(state);
  }
}

// All partition replicas of one broker (Kafka's ReplicaManager): it applies the metadata log's decisions
// (become leader, become follower, stop), runs the follower fetchers, appends produced records, answers
// fetches, and keeps the purgatories of produce requests and fetch long polls.
//
// The log directory is opened when the first metadata image arrives, as a KRaft broker does: topic configs
// (segment size, retention, min.insync.replicas...) come from the image, so logs can only be opened then.
// Periodic work: the ISR shrink check (every replica.lag.time.max.ms / 2), the high watermark checkpoint, the
// recovery point checkpoint, retention, and flush.ms.

import { parseConfig } from '../config/parse.ts';
import type { BrokerConfig, TopicConfig } from '../config/types.ts';
import { LogManager } from '../log/log-manager.ts';
import { LONG_MAX } from '../log/log-config.ts';
import type { MetadataImage, PartitionRegistration, TopicImage } from '../metadata/image.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { FetchRequest, FetchResponse, LeaderIdAndEpoch } from '../protocol/fetch.ts';
import type { ListOffsetsResponse } from '../protocol/list-offsets.ts';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse, ProduceTopicResponse } from '../protocol/produce.ts';
import { DiskError } from '../runtime.ts';
import type { Message, NodeId, Runtime } from '../runtime.ts';
import { DelayedFetch, consumerFetchKey, followerFetchKey } from './delayed-fetch.ts';
import { DelayedProduce, produceKey } from './delayed-produce.ts';
import type { ProduceWait } from './delayed-produce.ts';
import { fetchMayComplete, readFetch } from './fetch-reader.ts';
import type { FetchReadResult, PartitionLookup } from './fetch-reader.ts';
import { FollowerFetcher } from './follower-fetcher.ts';
import type { FetcherContext } from './follower-fetcher.ts';
import { HighWatermarkCheckpoint } from './high-watermark-checkpoint.ts';
import type { AlterPartitionChannel } from './isr.ts';
import { Partition } from './partition.ts';
import type { PartitionEvents, ReplicaContext, ReplicaRole } from './partition.ts';
import { Purgatory } from './purgatory.ts';
import { logConfigFrom, partitionSettingsFrom, replicationConfigFrom } from './replication-config.ts';
import type { PartitionSettings, ReplicationConfig } from './replication-config.ts';

export interface ReplicaManagerOptions {
  readonly runtime: Runtime;
  readonly config: BrokerConfig;
  /** The log directory (the first of log.dirs). */
  readonly logDir: string;
  readonly alterPartition: AlterPartitionChannel;
  /** This broker's epoch from its registration; -1 before it registered. */
  brokerEpoch(): number;
  /** Correlation ids for requests this broker sends (shared with its other clients). */
  nextCorrelationId(): number;
}

/** One replica's state, for tests, checkers and metrics. */
export interface ReplicaSnapshot {
  readonly topic: string;
  readonly partition: number;
  readonly role: ReplicaRole;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export class ReplicaManager implements PartitionLookup {
  readonly config: ReplicationConfig;
  private readonly runtime: Runtime;
  private readonly brokerConfig: BrokerConfig;
  private logManager: LogManager | undefined;
  private hwCheckpoint: HighWatermarkCheckpoint | undefined;
  private image: MetadataImage | undefined;
  private readonly partitionMap = new Map<string, Partition>();
  private readonly fetchers = new Map<number, FollowerFetcher>();
  private readonly topicConfigs = new Map<string, { readonly source: Readonly<Record<string, string>>; readonly config: TopicConfig }>();
  private readonly producePurgatory: Purgatory;
  private readonly fetchPurgatory: Purgatory;
  private readonly replicaContext: ReplicaContext;
  private readonly fetcherContext: FetcherContext;
  private shutDown = false;

  constructor(private readonly options: ReplicaManagerOptions) {
    this.runtime = options.runtime;
    this.brokerConfig = options.config;
    this.config = replicationConfigFrom(options.config);
    this.producePurgatory = new Purgatory(this.runtime);
    this.fetchPurgatory = new Purgatory(this.runtime);
    const events: PartitionEvents = {
      logAppended: (partition) => this.fetchPurgatory.checkAndComplete(followerFetchKey(partition.key)),
      highWatermarkChanged: (partition) => {
        this.producePurgatory.checkAndComplete(produceKey(partition));
        this.fetchPurgatory.checkAndComplete(consumerFetchKey(partition.key));
      },
      stateChanged: (partition) => {
        this.producePurgatory.checkAndComplete(produceKey(partition));
        this.fetchPurgatory.checkAndComplete(followerFetchKey(partition.key));
        this.fetchPurgatory.checkAndComplete(consumerFetchKey(partition.key));
      },
      flushed: (partition) => {
        this.producePurgatory.checkAndComplete(produceKey(partition));
        if (partition.role === 'follower') this.fetchers.get(partition.leaderId)?.poke();
      },
    };
    this.replicaContext = {
      config: this.config,
      alterPartition: options.alterPartition,
      now: () => this.runtime.now(),
      trace: (event, fields) => this.runtime.trace(event, fields),
      brokerEpoch: () => options.brokerEpoch(),
      isReplicaIsrEligible: (brokerId, brokerEpoch) => this.isReplicaIsrEligible(brokerId, brokerEpoch),
      registeredBrokerEpoch: (brokerId) => this.image?.brokers.get(brokerId)?.brokerEpoch ?? -1,
      events,
    };
    this.fetcherContext = {
      config: this.config,
      clientId: `replica-fetcher-${this.config.brokerId}`,
      now: () => this.runtime.now(),
      send: (to, message) => this.runtime.send(to, message),
      setTimer: (delayMs, callback) => this.runtime.setTimer(delayMs, callback),
      cancelTimer: (id) => this.runtime.cancelTimer(id),
      nextCorrelationId: () => options.nextCorrelationId(),
      brokerEpoch: () => options.brokerEpoch(),
      trace: (event, fields) => this.runtime.trace(event, fields),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Metadata

  /** True once the first metadata image was applied (the logs are open). */
  get isStarted(): boolean {
    return this.logManager !== undefined;
  }

  get metadataImage(): MetadataImage | undefined {
    return this.image;
  }

  /**
   * Applies a metadata image: every partition with this broker among its replicas becomes (or stays) leader
   * or follower as its registration says; hosted partitions no longer assigned here stop.
   */
  applyImage(image: MetadataImage): void {
    if (this.shutDown) return;
    this.image = image;
    if (this.logManager === undefined) this.openLogs();
    if (this.logManager === undefined) return; // the log directory failed: the broker halted
    const self = this.config.brokerId;
    const assigned = new Set<string>();
    for (const topic of image.topics.values()) {
      const settings = partitionSettingsFrom(this.topicConfig(topic));
      for (const registration of topic.partitions) {
        if (!registration.replicas.includes(self)) continue;
        const key = `${topic.name}-${registration.partition}`;
        assigned.add(key);
        this.applyRegistration(key, registration, settings);
      }
    }
    for (const [key, partition] of this.partitionMap) {
      if (!assigned.has(key)) this.stopReplica(partition);
    }
  }

  private applyRegistration(key: string, registration: PartitionRegistration, settings: PartitionSettings): void {
    let partition = this.partitionMap.get(key);
    if (partition === undefined) {
      partition = this.createPartition(registration, settings);
    } else if (partition.settings.minInsyncReplicas !== settings.minInsyncReplicas || partition.settings.flushMessages !== settings.flushMessages
      || partition.settings.timestampType !== settings.timestampType) {
      partition.updateSettings(settings);
    }
    if (registration.leader === this.config.brokerId) {
      if (partition.role !== 'leader' || registration.leaderEpoch > partition.leaderEpoch) {
        this.removeFromFetcher(partition);
        partition.makeLeader(registration);
      } else if (registration.leaderEpoch === partition.leaderEpoch) {
        partition.applyRegistration(registration);
      }
      return;
    }
    const previousLeader = partition.role === 'follower' ? partition.leaderId : undefined;
    if (!partition.makeFollower(registration)) return;
    if (previousLeader !== undefined && previousLeader !== registration.leader) this.detachFromFetcher(previousLeader, partition.key);
    if (registration.leader >= 0) this.addToFetcher(registration.leader, partition);
  }

  private createPartition(registration: PartitionRegistration, settings: PartitionSettings): Partition {
    const logManager = this.logManager as LogManager;
    const log = logManager.getOrCreateLog(registration.topic, registration.partition, this.runtime.now());
    const checkpointed = this.hwCheckpoint?.highWatermarkAtStart(registration.topic, registration.partition) ?? 0;
    const partition = new Partition(registration.topic, registration.partition, log, settings, this.replicaContext, checkpointed);
    this.partitionMap.set(partition.key, partition);
    return partition;
  }

  /** No longer assigned here: stop leading or following. (The log stays on disk; see the report.) */
  private stopReplica(partition: Partition): void {
    this.removeFromFetcher(partition);
    this.partitionMap.delete(partition.key);
    partition.stop();
    this.runtime.trace('replica.stop', { partition: partition.key });
  }

  private removeFromFetcher(partition: Partition): void {
    if (partition.role === 'follower') this.detachFromFetcher(partition.leaderId, partition.key);
  }

  private detachFromFetcher(leaderId: number, key: string): void {
    const fetcher = this.fetchers.get(leaderId);
    if (fetcher === undefined) return;
    fetcher.removePartition(key);
    if (fetcher.isEmpty) {
      fetcher.close();
      this.fetchers.delete(leaderId);
    }
  }

  private addToFetcher(leaderId: number, partition: Partition): void {
    let fetcher = this.fetchers.get(leaderId);
    if (fetcher === undefined) {
      const host = this.image?.brokers.get(leaderId)?.host ?? `broker-${leaderId}`;
      fetcher = new FollowerFetcher(leaderId, host, this.fetcherContext);
      this.fetchers.set(leaderId, fetcher);
    }
    fetcher.addPartition(partition);
  }

  private topicConfig(topic: TopicImage): TopicConfig {
    const cached = this.topicConfigs.get(topic.name);
    if (cached !== undefined && cached.source === topic.configs) return cached.config;
    const config = parseConfig('topic', topic.configs, this.brokerConfig);
    this.topicConfigs.set(topic.name, { source: topic.configs, config });
    return config;
  }

  private isReplicaIsrEligible(brokerId: number, brokerEpoch: number): boolean {
    const broker = this.image?.brokers.get(brokerId);
    if (broker === undefined || broker.fenced || broker.inControlledShutdown) return false;
    return brokerEpoch < 0 || brokerEpoch === broker.brokerEpoch;
  }

  // -------------------------------------------------------------------------------------------------------
  // The log directory and periodic work

  private openLogs(): void {
    const runtime = this.runtime;
    // Kafka's LogDirFailureChannel: any I/O error in the log directory (a log, or one of its checkpoint files:
    // Kafka writes them all through the failure channel too) takes the directory offline, and a broker whose
    // only log directory is offline halts (Exit.halt) rather than serve from a disk it cannot trust.
    const onDiskError = (error: DiskError, what: string): void => {
      runtime.trace('log.disk-error', { what, error: error.message });
      runtime.halt(`log directory ${this.options.logDir} failed: ${error.message}`);
    };
    let logManager: LogManager;
    let hwCheckpoint: HighWatermarkCheckpoint;
    try {
      logManager = LogManager.open(runtime.disk, this.options.logDir, runtime.now(), {
        configFor: (topic) => {
          const image = this.image?.topics.get(topic);
          return logConfigFrom(image !== undefined ? this.topicConfig(image) : parseConfig('topic', {}, this.brokerConfig));
        },
        onDiskError,
      });
      hwCheckpoint = new HighWatermarkCheckpoint(runtime.disk, this.options.logDir, () => this.highWatermarks(), (error) => onDiskError(error, 'replication-offset-checkpoint'));
    } catch (error) {
      if (!(error instanceof DiskError)) throw error;
      onDiskError(error, this.options.logDir); // loading the log directory failed: the broker cannot start
      return;
    }
    this.logManager = logManager;
    this.hwCheckpoint = hwCheckpoint;
    runtime.trace('replica-manager.logs-loaded', { cleanShutdown: logManager.loadReport.cleanShutdown, logs: logManager.loadReport.logsLoaded, hwCheckpoint: this.hwCheckpoint.status });
    this.every(Math.max(1, Math.floor(this.config.replicaLagTimeMaxMs / 2)), () => {
      for (const partition of this.partitionMap.values()) partition.maybeShrinkIsr();
    });
    this.every(this.config.highWatermarkCheckpointIntervalMs, () => this.hwCheckpoint?.write());
    this.every(this.brokerConfig['log.flush.offset.checkpoint.interval.ms'], () => this.logManager?.checkpointRecoveryPoints());
    this.every(this.brokerConfig['log.retention.check.interval.ms'], () => this.enforceRetention());
    const flushIntervalMs = this.brokerConfig['log.flush.scheduler.interval.ms'];
    if (flushIntervalMs < LONG_MAX) {
      this.every(flushIntervalMs, () => {
        for (const partition of this.partitionMap.values()) partition.log.flushIfDue(this.runtime.now());
      });
    }
  }

  private every(intervalMs: number, task: () => void): void {
    if (!(intervalMs > 0) || intervalMs >= LONG_MAX) return;
    const tick = (): void => {
      if (this.shutDown) return;
      task();
      this.runtime.setTimer(intervalMs, tick);
    };
    this.runtime.setTimer(intervalMs, tick);
  }

  private enforceRetention(): void {
    const nowMs = this.runtime.now();
    for (const partition of this.partitionMap.values()) {
      const deleted = partition.log.deleteOldSegments(nowMs, { highWatermark: partition.highWatermark });
      if (deleted > 0) this.runtime.trace('log.retention', { partition: partition.key, segments: deleted, logStartOffset: partition.logStartOffset });
    }
  }

  private highWatermarks(): { topic: string; partition: number; highWatermark: number }[] {
    return [...this.partitionMap.values()]
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
      .map((partition) => ({ topic: partition.topic, partition: partition.partition, highWatermark: partition.highWatermark }));
  }

  // -------------------------------------------------------------------------------------------------------
  // Lookups

  lookup(topic: string, partition: number): Partition | number {
    const found = this.partitionMap.get(`${topic}-${partition}`);
    if (found !== undefined) return found;
    const registered = this.image?.topics.get(topic);
    if (registered === undefined || partition < 0 || partition >= registered.partitions.length) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  }

  leaderHint(topic: string, partition: number): LeaderIdAndEpoch | null {
    const registration = this.image?.topics.get(topic)?.partitions[partition];
    return registration === undefined ? null : { leaderId: registration.leader, leaderEpoch: registration.leaderEpoch };
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.partitionMap.get(`${topic}-${partition}`);
  }

  partitions(): Partition[] {
    return [...this.partitionMap.values()];
  }

  snapshot(): ReplicaSnapshot[] {
    return this.partitions().map((p) => ({
      topic: p.topic, partition: p.partition, role: p.role, leaderId: p.leaderId, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      isr: p.isr, logStartOffset: p.logStartOffset, logEndOffset: p.logEndOffset, highWatermark: p.highWatermark,
    }));
  }

  /** Waiting produce requests and fetch long polls, for tests. */
  get waiting(): { readonly produces: number; readonly fetches: number } {
    return { produces: this.producePurgatory.size, fetches: this.fetchPurgatory.size };
  }

  /** The fetcher for a leader, for tests. */
  fetcherFor(leaderId: number): FollowerFetcher | undefined {
    return this.fetchers.get(leaderId);
  }

  // -------------------------------------------------------------------------------------------------------
  // Produce

  /**
   * Appends a produce request's batches to the partitions this broker leads and calls `respond` with the
   * answer: at once for acks=1 and for errors, once the high watermark passed the batches for acks=all, never
   * for acks=0.
   */
  appendRecords(request: ProduceRequest, respond: (response: ProduceResponse) => void): void {
    const acks = request.acks;
    const slots: Array<{ topic: string; partition: number; wait: ProduceWait | undefined; result: ProducePartitionResponse | undefined; firstOffset: number; logAppendTimeMs: number }> = [];
    const waits: ProduceWait[] = [];
    for (const topic of request.topicData) {
      for (const data of topic.partitions) {
        const slot = { topic: topic.topic, partition: data.partition, wait: undefined as ProduceWait | undefined, result: undefined as ProducePartitionResponse | undefined, firstOffset: -1, logAppendTimeMs: -1 };
        slots.push(slot);
        if (acks !== -1 && acks !== 0 && acks !== 1) {
          slot.result = produceError(data.partition, ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, got ${String(acks)}`);
          continue;
        }
        const found = this.lookup(topic.topic, data.partition);
        if (typeof found === 'number') {
          slot.result = produceError(data.partition, found, null);
          continue;
        }
        const appended = found.appendAsLeader(data.records, acks);
        if (appended.errorCode !== ErrorCode.NONE) {
          slot.result = produceError(data.partition, appended.errorCode, appended.errorMessage, found.logStartOffset);
          continue;
        }
        slot.firstOffset = appended.firstOffset;
        slot.logAppendTimeMs = appended.logAppendTimeMs;
        const requiredOffset = acks === -1 ? appended.lastOffset + 1 : undefined;
        slot.wait = { partition: found, requiredOffset, flushTarget: appended.flushTarget, errorCode: undefined };
        waits.push(slot.wait);
      }
    }
    if (acks === 0) return;
    const answer = (): void => {
      const byTopic = new Map<string, ProducePartitionResponse[]>();
      let entries = 0;
      for (const slot of slots) {
        let result = slot.result;
        if (result === undefined) {
          const wait = slot.wait as ProduceWait;
          const ok = wait.errorCode === ErrorCode.NONE;
          result = {
            partition: slot.partition,
            errorCode: wait.errorCode ?? ErrorCode.REQUEST_TIMED_OUT,
            baseOffset: ok ? slot.firstOffset : -1,
            logAppendTimeMs: ok ? slot.logAppendTimeMs : -1,
            logStartOffset: wait.partition.logStartOffset,
            errorMessage: null,
          };
        }
        let list = byTopic.get(slot.topic);
        if (list === undefined) {
          list = [];
          byTopic.set(slot.topic, list);
        }
        list.push(result);
        entries++;
      }
      const responses: ProduceTopicResponse[] = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
      respond({ type: 'ProduceResponse', sizeBytes: HEADER_BYTES + entries * PARTITION_ENTRY_BYTES, correlationId: request.correlationId, responses });
    };
    if (waits.length === 0) return answer();
    this.producePurgatory.tryCompleteElseWatch(new DelayedProduce(waits, answer), request.timeoutMs);
  }

  // -------------------------------------------------------------------------------------------------------
  // Fetch

  /**
   * Answers a fetch from a follower or a consumer; long polls (maxWaitMs, minBytes) wait in the purgatory.
   * `respond` runs once.
   */
  fetchMessages(request: FetchRequest, respond: (response: FetchResponse) => void): void {
    const send = (result: FetchReadResult): void => respond({
      type: 'FetchResponse', sizeBytes: result.sizeBytes, correlationId: request.correlationId, errorCode: ErrorCode.NONE, responses: result.responses,
    });
    const first = readFetch(request, this, true);
    if (request.maxWaitMs <= 0 || first.bytes >= request.minBytes || first.mustAnswer) return send(first);
    const delayed = new DelayedFetch(request, () => fetchMayComplete(request, this), () => readFetch(request, this, false), send);
    this.fetchPurgatory.watch(delayed, request.maxWaitMs);
  }

  /** Routes an answer to one of this broker's fetchers; returns false if the message is not for them. */
  handleFetcherResponse(from: NodeId, message: Message): boolean {
    if (message.type !== 'FetchResponse' && message.type !== 'ListOffsetsResponse') return false;
    for (const fetcher of this.fetchers.values()) {
      if (fetcher.leaderHost !== from) continue;
      if (message.type === 'FetchResponse') fetcher.handleFetchResponse(message as FetchResponse);
      else fetcher.handleListOffsetsResponse(message as ListOffsetsResponse);
    }
    return true;
  }

  onConnectionReset(peer: NodeId): void {
    for (const fetcher of this.fetchers.values()) if (fetcher.leaderHost === peer) fetcher.handleConnectionReset();
  }

  // -------------------------------------------------------------------------------------------------------
  // Shutdown

  /**
   * Clean shutdown: fetchers stop, every replica stops, the high watermark checkpoint is written, then every
   * log is flushed and closed, the recovery points checkpointed and the clean-shutdown marker written, with
   * this broker's epoch (KIP-966: the next start proves with it that this one ended cleanly).
   */
  shutdown(done: (error?: DiskError) => void): void {
    if (this.shutDown) return done();
    for (const fetcher of this.fetchers.values()) fetcher.close();
    this.fetchers.clear();
    const logManager = this.logManager;
    const hwCheckpoint = this.hwCheckpoint;
    if (logManager === undefined || hwCheckpoint === undefined) {
      this.shutDown = true;
      return done();
    }
    hwCheckpoint.write((error) => {
      if (error !== undefined) return done(error);
      logManager.shutdown(this.runtime.now(), done, this.options.brokerEpoch());
    });
    // The checkpoint's content was taken as the write began: from here on nothing changes a replica.
    for (const partition of this.partitionMap.values()) partition.stop();
    this.shutDown = true;
  }
}

function produceError(partition: number, errorCode: number, errorMessage: string | null, logStartOffset = -1): ProducePartitionResponse {
  return { partition, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset, errorMessage };
}

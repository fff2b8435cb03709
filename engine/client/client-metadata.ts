// A client's view of the cluster: brokers, and the leader and leader epoch of each partition of the topics it
// uses, kept fresh with MetadataRequests.
//
// As Kafka's Metadata / DefaultMetadataUpdater: an update is requested after errors that mean the view is
// stale (NOT_LEADER_OR_FOLLOWER, a connection failure, ...), when a new topic is used, and at least every
// metadata.max.age.ms. Updates go to the least loaded reachable broker (bootstrap.servers until the first
// answer) and are spaced by retry.backoff.ms, doubling on failed or unsatisfying updates up to
// retry.backoff.max.ms. A partition's entry is never replaced by one with an older leader epoch (KIP-320):
// a lagging broker's answer cannot send the client back to a deposed leader.

import type { NodeId, Runtime } from '../runtime.ts';
import { HEADER_BYTES, topicPartitionKey } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { MetadataRequest, MetadataResponse } from '../protocol/metadata.ts';
import { ExponentialBackoff } from './backoff.ts';
import { ClientProtocolError } from './client-errors.ts';
import type { NetworkClient } from './network-client.ts';

export const NO_LEADER = -1;

export interface PartitionInfo {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the partition has no leader. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  /** The leader's node name, undefined without a leader or when the broker is unknown. */
  readonly leaderNode: NodeId | undefined;
}

export interface TopicInfo {
  readonly name: string;
  /** Indexed by partition number. */
  readonly partitions: readonly PartitionInfo[];
  /** Partitions that have a reachable leader, ascending. */
  readonly available: readonly number[];
}

export interface ClientMetadataOptions {
  readonly clientId: string;
  readonly bootstrap: readonly NodeId[];
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly allowAutoTopicCreation: boolean;
  /** Called after every metadata response was folded in. */
  readonly onUpdate: () => void;
}

export class ClientMetadata {
  private readonly brokers = new Map<number, NodeId>();
  private readonly topics = new Map<string, TopicInfo>();
  /** The highest leader epoch seen per partition, kept even while a topic is missing from answers. */
  private readonly lastSeenEpochs = new Map<string, number>();
  private readonly wanted = new Set<string>();
  private readonly backoff: ExponentialBackoff;
  /** Nothing is asked before a topic is wanted (bootstrap.servers serve until then). */
  private needUpdate = false;
  private inFlight = false;
  private failedAttempts = 0;
  private lastSuccessMs = 0;
  private nextAllowedMs = 0;
  private updates = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly network: NetworkClient,
    private readonly options: ClientMetadataOptions,
  ) {
    this.backoff = new ExponentialBackoff(options.retryBackoffMs, options.retryBackoffMaxMs, () => runtime.random());
  }

  /** Completed metadata updates so far. */
  updateCount(): number {
    return this.updates;
  }

  /** Adds a topic to the ones the client asks about; a new one triggers an update. */
  addTopic(topic: string): void {
    if (this.wanted.has(topic)) return;
    this.wanted.add(topic);
    this.needUpdate = true;
  }

  hasTopic(topic: string): boolean {
    return this.wanted.has(topic);
  }

  /** Asks for an update as soon as the backoff allows. */
  requestUpdate(): void {
    this.needUpdate = true;
  }

  topic(topic: string): TopicInfo | undefined {
    return this.topics.get(topic);
  }

  partition(topic: string, partition: number): PartitionInfo | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** The broker node named by id, if known. */
  brokerNode(brokerId: number): NodeId | undefined {
    return this.brokers.get(brokerId);
  }

  /**
   * Sends a MetadataRequest if one is due and none is in flight. Returns when it wants to be asked again
   * (Infinity when only a response or a new request can change anything).
   */
  maybeUpdate(): number {
    const now = this.runtime.now();
    if (this.inFlight) return Infinity;
    const dueMs = this.needUpdate ? this.nextAllowedMs : Math.max(this.nextAllowedMs, this.lastSuccessMs + this.options.metadataMaxAgeMs);
    if (dueMs > now) return dueMs;
    const node = this.leastLoadedNode();
    if (node === undefined) return this.earliestUnblockMs();
    this.send(node);
    return Infinity;
  }

  private send(node: NodeId): void {
    const topics = [...this.wanted];
    let sizeBytes = HEADER_BYTES;
    for (const topic of topics) sizeBytes += topic.length + 2;
    const request: MetadataRequest = {
      type: 'MetadataRequest',
      sizeBytes,
      correlationId: this.network.correlationId(),
      clientId: this.options.clientId,
      topics,
      allowAutoTopicCreation: this.options.allowAutoTopicCreation,
    };
    this.inFlight = true;
    this.needUpdate = false;
    this.network.send(node, request, {
      onResponse: (response) => this.onResponse(response as MetadataResponse),
      onFailure: () => this.onFailure(),
    });
  }

  private onFailure(): void {
    this.inFlight = false;
    this.needUpdate = true;
    this.scheduleNext(true);
    this.options.onUpdate();
  }

  private onResponse(response: MetadataResponse): void {
    this.inFlight = false;
    this.updates++;
    if (response.brokers.length > 0) {
      this.brokers.clear();
      for (const broker of response.brokers) this.brokers.set(broker.nodeId, broker.host);
    }
    let satisfied = true;
    for (const topic of response.topics) {
      if (!this.wanted.has(topic.name)) continue;
      if (topic.errorCode !== ErrorCode.NONE) {
        this.topics.delete(topic.name);
        satisfied = false;
        continue;
      }
      const partitions: PartitionInfo[] = [];
      for (const entry of topic.partitions) {
        const key = topicPartitionKey(topic.name, entry.partitionIndex);
        const seen = this.lastSeenEpochs.get(key) ?? -1;
        const cached = this.topics.get(topic.name)?.partitions[entry.partitionIndex];
        if (entry.leaderEpoch < seen && cached !== undefined) {
          partitions[entry.partitionIndex] = this.refreshNode(cached); // a stale answer: keep what we know
          continue;
        }
        this.lastSeenEpochs.set(key, Math.max(seen, entry.leaderEpoch));
        const leaderId = entry.errorCode === ErrorCode.LEADER_NOT_AVAILABLE ? NO_LEADER : entry.leaderId;
        partitions[entry.partitionIndex] = {
          topic: topic.name,
          partition: entry.partitionIndex,
          leaderId,
          leaderEpoch: entry.leaderEpoch,
          leaderNode: leaderId >= 0 ? this.brokers.get(leaderId) : undefined,
        };
      }
      const available: number[] = [];
      for (let p = 0; p < partitions.length; p++) {
        if (partitions[p] === undefined) throw new ClientProtocolError('a broker', `metadata for ${topic.name} skips partition ${p}`);
        if (partitions[p].leaderNode !== undefined) available.push(p);
        else satisfied = false;
      }
      this.topics.set(topic.name, { name: topic.name, partitions, available });
    }
    for (const topic of this.wanted) if (!this.topics.has(topic)) satisfied = false;
    if (satisfied) this.lastSuccessMs = this.runtime.now();
    else this.needUpdate = true;
    this.scheduleNext(!satisfied);
    this.options.onUpdate();
  }

  private refreshNode(info: PartitionInfo): PartitionInfo {
    const leaderNode = info.leaderId >= 0 ? this.brokers.get(info.leaderId) : undefined;
    return leaderNode === info.leaderNode ? info : { ...info, leaderNode };
  }

  private scheduleNext(failed: boolean): void {
    this.failedAttempts = failed ? this.failedAttempts + 1 : 0;
    this.nextAllowedMs = this.runtime.now() + this.backoff.backoffMs(Math.max(0, this.failedAttempts - 1));
  }

  /** The reachable node with the fewest requests in flight, starting the search at a random node. */
  leastLoadedNode(): NodeId | undefined {
    const nodes = this.brokers.size > 0 ? [...this.brokers.values()] : this.options.bootstrap;
    if (nodes.length === 0) return undefined;
    const start = Math.floor(this.runtime.random() * nodes.length);
    let best: NodeId | undefined;
    let bestLoad = Infinity;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[(start + i) % nodes.length];
      if (this.network.isBlocked(node)) continue;
      const load = this.network.inFlightCount(node);
      if (load < bestLoad) {
        best = node;
        bestLoad = load;
      }
    }
    return best;
  }

  /** When the first known broker stops backing off (for a caller that found no node to talk to). */
  earliestUnblockMs(): number {
    const nodes = this.brokers.size > 0 ? [...this.brokers.values()] : this.options.bootstrap;
    let earliest = Infinity;
    for (const node of nodes) earliest = Math.min(earliest, this.network.blockedUntilMs(node));
    return earliest;
  }
}

// A Kafka consumer without groups, as a sans-I/O state machine: assign() partitions, and it fetches from each
// partition's leader continuously, handing records to its listener (each call is one poll for the harness).
//
//   const consumer = new Consumer(runtime, parseConfig('consumer', { 'bootstrap.servers': ['broker-1'] }), {
//     onRecords: (batch) => ..., onTruncation: (event) => ..., onError: (event) => ...,
//   });
//   consumer.assign([{ topic: 'orders', partition: 0 }]);
//
// Each pass (after every answer, reset or timer) follows leadership from metadata (a new leader or epoch
// sends a position with a known epoch to validation), resets partitions without a position by
// auto.offset.reset (ListOffsets), validates (OffsetsForLeaderEpoch), and sends one fetch to every leader that
// has fetchable partitions and no fetch in flight. Unlike KafkaConsumer it does not wait for poll(): records are
// delivered as soon as a fetch answers, in polls of at most max.poll.records, and the next fetch goes out at once.

import type { Message, NodeHandlers, NodeId, Runtime, TimerId } from '../runtime.ts';
import type { Response } from '../protocol/envelope.ts';
import { topicPartitionKey } from '../protocol/envelope.ts';
import type { ConsumerConfig } from '../config/types.ts';
import { ExponentialBackoff } from './backoff.ts';
import { ClientStateError } from './client-errors.ts';
import { clientIdOf } from './client-config.ts';
import { connectClient } from './client-connections.ts';
import type { ClientMetadata } from './client-metadata.ts';
import type { ConsumerContext } from './consumer-context.ts';
import { ConsumerFetcher } from './consumer-fetcher.ts';
import { ConsumerPositions } from './consumer-positions.ts';
import type { ConsumerErrorName, ConsumerListener, TopicPartition } from './consumer-types.ts';
import type { NetworkClient } from './network-client.ts';
import { PartitionState } from './subscription-state.ts';

/** Kafka's fixed cap of in-flight requests per broker connection for a consumer (it sends few at a time). */
const CONSUMER_MAX_IN_FLIGHT = 5;

export class Consumer implements NodeHandlers {
  private readonly network: NetworkClient;
  private readonly metadata: ClientMetadata;
  private readonly states = new Map<string, PartitionState>();
  private readonly retryBackoff: ExponentialBackoff;
  private readonly positions: ConsumerPositions;
  private readonly fetcher: ConsumerFetcher;
  private wakeTimer: TimerId | undefined;
  private wakeAtMs = Infinity;
  private closed = false;
  private running = false;

  constructor(
    private readonly runtime: Runtime,
    config: ConsumerConfig,
    private readonly listener: ConsumerListener,
  ) {
    const clientId = clientIdOf(config['client.id'], runtime.nodeId);
    this.retryBackoff = new ExponentialBackoff(config['retry.backoff.ms'], config['retry.backoff.max.ms'], () => runtime.random());
    ({ network: this.network, metadata: this.metadata } = connectClient(runtime, {
      clientId,
      bootstrapServers: config['bootstrap.servers'],
      requestTimeoutMs: config['request.timeout.ms'],
      maxInFlightPerNode: CONSUMER_MAX_IN_FLIGHT,
      metadataMaxAgeMs: config['metadata.max.age.ms'],
      retryBackoffMs: config['retry.backoff.ms'],
      retryBackoffMaxMs: config['retry.backoff.max.ms'],
      allowAutoTopicCreation: config['allow.auto.create.topics'],
      onMetadataUpdate: () => {
        for (const state of this.states.values()) state.awaitingMetadata = false;
      },
      wake: () => this.wake(this.runtime.now()),
    }));
    const context: ConsumerContext = {
      runtime,
      network: this.network,
      metadata: this.metadata,
      clientId,
      listener,
      resetPolicy: config['auto.offset.reset'],
      state: (key) => this.states.get(key),
      backOff: (state) => {
        state.backOff(runtime.now(), this.retryBackoff.backoffMs(state.failures));
      },
      error: (state, error, fatal, message) => this.reportError(state, error, fatal, message),
    };
    this.positions = new ConsumerPositions(context);
    this.fetcher = new ConsumerFetcher(context, this.positions, {
      maxWaitMs: config['fetch.max.wait.ms'],
      minBytes: config['fetch.min.bytes'],
      maxBytes: config['fetch.max.bytes'],
      partitionMaxBytes: config['max.partition.fetch.bytes'],
      maxPollRecords: config['max.poll.records'],
      checkCrcs: config['check.crcs'],
    });
    this.wake(runtime.now());
  }

  // ---------------------------------------------------------------------------------------------------------
  // The API

  /** Replaces the assignment. Partitions kept keep their positions; new ones start by auto.offset.reset. */
  assign(partitions: readonly TopicPartition[]): void {
    const keep = new Set<string>();
    for (const { topic, partition } of partitions) {
      const key = topicPartitionKey(topic, partition);
      keep.add(key);
      if (!this.states.has(key)) this.states.set(key, new PartitionState(topic, partition, key));
      this.metadata.addTopic(topic);
    }
    for (const key of [...this.states.keys()]) if (!keep.has(key)) this.states.delete(key);
    this.wake(this.runtime.now());
  }

  assignment(): TopicPartition[] {
    return [...this.states.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Reads `partition` from `offset` on (no epoch: the position is not validated, as Kafka's seek()). */
  seek(topic: string, partition: number, offset: number): void {
    const state = this.assigned(topic, partition, 'seek');
    const leader = this.metadata.partition(topic, partition);
    state.seek({ offset, offsetEpoch: -1, leaderId: leader?.leaderId ?? -1, leaderEpoch: leader?.leaderEpoch ?? -1 });
    this.wake(this.runtime.now());
  }

  /** Resets `partition` by earliest / latest at the next pass. */
  seekTo(topic: string, partition: number, strategy: 'earliest' | 'latest'): void {
    this.assigned(topic, partition, 'seekTo').requestReset(strategy);
    this.wake(this.runtime.now());
  }

  /** The next offset to read, undefined before the position is known. */
  position(topic: string, partition: number): number | undefined {
    return this.states.get(topicPartitionKey(topic, partition))?.position?.offset;
  }

  /** The partition's high watermark in the last fetch answer, -1 before any. */
  highWatermark(topic: string, partition: number): number {
    return this.states.get(topicPartitionKey(topic, partition))?.highWatermark ?? -1;
  }

  /** The partition's fetch state, for tests and reports. */
  fetchState(topic: string, partition: number): PartitionState['state'] | undefined {
    return this.states.get(topicPartitionKey(topic, partition))?.state;
  }

  fetchCount(): number {
    return this.fetcher.fetchCount();
  }

  metadataUpdates(): number {
    return this.metadata.updateCount();
  }

  /** Stops fetching; answers still on their way are ignored. */
  close(): void {
    this.closed = true;
    if (this.wakeTimer !== undefined) this.runtime.cancelTimer(this.wakeTimer);
    this.wakeTimer = undefined;
    this.states.clear();
  }

  // ---------------------------------------------------------------------------------------------------------
  // NodeHandlers

  onMessage(from: NodeId, message: Message): void {
    if (this.closed) return;
    if (this.network.handleMessage(from, message as Response)) this.run();
  }

  onConnectionReset(peer: NodeId): void {
    if (this.closed) return;
    this.network.handleConnectionReset(peer);
    this.run();
  }

  // ---------------------------------------------------------------------------------------------------------
  // One pass

  private run(): void {
    if (this.closed || this.running) return;
    this.running = true;
    try {
      this.runPass();
    } finally {
      this.running = false;
    }
  }

  private runPass(): void {
    const now = this.runtime.now();
    let wakeMs = Infinity;
    const resets = new Map<NodeId, PartitionState[]>();
    const validations = new Map<NodeId, PartitionState[]>();
    const fetches = new Map<NodeId, PartitionState[]>();
    for (const state of this.states.values()) {
      if (state.state === 'initializing') this.positions.resetByPolicy(state, 'no position');
      const leader = this.metadata.partition(state.topic, state.partition);
      const node = leader?.leaderNode;
      if (node === undefined) {
        if (state.state !== 'failed') this.metadata.requestUpdate();
        continue;
      }
      const position = state.position;
      if ((state.state === 'fetching' || state.state === 'await-validation') && position !== undefined &&
        (position.leaderId !== leader!.leaderId || position.leaderEpoch !== leader!.leaderEpoch)) {
        state.leaderChanged(leader!.leaderId, leader!.leaderEpoch);
      }
      if (state.requestInFlight) continue;
      if (now < state.retryAtMs) {
        wakeMs = Math.min(wakeMs, state.retryAtMs);
        continue;
      }
      if (state.state === 'await-reset') addTo(resets, node, state);
      else if (state.state === 'await-validation') addTo(validations, node, state);
      else if (state.isFetchable(now)) addTo(fetches, node, state);
    }
    for (const [node, states] of resets) {
      if (this.network.isReady(node)) this.positions.sendResets(node, states);
      else wakeMs = Math.min(wakeMs, this.retryWhenBlocked(node));
    }
    for (const [node, states] of validations) {
      if (this.network.isReady(node)) this.positions.sendValidations(node, states);
      else wakeMs = Math.min(wakeMs, this.retryWhenBlocked(node));
    }
    for (const [node, states] of fetches) {
      if (this.fetcher.hasFetchInFlight(node)) continue;
      if (this.network.isReady(node)) this.fetcher.send(node, states);
      else wakeMs = Math.min(wakeMs, this.retryWhenBlocked(node));
    }
    wakeMs = Math.min(wakeMs, this.metadata.maybeUpdate());
    if (wakeMs < Infinity) this.wake(Math.max(wakeMs, now));
  }

  /** When to look again at a node that cannot take a request now (Infinity: an answer will wake us). */
  private retryWhenBlocked(node: NodeId): number {
    return this.network.isBlocked(node) ? this.network.blockedUntilMs(node) : Infinity;
  }

  private wake(timeMs: number): void {
    if (this.closed || timeMs >= this.wakeAtMs) return;
    if (this.wakeTimer !== undefined) this.runtime.cancelTimer(this.wakeTimer);
    this.wakeAtMs = timeMs;
    this.wakeTimer = this.runtime.setTimer(Math.max(0, timeMs - this.runtime.now()), () => {
      this.wakeTimer = undefined;
      this.wakeAtMs = Infinity;
      this.run();
    });
  }

  private assigned(topic: string, partition: number, verb: string): PartitionState {
    const state = this.states.get(topicPartitionKey(topic, partition));
    if (state === undefined) throw new ClientStateError(`${verb}: ${topicPartitionKey(topic, partition)} is not assigned to ${this.runtime.nodeId}`);
    return state;
  }

  private reportError(state: PartitionState, error: ConsumerErrorName, fatal: boolean, message: string): void {
    this.runtime.trace('consumer-error', { topic: state.topic, partition: state.partition, error, fatal });
    this.listener.onError?.({ topic: state.topic, partition: state.partition, error, fatal, message });
  }
}

function addTo(map: Map<NodeId, PartitionState[]>, node: NodeId, state: PartitionState): void {
  const list = map.get(node);
  if (list === undefined) map.set(node, [state]);
  else list.push(state);
}

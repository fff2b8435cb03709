// A broker's requests to the active controller (Kafka's NodeToControllerChannelManager), with retries.
//
// The active controller is whichever node leads the metadata quorum; the channel asks for it at every attempt.
// An attempt that gets NOT_CONTROLLER (or what the caller calls retriable), whose connection resets, or that
// hears nothing within the request timeout, is sent again after a backoff, with a fresh correlationId and a
// freshly built request (a heartbeat retried carries the current metadata offset, not the stale one). When the
// quorum leader changes, attempts in flight are re-sent to the new one at once. Answers to abandoned attempts
// are recognised by their correlationId and dropped.

import type { Message, NodeId, Runtime, TimerId } from '../runtime.ts';
import { allocateProducerIdsRequest } from '../protocol/allocate-producer-ids.ts';
import type { AllocateProducerIdsResponse } from '../protocol/allocate-producer-ids.ts';
import type { AlterPartitionRequest, AlterPartitionResponse } from '../protocol/alter-partition.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/create-topics.ts';
import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import type { Request, Response } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { networkSender } from './sender.ts';
import type { Sender } from './sender.ts';

export interface ControllerChannelOptions {
  readonly runtime: Runtime;
  /** The clientId of every request (Kafka's brokers use their id). */
  readonly clientId: string;
  /** The active controller's node, or undefined while no quorum leader is known. */
  readonly controllerNode: () => NodeId | undefined;
  readonly send?: Sender;
  /** Pause before a retry; Kafka's retry.backoff.ms default. */
  readonly retryBackoffMs?: number;
  /** An attempt unanswered this long is abandoned and retried. */
  readonly requestTimeoutMs?: number;
}

export interface ControllerRequestSpec<R extends Response> {
  /** Builds the request of one attempt. */
  readonly build: (correlationId: number, clientId: string) => Request;
  readonly responseType: R['type'];
  /** True if the answer says "try again" (default: a top-level NOT_CONTROLLER). */
  readonly isRetriable?: (response: R) => boolean;
  readonly onResponse: (response: R) => void;
  /** Give up at this time (default: never) and call onTimeout. */
  readonly deadlineMs?: number;
  readonly onTimeout?: () => void;
}

export const DEFAULT_RETRY_BACKOFF_MS = 100;
export const DEFAULT_CONTROLLER_REQUEST_TIMEOUT_MS = 4000;

interface Pending {
  readonly spec: ControllerRequestSpec<Response>;
  correlationId: number;
  to: NodeId | undefined;
  timer: TimerId | undefined;
}

type Fields<M> = Omit<M, 'type' | 'sizeBytes' | 'correlationId' | 'clientId'>;

export class ControllerChannel {
  private readonly runtime: Runtime;
  private readonly clientId: string;
  private readonly controllerNode: () => NodeId | undefined;
  private readonly send: Sender;
  private readonly retryBackoffMs: number;
  private readonly requestTimeoutMs: number;
  private readonly inFlight = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private closed = false;

  constructor(options: ControllerChannelOptions) {
    this.runtime = options.runtime;
    this.clientId = options.clientId;
    this.controllerNode = options.controllerNode;
    this.send = options.send ?? networkSender(options.runtime);
    this.retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_CONTROLLER_REQUEST_TIMEOUT_MS;
  }

  /** Requests waiting for an answer (in flight or between attempts). */
  get pendingCount(): number {
    return this.inFlight.size;
  }

  request<R extends Response>(spec: ControllerRequestSpec<R>): void {
    if (this.closed) return;
    const pending: Pending = { spec: spec as unknown as ControllerRequestSpec<Response>, correlationId: 0, to: undefined, timer: undefined };
    this.attempt(pending);
  }

  alterPartition(fields: Fields<AlterPartitionRequest>, onResponse: (response: AlterPartitionResponse) => void): void {
    let sizeBytes = HEADER_BYTES + 12;
    for (const topic of fields.topics) sizeBytes += 2 + topic.topicName.length + topic.partitions.length * PARTITION_ENTRY_BYTES;
    this.request<AlterPartitionResponse>({
      build: (correlationId, clientId) => ({ type: 'AlterPartitionRequest', sizeBytes, correlationId, clientId, ...fields }),
      responseType: 'AlterPartitionResponse',
      onResponse,
    });
  }

  allocateProducerIds(brokerId: number, brokerEpoch: number, onResponse: (response: AllocateProducerIdsResponse) => void): void {
    this.request<AllocateProducerIdsResponse>({
      build: (correlationId, clientId) => allocateProducerIdsRequest({ correlationId, clientId, brokerId, brokerEpoch }),
      responseType: 'AllocateProducerIdsResponse',
      onResponse,
    });
  }

  /** Forwards a client's CreateTopics; answers REQUEST_TIMED_OUT per topic after its timeoutMs. */
  createTopics(fields: Fields<CreateTopicsRequest>, onResponse: (response: CreateTopicsResponse) => void): void {
    let sizeBytes = HEADER_BYTES + 5;
    for (const topic of fields.topics) sizeBytes += 12 + topic.name.length + topic.configs.length * 24;
    this.request<CreateTopicsResponse>({
      build: (correlationId, clientId) => ({ type: 'CreateTopicsRequest', sizeBytes, correlationId, clientId, ...fields }),
      responseType: 'CreateTopicsResponse',
      isRetriable: (response) => response.topics.length > 0 && response.topics.every((topic) => topic.errorCode === ErrorCode.NOT_CONTROLLER),
      onResponse,
      deadlineMs: this.runtime.now() + fields.timeoutMs,
      onTimeout: () => onResponse({
        type: 'CreateTopicsResponse',
        sizeBytes: HEADER_BYTES,
        correlationId: -1,
        topics: fields.topics.map((topic) => ({
          name: topic.name, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: null, numPartitions: -1, replicationFactor: -1,
        })),
      }),
    });
  }

  /** Takes a controller's answer to one of our requests; false if it is not one. */
  handleMessage(from: NodeId, message: Message): boolean {
    const correlationId = (message as Partial<Response>).correlationId;
    if (correlationId === undefined) return false;
    const pending = this.inFlight.get(correlationId);
    if (pending === undefined || pending.to !== from || message.type !== pending.spec.responseType) return false;
    this.cancelTimer(pending);
    const response = message as Response;
    const retriable = pending.spec.isRetriable ?? isNotController;
    if (retriable(response)) {
      this.retryLater(pending);
      return true;
    }
    this.inFlight.delete(correlationId);
    pending.spec.onResponse(response);
    return true;
  }

  /** The connection to `peer` dropped: what was in flight to it is lost. */
  onConnectionReset(peer: NodeId): void {
    for (const pending of [...this.inFlight.values()]) {
      if (pending.to === peer && pending.timer !== undefined) {
        this.cancelTimer(pending);
        this.retryLater(pending);
      }
    }
  }

  /** The quorum leader changed: re-send what is waiting, to the new controller, now. */
  onControllerChange(): void {
    const node = this.controllerNode();
    if (node === undefined) return;
    for (const pending of [...this.inFlight.values()]) {
      if (pending.to !== node) {
        this.cancelTimer(pending);
        this.attempt(pending);
      }
    }
  }

  /** Abandons every request; later answers are ignored. */
  close(): void {
    this.closed = true;
    for (const pending of this.inFlight.values()) this.cancelTimer(pending);
    this.inFlight.clear();
  }

  private attempt(pending: Pending): void {
    this.inFlight.delete(pending.correlationId);
    if (this.closed) return;
    if (pending.spec.deadlineMs !== undefined && this.runtime.now() >= pending.spec.deadlineMs) {
      pending.spec.onTimeout?.();
      return;
    }
    pending.correlationId = this.nextCorrelationId++;
    this.inFlight.set(pending.correlationId, pending);
    const to = this.controllerNode();
    pending.to = to;
    if (to === undefined) {
      this.retryLater(pending);
      return;
    }
    this.send(to, pending.spec.build(pending.correlationId, this.clientId));
    pending.timer = this.runtime.setTimer(this.requestTimeoutMs, () => {
      pending.timer = undefined;
      this.retryLater(pending);
    });
  }

  private retryLater(pending: Pending): void {
    // Keep the entry (so that onControllerChange can hurry it), but under no correlationId an answer can match.
    pending.to = undefined;
    pending.timer = this.runtime.setTimer(this.retryBackoffMs, () => {
      pending.timer = undefined;
      this.attempt(pending);
    });
  }

  private cancelTimer(pending: Pending): void {
    if (pending.timer !== undefined) this.runtime.cancelTimer(pending.timer);
    pending.timer = undefined;
  }
}

function isNotController(response: Response): boolean {
  return (response as Partial<{ errorCode: number }>).errorCode === ErrorCode.NOT_CONTROLLER;
}

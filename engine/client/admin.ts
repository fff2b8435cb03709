// A minimal admin client: creates topics, as Kafka's Admin.createTopics does.
//
// It sends CreateTopics to a broker (which forwards it to the active controller) and retries on retriable
// errors, timeouts and resets, trying the next bootstrap broker each time. TOPIC_ALREADY_EXISTS counts as
// success: the forwarding broker retries towards the controller on its own, so an earlier attempt (ours or
// the broker's) may have created the topic before its answer was lost.

import type { CreatableTopic, CreateTopicsRequest, CreateTopicsResponse } from '../protocol/create-topics.ts';
import { HEADER_BYTES } from '../protocol/envelope.ts';
import { ErrorCode, errorName, isRetriable } from '../protocol/errors.ts';
import type { Response } from '../protocol/envelope.ts';
import type { Message, NodeHandlers, NodeId, Runtime } from '../runtime.ts';
import { NetworkClient } from './network-client.ts';
import { ClientConfigError } from './client-errors.ts';

export interface NewTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Topic config overrides by Kafka key. */
  readonly configs?: Readonly<Record<string, string>>;
}

export type CreateTopicsOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly topic: string; readonly error: string; readonly message: string };

export interface AdminOptions {
  readonly bootstrap: readonly NodeId[];
  readonly requestTimeoutMs?: number;
  readonly retryBackoffMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_BACKOFF_MS = 100;

export class Admin implements NodeHandlers {
  private readonly network: NetworkClient;
  private nextBroker = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: AdminOptions,
  ) {
    if (options.bootstrap.length === 0) throw new ClientConfigError('bootstrap.servers', 'an admin client needs at least one bootstrap broker');
    this.network = new NetworkClient(runtime, { requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, maxInFlightPerNode: 5 });
  }

  /** Creates every topic; `done` once all exist or one failed for good. */
  createTopics(topics: readonly NewTopic[], done: (outcome: CreateTopicsOutcome) => void): void {
    const creatable: CreatableTopic[] = topics.map((topic) => ({
      name: topic.name,
      numPartitions: topic.numPartitions,
      replicationFactor: topic.replicationFactor,
      assignments: [],
      configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
    }));
    this.attempt(creatable, 0, done);
  }

  private attempt(topics: readonly CreatableTopic[], attempt: number, done: (outcome: CreateTopicsOutcome) => void): void {
    const broker = this.options.bootstrap[this.nextBroker++ % this.options.bootstrap.length];
    const request: CreateTopicsRequest = {
      type: 'CreateTopicsRequest',
      sizeBytes: HEADER_BYTES + topics.reduce((sum, t) => sum + 32 + t.name.length, 0),
      correlationId: this.network.correlationId(),
      clientId: this.runtime.nodeId,
      topics,
      timeoutMs: 30_000,
      validateOnly: false,
    };
    const retry = (): void => {
      this.runtime.setTimer(this.options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS, () => this.attempt(topics, attempt + 1, done));
    };
    this.network.send(broker, request, {
      onResponse: (response: Response) => {
        const results = (response as CreateTopicsResponse).topics;
        const pending = topics.filter((topic) => {
          const result = results.find((r) => r.name === topic.name);
          if (result === undefined) return true;
          return result.errorCode !== ErrorCode.NONE && result.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS;
        });
        const fatal = results.find((r) => r.errorCode !== ErrorCode.NONE && !isRetriable(r.errorCode) && r.errorCode !== ErrorCode.REQUEST_TIMED_OUT
          && r.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS);
        if (fatal !== undefined) {
          done({ ok: false, topic: fatal.name, error: errorName(fatal.errorCode), message: fatal.errorMessage ?? '' });
        } else if (pending.length === 0) {
          done({ ok: true });
        } else {
          this.runtime.setTimer(this.options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS, () => this.attempt(pending, attempt + 1, done));
        }
      },
      onFailure: retry,
    });
  }

  onMessage(from: NodeId, message: Message): void {
    this.network.handleMessage(from, message as Response);
  }

  onConnectionReset(peer: NodeId): void {
    this.network.handleConnectionReset(peer);
  }
}

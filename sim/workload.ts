// The workload: producer and consumer nodes driven at a rate, every send and poll recorded in the history.
//
// Each producer sends records with unique values (`producer-1/42`) so checkers can tell them apart, keyed
// from a small key space so that records spread over partitions by Kafka's partitioner. Sends start on a
// fixed-rate clock with a little jitter from the workload stream; stop() ends the sending. Each consumer is
// assigned every partition of the topic from the earliest offset and records every fetch as a poll.

import { parseConfig } from '../engine/config/parse.ts';
import type { ConfigOverrides } from '../engine/config/types.ts';
import { Producer } from '../engine/client/producer.ts';
import { Consumer } from '../engine/client/consumer.ts';
import type { ProduceResult } from '../engine/client/produce-result.ts';
import type { NodeId } from '../engine/runtime.ts';
import type { HistoryRecorder } from './history.ts';
import type { RandomStream } from './random.ts';
import type { Simulation } from './simulation.ts';

/** Separates a record's identity (what the history and checkers use) from its padding in the value bytes. */
const PADDING_SEPARATOR = '|';

/** A record value's identity: the text before the padding (`producer-1/42`). */
export function recordIdentity(valueText: string): string {
  const end = valueText.indexOf(PADDING_SEPARATOR);
  return end < 0 ? valueText : valueText.slice(0, end);
}

export interface ProducerSpec {
  /** Records per simulated second. */
  readonly ratePerSec: number;
  /** Producer keys by Kafka name (acks, enable.idempotence, linger.ms, ...). */
  readonly config?: ConfigOverrides;
  /** Distinct keys (default 100). */
  readonly keyCount?: number;
  /** `uniform`: records cycle through the keys; `zipf`: key i is drawn with weight 1/(i+1) (a few hot keys). */
  readonly keyDistribution?: 'uniform' | 'zipf';
  /** Value size in bytes, or a [min, max] range drawn per record (default 100). */
  readonly valueBytes?: number | readonly [number, number];
}

export interface WorkloadSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly producers: readonly ProducerSpec[];
  /** Consumers reading every partition from the earliest offset. */
  readonly consumers: number;
  readonly consumerConfig?: ConfigOverrides;
}

export interface WorkloadStats {
  /** Latency from send() to acknowledgement, simulated ms, one entry per acked record. */
  readonly produceLatenciesMs: number[];
  /** Latency from acknowledgement... from send() to first poll that returned the record. */
  readonly endToEndLatenciesMs: number[];
  bytesAcked: number;
  recordsConsumed: number;
}

export class Workload {
  readonly producerNodes: NodeId[] = [];
  readonly consumerNodes: NodeId[] = [];
  readonly stats: WorkloadStats = { produceLatenciesMs: [], endToEndLatenciesMs: [], bytesAcked: 0, recordsConsumed: 0 };
  private readonly producers = new Map<NodeId, Producer>();
  private readonly sendTimes = new Map<string, number>();
  private readonly seenValues = new Set<string>();
  private sending = false;

  constructor(
    private readonly sim: Simulation,
    private readonly history: HistoryRecorder,
    private readonly random: RandomStream,
    private readonly spec: WorkloadSpec,
    brokers: readonly NodeId[],
  ) {
    const bootstrap = { 'bootstrap.servers': brokers.map((b) => `${b}:9092`) };
    spec.producers.forEach((producerSpec, i) => {
      const node = `producer-${i + 1}`;
      const config = parseConfig('producer', { ...producerSpec.config, ...bootstrap, 'client.id': node });
      this.producerNodes.push(node);
      sim.addNode(node, (runtime) => {
        const producer = new Producer(runtime, config);
        this.producers.set(node, producer);
        return producer;
      });
    });
    for (let i = 0; i < spec.consumers; i++) {
      const node = `consumer-${i + 1}`;
      const config = parseConfig('consumer', { 'auto.offset.reset': 'earliest', ...spec.consumerConfig, ...bootstrap, 'client.id': node });
      this.consumerNodes.push(node);
      sim.addNode(node, (runtime) => {
        const decoder = new TextDecoder();
        const consumer = new Consumer(runtime, config, {
          onRecords: (batch) => {
            const records = batch.records.map((r) => ({ offset: r.offset, value: r.value === null ? '' : recordIdentity(decoder.decode(r.value)), leaderEpoch: r.leaderEpoch }));
            history.poll({ consumer: node, topic: batch.topic, partition: batch.partition, records, highWatermark: batch.highWatermark });
            this.stats.recordsConsumed += records.length;
            for (const record of records) {
              if (this.seenValues.has(record.value)) continue;
              this.seenValues.add(record.value);
              const sentMs = this.sendTimes.get(record.value);
              if (sentMs !== undefined) this.stats.endToEndLatenciesMs.push(sim.now() - sentMs);
            }
          },
          onPositionReset: (event) => {
            history.seek({ consumer: node, topic: event.topic, partition: event.partition, offset: event.offset, reason: 'reset' });
          },
          onTruncation: (event) => {
            const offset = typeof event.resumeFrom === 'number' ? event.resumeFrom : null;
            history.seek({ consumer: node, topic: event.topic, partition: event.partition, offset, reason: 'reset' });
          },
        });
        const assignment = Array.from({ length: spec.partitions }, (_, partition) => ({ topic: spec.topic, partition }));
        for (const tp of assignment) history.seek({ consumer: node, topic: tp.topic, partition: tp.partition, offset: null, reason: 'assign' });
        consumer.assign(assignment);
        return consumer;
      });
    }
  }

  /** Starts every producer's send clock. */
  start(): void {
    this.sending = true;
    this.spec.producers.forEach((producerSpec, i) => {
      const node = this.producerNodes[i];
      const intervalMs = 1000 / producerSpec.ratePerSec;
      let sequence = 0;
      const nextKey = keyChooser(producerSpec.keyCount ?? 100, producerSpec.keyDistribution ?? 'uniform', this.random);
      const nextPadding = paddingChooser(producerSpec.valueBytes ?? 100, this.random);
      const tick = (): void => {
        if (!this.sending) return;
        const n = sequence++;
        this.send(node, `k${nextKey(n)}`, `${node}/${n}`, nextPadding());
        this.sim.scheduler.after(intervalMs * (0.5 + this.random.next()), tick);
      };
      this.sim.scheduler.after(this.random.next() * intervalMs, tick);
    });
  }

  /** Stops sending; records in flight still complete. */
  stop(): void {
    this.sending = false;
  }

  private send(node: NodeId, key: string, value: string, padding: string): void {
    const producer = this.producers.get(node);
    if (producer === undefined) return;
    const id = this.history.invokeSend({ producer: node, topic: this.spec.topic, key, value });
    const sentMs = this.sim.now();
    this.sendTimes.set(value, sentMs);
    producer.send({ topic: this.spec.topic, key, value: value + padding }, (result: ProduceResult) => {
      if (result.ok) {
        this.history.ackSend(id, result.offset, result.partition);
        this.stats.produceLatenciesMs.push(this.sim.now() - sentMs);
        this.stats.bytesAcked += value.length + padding.length + key.length;
      } else if (result.indeterminate) {
        this.history.indeterminateSend(id, result.error, result.partition >= 0 ? result.partition : undefined);
      } else {
        this.history.failSend(id, result.error, result.partition >= 0 ? result.partition : undefined);
      }
    });
  }
}

/** Picks the key index of the n-th record. */
function keyChooser(keyCount: number, distribution: 'uniform' | 'zipf', random: RandomStream): (n: number) => number {
  if (distribution === 'uniform') return (n) => n % keyCount;
  // Zipf with s = 1: a cumulative table once, a binary search per record.
  const cumulative = new Float64Array(keyCount);
  let total = 0;
  for (let i = 0; i < keyCount; i++) cumulative[i] = total += 1 / (i + 1);
  return () => {
    const target = random.next() * total;
    let lo = 0;
    let hi = keyCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The padding after a record's identity, so that values have the asked size (the identity takes ~16 bytes). */
function paddingChooser(valueBytes: number | readonly [number, number], random: RandomStream): () => string {
  const [min, max] = typeof valueBytes === 'number' ? [valueBytes, valueBytes] : valueBytes;
  const longest = PADDING_SEPARATOR + 'x'.repeat(Math.max(0, max - 16));
  if (min === max) return () => longest;
  // One string sliced per record: slices of a flat string share its storage.
  return () => longest.slice(0, 1 + Math.max(0, random.int(min, max) - 16));
}

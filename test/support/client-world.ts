// A simulated world for client tests: a fake Kafka cluster, a producer and/or a consumer, and what they heard.

import { parseConfig } from '../../engine/config/index.ts';
import type { ConfigOverrides } from '../../engine/config/index.ts';
import { Consumer } from '../../engine/client/consumer.ts';
import type { ConsumedRecord, ConsumerErrorEvent, TruncationEvent } from '../../engine/client/consumer-types.ts';
import type { ProduceResult, ProducerRecord } from '../../engine/client/produce-result.ts';
import { Producer } from '../../engine/client/producer.ts';
import { Simulation } from '../../sim/simulation.ts';
import { FakeKafka } from './fake-kafka.ts';
import type { FakeKafkaOptions } from './fake-kafka.ts';

const decoder = new TextDecoder();

export interface ProducerWorld {
  readonly sim: Simulation;
  readonly kafka: FakeKafka;
  readonly producer: Producer;
  /** Outcomes by the value sent, in callback order. */
  readonly results: Array<{ value: string; result: ProduceResult; atMs: number }>;
  send(topic: string, value: string, key?: string | null, extra?: Partial<ProducerRecord>): void;
  resultOf(value: string): ProduceResult | undefined;
}

export function producerWorld(cluster: FakeKafkaOptions, overrides: ConfigOverrides = {}, seed = 1): ProducerWorld {
  const sim = new Simulation({ seed });
  const kafka = new FakeKafka(sim, cluster);
  let producer: Producer | undefined;
  const config = parseConfig('producer', { 'bootstrap.servers': ['broker-1'], ...overrides });
  sim.addNode('producer-1', (runtime) => (producer = new Producer(runtime, config)));
  const results: ProducerWorld['results'] = [];
  return {
    sim,
    kafka,
    producer: producer!,
    results,
    send(topic, value, key = null, extra = {}) {
      producer!.send({ topic, key, value, ...extra }, (result) => results.push({ value, result, atMs: sim.now() }));
    },
    resultOf(value) {
      return results.find((entry) => entry.value === value)?.result;
    },
  };
}

export interface ConsumerWorld {
  readonly sim: Simulation;
  readonly kafka: FakeKafka;
  readonly consumer: Consumer;
  /** Every record delivered, as `partition:offset:value`. */
  readonly polled: string[];
  readonly polledRecords: ConsumedRecord[];
  /** How many records each onRecords call (each poll) handed on, in order, and the position it saw then. */
  readonly pollSizes: number[];
  readonly pollPositions: Array<number | undefined>;
  readonly truncations: TruncationEvent[];
  readonly errors: ConsumerErrorEvent[];
}

export function consumerWorld(cluster: FakeKafkaOptions, overrides: ConfigOverrides = {}, seed = 1): ConsumerWorld {
  const sim = new Simulation({ seed });
  const kafka = new FakeKafka(sim, cluster);
  const polled: string[] = [];
  const polledRecords: ConsumedRecord[] = [];
  const pollSizes: number[] = [];
  const pollPositions: Array<number | undefined> = [];
  const truncations: TruncationEvent[] = [];
  const errors: ConsumerErrorEvent[] = [];
  let consumer: Consumer | undefined;
  const config = parseConfig('consumer', { 'bootstrap.servers': ['broker-1'], ...overrides });
  sim.addNode('consumer-1', (runtime) => (consumer = new Consumer(runtime, config, {
    onRecords: (batch) => {
      pollSizes.push(batch.records.length);
      pollPositions.push(consumer!.position(batch.topic, batch.partition));
      for (const record of batch.records) {
        polled.push(`${batch.partition}:${record.offset}:${decoder.decode(record.value!)}`);
        polledRecords.push(record);
      }
    },
    onTruncation: (event) => truncations.push(event),
    onError: (event) => errors.push(event),
  })));
  return { sim, kafka, consumer: consumer!, polled, polledRecords, pollSizes, pollPositions, truncations, errors };
}

/** `count` values `prefix0`, `prefix1`, ... */
export function values(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

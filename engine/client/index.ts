// The clients' public surface, for the harness and for tests:
//
//   sim.addNode('producer-1', (runtime) => new Producer(runtime, parseConfig('producer', { 'bootstrap.servers': brokers })));
//   sim.addNode('consumer-1', (runtime) => new Consumer(runtime, parseConfig('consumer', { ... }), listener));

export { Producer } from './producer.ts';
export type { ProducerState } from './producer.ts';
export type { ProduceCallback, ProduceErrorName, ProduceFailure, ProduceResult, ProduceSuccess, ProducerRecord } from './produce-result.ts';
export { Consumer } from './consumer.ts';
export type {
  ConsumedBatch, ConsumedRecord, ConsumerErrorEvent, ConsumerErrorName, ConsumerListener, TopicPartition, TruncationEvent,
} from './consumer-types.ts';
export type { FetchState } from './subscription-state.ts';
export { murmur2, partitionForKey, toPositive } from './murmur2.ts';
export { ClientConfigError, ClientProtocolError, ClientStateError } from './client-errors.ts';

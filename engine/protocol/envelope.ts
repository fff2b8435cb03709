// What every request and response between nodes carries, and how the network prices them.
//
// Requests and responses are plain objects named after Kafka's APIs (`ProduceRequest`, `FetchResponse`);
// field names follow Kafka's message schemas in camelCase. Records travel as the real RecordBatch v2 bytes.
// A response echoes its request's correlationId, as on Kafka's wire, so a client can match them over one
// FIFO connection and time out what never comes back.
//
// sizeBytes is what the network charges: the records' bytes plus an estimate of the rest, close to what
// Kafka's wire format would take (a request header of ~20 bytes, ~8 to 16 bytes per partition entry).

import type { Message } from '../runtime.ts';

export interface Request extends Message {
  readonly correlationId: number;
  readonly clientId: string;
}

export interface Response extends Message {
  readonly correlationId: number;
}

/** Bytes of a request or response header on Kafka's wire, roughly. */
export const HEADER_BYTES = 24;
/** Bytes of one partition entry (topic name aside), roughly. */
export const PARTITION_ENTRY_BYTES = 16;

/** A topic-partition as Kafka names it in logs and tools: `orders-3`. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

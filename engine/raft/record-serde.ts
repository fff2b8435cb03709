// How the records a state machine appends become record values in the log, and back.
//
// Each metadata record is one Kafka record whose value holds it; the default is JSON in UTF-8, for records
// that are plain JSON-able data.

export interface RecordSerde<T> {
  serialize(record: T): Uint8Array;
  deserialize(bytes: Uint8Array): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function jsonSerde<T>(): RecordSerde<T> {
  return {
    serialize: (record) => encoder.encode(JSON.stringify(record)),
    deserialize: (bytes) => JSON.parse(decoder.decode(bytes)) as T,
  };
}

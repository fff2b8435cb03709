// Real Kafka keys that Tributary deliberately does not model, with the reason: a user who brings them from a
// Kafka properties file learns why, instead of reading "unknown key".

import type { ConfigKind } from './definition.ts';

const NETWORK = 'the simulator owns the network; nodes address each other by node id';
const THREADS = 'threads are not modelled: each node is one single-threaded state machine';
const BYTES = 'records are bytes in Tributary; there are no (de)serializer classes';
const FORMAT = 'message format versions were removed in Kafka 4.0; Tributary writes RecordBatch v2 only';

const NOT_MODELLED: { readonly [K in ConfigKind]: Readonly<Record<string, string>> } = {
  broker: {
    'zookeeper.connect': 'ZooKeeper mode was removed in Kafka 4.0; Tributary runs KRaft only (controller.quorum.voters)',
    'controller.quorum.bootstrap.servers': 'dynamic quorums (KIP-853) are not modelled; give controller.quorum.voters',
    'listeners': NETWORK,
    'advertised.listeners': NETWORK,
    'controller.listener.names': NETWORK,
    'listener.security.protocol.map': NETWORK,
    'inter.broker.listener.name': NETWORK,
    'num.network.threads': THREADS,
    'num.io.threads': THREADS,
    'num.replica.fetchers': THREADS,
    'num.recovery.threads.per.data.dir': THREADS,
    'log.cleaner.threads': THREADS,
    'log.message.format.version': FORMAT,
  },
  topic: {
    'message.format.version': FORMAT,
    'message.downconversion.enable': FORMAT,
  },
  producer: {
    'key.serializer': BYTES,
    'value.serializer': BYTES,
    'partitioner.class': 'the built-in partitioner is the only one; see partitioner.ignore.keys',
    'interceptor.classes': 'interceptors are not modelled',
  },
  consumer: {
    'key.deserializer': BYTES,
    'value.deserializer': BYTES,
    'group.protocol': 'only the classic group protocol is modelled',
    'group.remote.assignor': 'only the classic group protocol is modelled',
    'interceptor.classes': 'interceptors are not modelled',
  },
};

/** Why Tributary does not model this Kafka key of `kind`, or undefined when it is no Kafka key we know of. */
export function notModelledReason(kind: ConfigKind, key: string): string | undefined {
  const table = NOT_MODELLED[kind];
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

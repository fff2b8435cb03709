// What the controller reads of its node's configuration: Kafka's broker/controller keys, parsed by
// engine/config (`parseConfig('broker', {...})`). The whole BrokerConfig is taken because a new topic's
// config overrides are checked against it (`parseConfig('topic', overrides, brokerConfig)`).
//
//   broker.session.timeout.ms         fence a broker unheard of this long (9000)
//   unclean.leader.election.enable    cluster default of the topic key (false)
//   min.insync.replicas               cluster default of the topic key (1): where eligible leader replicas start
//   eligible.leader.replicas.version  KIP-966 (0: off, Kafka 4.0's default)
//   num.partitions                    partitions of a CreateTopics topic with numPartitions -1 (1)
//   default.replication.factor        replication factor of one with replicationFactor -1 (1)

import type { BrokerConfig } from '../config/index.ts';
import type { TopicImage } from '../metadata/image.ts';

export type ControllerConfig = BrokerConfig;

/** unclean.leader.election.enable for `topic`: its override, else the cluster default. */
export function uncleanElectionEnabled(topic: TopicImage, config: ControllerConfig): boolean {
  const override = topic.configs['unclean.leader.election.enable'];
  return override === undefined ? config['unclean.leader.election.enable'] : override === 'true';
}

/**
 * The effective min ISR of `topic` (Kafka's getTopicEffectiveMinIsr): min.insync.replicas (its override,
 * else the cluster default), capped at the replication factor — a topic may ask for more in-sync replicas
 * than it has, and Kafka then asks for all of them.
 */
export function effectiveMinIsr(topic: TopicImage, config: ControllerConfig): number {
  const override = topic.configs['min.insync.replicas'];
  const minIsr = override === undefined ? config['min.insync.replicas'] : Number(override);
  const replicationFactor = topic.partitions[0]?.replicas.length ?? minIsr;
  return Math.min(minIsr, replicationFactor);
}

/** True when the controller keeps eligible leader replicas and handles unclean restarts (KIP-966). */
export function eligibleLeaderReplicasEnabled(config: ControllerConfig): boolean {
  return config['eligible.leader.replicas.version'] >= 1;
}

// under-replicated: after the heal and the quiesce, with every broker up, a partition's ISR is not full again.
//
// Kafka's UnderReplicatedPartitions metric counts the partitions whose ISR is smaller than their replica set;
// a healthy cluster brings it back to zero once its faults are gone. The rule, per partition P of the final
// state, with P's replica set and ISR as the controllers' committed metadata has them:
//
//   If every replica of P is on a broker that is up at the end (its process runs, not paused; it may still be
//   starting), every replica of P must be in P's ISR.
//
// A partition with a replica on a broker that is down or paused at the end is not judged (a scenario may
// leave a broker down on purpose), nor one the metadata does not know; the checker says which and why. A
// final state without the brokers' standing is not judged at all. The harness gives the cluster the liveness
// and quiesce phases after the heal to refill its ISRs: a follower that never rejoins (e.g. one stuck
// asking for a divergence point it never reaches) is what this finds.

import type { FinalPartition, FinalReplica, FinalState, History, HistoryEvent } from '../history.ts';
import { partitionName } from '../history.ts';
import { anomaly, lastSamples, type Anomaly, type CheckResult } from './anomaly.ts';
import type { CheckOptions } from './options.ts';

export function checkUnderReplicated(history: History, finalState: FinalState, _options: CheckOptions = {}): CheckResult {
  const brokers = finalState.brokers;
  if (brokers === undefined) return { anomalies: [], notJudged: 'the final state does not say which brokers are up' };
  const standing = new Map(brokers.map((b) => [b.broker, b.standing]));
  const anomalies: Anomaly[] = [];
  const unknown: string[] = [];
  const onDownBrokers = new Map<string, string[]>();
  const events = history.events.filter((event) => event.type === 'heal' || event.type === 'quiesced');
  for (const partition of finalState.partitions) {
    const name = partitionName(partition.topic, partition.partition);
    const metadata = partition.metadata;
    if (metadata === undefined || metadata === null) {
      unknown.push(name);
      continue;
    }
    const notUp = metadata.replicas.filter((replica) => {
      const state = standing.get(replica);
      return state === undefined || state === 'down' || state === 'paused';
    });
    if (notUp.length > 0) {
      for (const broker of notUp) onDownBrokers.set(broker, [...(onDownBrokers.get(broker) ?? []), name]);
      continue;
    }
    const missing = metadata.replicas.filter((replica) => !metadata.isr.includes(replica));
    if (missing.length > 0) anomalies.push(explain(history, partition, missing, standing, events));
  }
  const reasons: string[] = [];
  for (const [broker, names] of onDownBrokers) {
    reasons.push(`${names.join(', ')} (${broker} was ${standing.get(broker) ?? 'not in the cluster'} at the end)`);
  }
  if (unknown.length > 0) reasons.push(`${unknown.join(', ')} (no controller's metadata at the end)`);
  const judged = finalState.partitions.length - unknown.length - countDistinct(onDownBrokers);
  if (reasons.length === 0) return { anomalies };
  const scope = judged === 0 ? 'no partition judged' : `${judged} of ${finalState.partitions.length} partitions judged`;
  return { anomalies, notJudged: `${scope}; not judged: ${reasons.join('; ')}` };
}

function countDistinct(byBroker: ReadonlyMap<string, readonly string[]>): number {
  const names = new Set<string>();
  for (const list of byBroker.values()) for (const name of list) names.add(name);
  return names.size;
}

function explain(
  history: History,
  partition: FinalPartition,
  missing: readonly string[],
  standing: ReadonlyMap<string, string>,
  events: readonly HistoryEvent[],
): Anomaly {
  const metadata = partition.metadata!;
  const name = partitionName(partition.topic, partition.partition);
  const leader = partition.replicas.find((replica) => replica.broker === metadata.leader);
  const lagging = missing.map((broker) => describeReplica(broker, partition.replicas.find((r) => r.broker === broker), standing.get(broker)));
  const leaderText = leader === undefined ? `no live leader (metadata names ${metadata.leader ?? 'none'})` : `the leader ${leader.broker}'s log ends at ${leader.logEndOffset}, high watermark ${leader.highWatermark}`;
  const heal = lastHealMs(history);
  return anomaly({
    kind: 'under-replicated',
    message:
      `The ISR of ${name} at the end is {${metadata.isr.join(', ')}}, without ${missing.join(', ')} of its replicas ` +
      `{${metadata.replicas.join(', ')}}, though every broker is up: ${lagging.join('; ')}; ${leaderText}` +
      `${heal === null ? '' : ` (${Math.round(history.endMs - heal)} ms after the heal at ${Math.round(heal)} ms)`}.`,
    topic: partition.topic,
    partition: partition.partition,
    timeMs: history.endMs,
    samples: lastSamples(history.samples, partition.topic, partition.partition),
    events: [...events],
    detail: {
      replicas: metadata.replicas.join(','),
      isr: metadata.isr.join(','),
      missing: missing.join(','),
      leader: metadata.leader,
      leaderEpoch: metadata.leaderEpoch,
      leaderLogEndOffset: leader?.logEndOffset ?? null,
      leaderHighWatermark: leader?.highWatermark ?? null,
      healMs: heal,
    },
  });
}

function describeReplica(broker: string, replica: FinalReplica | undefined, state: string | undefined): string {
  const log = replica === undefined ? 'holds no replica of it' : `its log ends at ${replica.logEndOffset} (leader epoch ${replica.leaderEpoch})`;
  return `${broker} is ${state ?? 'unknown'} and ${log}`;
}

function lastHealMs(history: History): number | null {
  let heal: number | null = null;
  for (const event of history.events) if (event.type === 'heal') heal = event.timeMs;
  return heal;
}

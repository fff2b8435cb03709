// The timeline a report draws, built from a run's history: per partition and replica the high watermark and
// log end offset, leaders and epochs, ISR sizes; acknowledged records, produce latency and consumer lag per
// second. Series are cut to a step (a point per replica per step at most, and only when the value moved), so
// that a result.json stays small for long runs.

import type { History, ReplicaSample, SendOp } from './history.ts';
import type { PartitionTimeline, ReplicaTimeline, Series, Timeline } from './result.ts';

const SECOND_MS = 1000;

export function buildTimeline(history: History, stepMs: number): Timeline {
  return {
    stepMs,
    partitions: partitionTimelines(history.samples, stepMs),
    ...perSecondSeries(history),
  };
}

function partitionTimelines(samples: readonly ReplicaSample[], stepMs: number): PartitionTimeline[] {
  const byPartition = new Map<string, ReplicaSample[]>();
  for (const sample of samples) {
    const key = `${sample.topic}\u0000${sample.partition}`;
    let list = byPartition.get(key);
    if (list === undefined) byPartition.set(key, list = []);
    list.push(sample);
  }
  const timelines: PartitionTimeline[] = [];
  for (const list of byPartition.values()) timelines.push(partitionTimeline(list, stepMs));
  return timelines.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

function partitionTimeline(samples: readonly ReplicaSample[], stepMs: number): PartitionTimeline {
  const replicas = new Map<string, { hw: SeriesBuilder; leo: SeriesBuilder }>();
  const leaders: Array<{ timeMs: number; broker: string; epoch: number }> = [];
  const isr = new SeriesBuilder(stepMs);
  let leaderEpoch = -1;
  let leader = '';
  for (const sample of samples) {
    let replica = replicas.get(sample.broker);
    if (replica === undefined) replicas.set(sample.broker, replica = { hw: new SeriesBuilder(stepMs), leo: new SeriesBuilder(stepMs) });
    replica.hw.add(sample.timeMs, sample.highWatermark);
    replica.leo.add(sample.timeMs, sample.logEndOffset);
    if (!sample.isLeader || sample.leaderEpoch < leaderEpoch) continue;
    if (sample.leaderEpoch > leaderEpoch || sample.broker !== leader) {
      leaderEpoch = sample.leaderEpoch;
      leader = sample.broker;
      leaders.push({ timeMs: sample.timeMs, broker: sample.broker, epoch: sample.leaderEpoch });
    }
    if (sample.broker === leader) isr.add(sample.timeMs, sample.isr.length);
  }
  const replicaTimelines: ReplicaTimeline[] = [...replicas.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([broker, series]) => ({ broker, highWatermark: series.hw.finish(), logEndOffset: series.leo.finish() }));
  return { topic: samples[0]!.topic, partition: samples[0]!.partition, replicas: replicaTimelines, leaders, isrSize: isr.finish() };
}

/** Keeps at most one point per step (the step's last value) and drops points that repeat the previous value. */
class SeriesBuilder {
  private readonly points: Array<readonly [number, number]> = [];
  private pendingMs = -1;
  private pendingValue = 0;

  constructor(private readonly stepMs: number) {}

  add(timeMs: number, value: number): void {
    if (this.pendingMs >= 0 && Math.floor(timeMs / this.stepMs) !== Math.floor(this.pendingMs / this.stepMs)) this.flush();
    this.pendingMs = timeMs;
    this.pendingValue = value;
  }

  finish(): Series {
    if (this.pendingMs >= 0) this.flush();
    return this.points;
  }

  private flush(): void {
    const last = this.points[this.points.length - 1];
    if (last === undefined || last[1] !== this.pendingValue) this.points.push([Math.round(this.pendingMs), this.pendingValue]);
    this.pendingMs = -1;
  }
}

function perSecondSeries(history: History): Pick<Timeline, 'ackedPerSec' | 'produceLatencyMsP99' | 'consumerLag'> {
  const seconds = Math.ceil(history.endMs / SECOND_MS) + 1;
  const acked = new Array<number>(seconds).fill(0);
  const latencies: number[][] = Array.from({ length: seconds }, () => []);
  // Lag: per partition, the highest acked offset minus the highest offset the first consumer polled.
  const ackedEnd = new Map<number, number>();
  const polledEnd = new Map<number, number>();
  const lag = new Array<number>(seconds).fill(0);
  const events: Array<{ timeMs: number; apply: () => void }> = [];
  let firstConsumer: string | undefined;
  for (const op of history.ops) {
    if (op.type === 'send') {
      const send = op as SendOp;
      if (send.outcome?.status !== 'acked' || send.completeMs === null) continue;
      const second = Math.floor(send.completeMs / SECOND_MS);
      acked[second]!++;
      latencies[second]!.push(send.completeMs - send.invokeMs);
      const offset = send.outcome.offset;
      if (offset >= 0) events.push({ timeMs: send.completeMs, apply: () => ackedEnd.set(send.partition, Math.max(ackedEnd.get(send.partition) ?? 0, offset + 1)) });
    } else if (op.type === 'poll' && op.records.length > 0) {
      firstConsumer ??= op.consumer;
      if (op.consumer !== firstConsumer) continue;
      const end = op.records[op.records.length - 1]!.offset + 1;
      events.push({ timeMs: op.completeMs, apply: () => polledEnd.set(op.partition, Math.max(polledEnd.get(op.partition) ?? 0, end)) });
    }
  }
  events.sort((a, b) => a.timeMs - b.timeMs);
  let next = 0;
  for (let second = 0; second < seconds; second++) {
    while (next < events.length && events[next]!.timeMs < (second + 1) * SECOND_MS) events[next++]!.apply();
    let total = 0;
    for (const [partition, end] of ackedEnd) total += Math.max(0, end - (polledEnd.get(partition) ?? 0));
    lag[second] = total;
  }
  const ackedPerSec: Array<readonly [number, number]> = [];
  const produceLatencyMsP99: Array<readonly [number, number]> = [];
  const consumerLag: Array<readonly [number, number]> = [];
  for (let second = 0; second < seconds; second++) {
    const timeMs = second * SECOND_MS;
    ackedPerSec.push([timeMs, acked[second]!]);
    consumerLag.push([timeMs, lag[second]!]);
    const list = latencies[second]!;
    if (list.length === 0) continue;
    list.sort((a, b) => a - b);
    produceLatencyMsP99.push([timeMs, roundMs(list[Math.min(list.length - 1, Math.floor(0.99 * list.length))]!)]);
  }
  return { ackedPerSec, produceLatencyMsP99, consumerLag };
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

// Hand-made results for the report tests: a small run with faults, a story step, a lost write with its
// witnesses and timeline series; a generator for bigger runs (timing); a swarm with failing seeds.

import type { Anomaly } from '../../sim/checkers/anomaly.ts';
import type { FaultInterval, PartitionTimeline, RunResult, Series, SwarmResult, SwarmSeed } from '../../sim/result.ts';

export const TEACHING = `When the leader of orders-0 dies with acks=1, what it acknowledged but had not yet replicated is gone.

Look for the <b>red</b> marker & the "lost" record: it was acknowledged, then truncated.

- the crash at 5 s
- the new leader in epoch \`2\``;

export const LOST_MESSAGE = 'value p1-42 was acknowledged at offset 17 of orders-0 but the final log of broker-2 holds p1-51 there';
export const SKIP_MESSAGE = 'consumer-1 read orders-1 offset 9 after offset 6, skipping 7 and 8 <which hold records>';

const BROKERS = ['broker-1', 'broker-2', 'broker-3'];

/** A run of `seconds` simulated seconds: broker-1 leads until it crashes at 5 s, then broker-2 leads. */
function partitionTimeline(partition: number, seconds: number, stepMs: number): PartitionTimeline {
  const endMs = seconds * 1000;
  const crashFromMs = 5_000;
  const crashToMs = 15_000;
  const replicas = BROKERS.map((broker, b) => {
    const leo: Array<[number, number]> = [];
    const hw: Array<[number, number]> = [];
    for (let t = 0; t <= endMs; t += stepMs) {
      if (broker === 'broker-1' && t >= crashFromMs && t < crashToMs) continue; // crashed: no samples
      const rate = 20 + partition * 3;
      const written = Math.floor((t / 1000) * rate);
      const lag = b === 0 ? 0 : (t + b * 37) % 5;
      const behind = broker === 'broker-1' && t >= crashToMs && t < crashToMs + 3_000 ? Math.floor((crashToMs + 3_000 - t) / 100) : 0;
      leo.push([t, Math.max(0, written - lag - behind)]);
      hw.push([t, Math.max(0, written - 5 - behind)]);
    }
    return { broker, highWatermark: hw, logEndOffset: leo };
  });
  const isr: Array<[number, number]> = [];
  for (let t = 0; t <= endMs; t += 1000) isr.push([t, t >= crashFromMs + 2_000 && t < crashToMs + 3_000 ? 2 : 3]);
  return {
    topic: 'orders',
    partition,
    replicas,
    leaders: [
      { timeMs: 1_000, broker: 'broker-1', epoch: 1 },
      { timeMs: 5_400, broker: 'broker-2', epoch: 2 },
    ],
    isrSize: isr,
  };
}

function perSecond(seconds: number, f: (s: number) => number, skip: (s: number) => boolean = () => false): Series {
  const out: Array<[number, number]> = [];
  for (let s = 1; s <= seconds; s++) if (!skip(s)) out.push([s * 1000, f(s)]);
  return out;
}

const LOST_WRITE: Anomaly = {
  kind: 'lost-write',
  message: LOST_MESSAGE,
  topic: 'orders',
  partition: 0,
  timeMs: 4_930,
  values: ['p1-42'],
  offsets: [17],
  opIds: [311],
  records: [
    { offset: 17, value: 'p1-42', leaderEpoch: -1, from: 'ack', opId: 311, broker: null, timeMs: 4_930 },
    { offset: 17, value: 'p1-42', leaderEpoch: 1, from: 'poll', opId: 318, broker: null, timeMs: 4_960 },
    { offset: 17, value: 'p1-51', leaderEpoch: 2, from: 'final', opId: null, broker: 'broker-2', timeMs: 29_000 },
  ],
  samples: [
    { timeMs: 4_900, broker: 'broker-1', incarnation: 0, topic: 'orders', partition: 0, highWatermark: 15, logEndOffset: 18, leaderEpoch: 1, isLeader: true, isr: ['broker-1'] },
  ],
  events: [{ type: 'fault-start', faultId: 1, timeMs: 5_000, fault: 'crash', targets: ['broker-1'], detail: 'kill -9' }],
  detail: { acknowledged: true, timesPolled: 1, reference: 'broker-2', finalHighWatermark: 140, finalLogStartOffset: 0, replacedBy: 'p1-51' },
};

const POLL_SKIP: Anomaly = {
  kind: 'poll-skip',
  message: SKIP_MESSAGE,
  topic: 'orders',
  partition: 1,
  timeMs: 16_200,
  values: [],
  offsets: [7, 8],
  opIds: [500, 507],
  records: [],
  samples: [],
  events: [],
  detail: { consumer: 'consumer-1', skipped: 2 },
};

export const FAULTS: FaultInterval[] = [
  { kind: 'crash', target: 'leader:orders-0', nodes: ['broker-1'], startMs: 5_000, endMs: 15_000, detail: 'kill -9' },
  { kind: 'isolate', target: 'broker-3', nodes: ['broker-3'], startMs: 8_000, endMs: 12_000, detail: null },
  { kind: 'power-loss', target: 'broker-3', nodes: ['broker-3'], startMs: 10_000, endMs: 13_000, detail: 'page cache lost' },
];

export interface FixtureOptions {
  readonly partitions?: number;
  readonly seconds?: number;
  readonly stepMs?: number;
}

export function runResult(options: FixtureOptions = {}): RunResult {
  const partitions = options.partitions ?? 2;
  const seconds = options.seconds ?? 30;
  const stepMs = options.stepMs ?? 100;
  return {
    format: 1,
    scenario: 'leader-crash-under-acks-1',
    summary: 'the leader of orders-0 is killed under acks=1: acknowledged records are lost',
    teaching: TEACHING,
    source: 'leader-crash-under-acks-1',
    seed: 7,
    mode: 'scenario',
    set: { 'producer.acks': '1' },
    options: { brokers: 3, controllers: 3, 'topic.partitions': partitions, 'producer.acks': '1', 'unclean.leader.election.enable': false, 'producer.rate': 200 },
    traceHash: '9f1c2a7be04d3311',
    ok: true,
    why: 'shows lost-write, as expected',
    expected: { shows: ['lost-write'], mayShow: ['poll-skip'] },
    anomalies: [LOST_WRITE, POLL_SKIP],
    anomalyCounts: { 'lost-write': 3, 'poll-skip': 1 },
    notJudged: [],
    stats: {
      events: 123_456,
      simulatedMs: seconds * 1000,
      wallMs: 987,
      produced: { attempted: 5_000, acked: 4_870, failed: 20, indeterminate: 110 },
      consumed: 4_860,
      throughput: { recordsPerSec: 194.8, bytesPerSec: 19_480 },
      latencyMs: { produce: { p50: 1.25, p99: 38.5, p999: 410, max: 1_204.7 }, endToEnd: { p50: 3.1, p99: 52, p999: 600, max: 2_000 } },
    },
    faults: FAULTS,
    schedule: [
      { kind: 'crash', target: 'leader:orders-0', atMs: 4_000, durationMs: 10_000 },
      { kind: 'isolate', target: 'broker-3', atMs: 7_000, durationMs: 4_000 },
      { kind: 'power-loss', target: 'broker-3', atMs: 9_000, durationMs: 3_000 },
    ],
    steps: [{ label: 'kill the leader of orders-0', atMs: 4_000 }],
    phases: { readyAtMs: 1_000, healMs: 20_000, stopMs: seconds * 1000 - 5_000, endMs: seconds * 1000 },
    timeline: {
      stepMs,
      partitions: Array.from({ length: partitions }, (_, p) => partitionTimeline(p, seconds, stepMs)),
      ackedPerSec: perSecond(seconds, (s) => (s >= 5 && s < 7 ? 0 : 200 - (s % 3))),
      produceLatencyMsP99: perSecond(seconds, (s) => 5 + (s % 4), (s) => s >= 5 && s < 7),
      consumerLag: perSecond(seconds, (s) => (s >= 5 && s < 10 ? 400 - s * 10 : 3)),
    },
    reproduce: 'npm run scenario -- leader-crash-under-acks-1 --seed 7 --set producer.acks=1',
  };
}

function swarmSeed(seed: number): SwarmSeed {
  const failing = seed % 7 === 3;
  const lossy = seed % 4 === 0 || failing;
  return {
    seed,
    ok: !failing,
    traceHash: `hash-${seed}`,
    anomalies: lossy ? { 'lost-write': 1 + (seed % 3), ...(failing ? { divergence: 1 } : {}) } : {},
    why: failing ? 'found divergence, which this scenario does not expect' : 'ok',
    faults: 3 + (seed % 5),
    acked: 4_000 + ((seed * 137) % 900),
    events: 90_000 + seed,
    simulatedMs: 60_000 + ((seed * 53) % 20) * 1000,
    wallMs: 800,
  };
}

export function swarmResult(count = 40, from = 100): SwarmResult {
  const seeds = Array.from({ length: count }, (_, i) => swarmSeed(from + i));
  const failing = seeds.filter((s) => !s.ok).map((s) => ({
    seed: s.seed,
    why: s.why,
    anomalies: s.anomalies,
    messages: [`replicas broker-1 and broker-2 of orders-0 part at offset ${s.seed}`],
    reproduce: `npm run scenario -- unsafe-swarm --seed ${s.seed} --swarm`,
  }));
  const firstLoss = seeds.find((s) => (s.anomalies['lost-write'] ?? 0) > 0)!;
  return {
    format: 1,
    scenario: 'unsafe-swarm',
    summary: 'random broker faults under acks=1',
    source: 'unsafe-swarm',
    mode: 'swarm',
    set: {},
    range: { from, count },
    shards: [],
    workers: 2,
    seedsRun: count,
    wallSeconds: 12.5,
    seedsPerSec: count / 12.5,
    ok: false,
    why: `${failing.length} seeds found divergence, which this scenario does not expect`,
    expected: { mayShow: ['lost-write'], find: ['lost-write'] },
    failing,
    firstByKind: {
      'lost-write': { seed: firstLoss.seed, why: 'ok', anomalies: firstLoss.anomalies, messages: ['value p1-3 was lost'], reproduce: `npm run scenario -- unsafe-swarm --seed ${firstLoss.seed} --swarm` },
      divergence: failing[0]!,
    },
    seedsToFind: { 'lost-write': firstLoss.seed - from + 1, divergence: failing[0]!.seed - from + 1 },
    totals: { events: 1_000_000, simulatedMs: seeds.reduce((a, s) => a + s.simulatedMs, 0), acked: seeds.reduce((a, s) => a + s.acked, 0), faults: 150 },
    seeds,
  };
}

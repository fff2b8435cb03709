import { defineScenario } from '../sim/scenario.ts';

export default defineScenario({
  name: 'controller-fail-over',
  summary: 'the active KRaft controller is killed, paused and cut off, again and again: the cluster carries on',
  teaching: `The metadata of the cluster lives in a Raft log kept by three controllers. One of them is active (the
Raft leader): it registers brokers, fences the ones whose heartbeats stop, elects partition leaders and applies
ISR changes. Here the nemesis aims at whichever controller is active at that moment: kill -9, power loss,
a long pause, isolation. The other two hold a majority and elect a new active controller within a few election
timeouts; brokers find it and go on heartbeating. Producers keep writing throughout: the data path does not go
through the controllers. Look at the fault lanes of the controllers and at the produce throughput, which barely
notices; and at the end, liveness holds.`,
  cluster: { brokers: 3, controllers: 3 },
  topic: { name: 'orders', partitions: 6, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producer: { acks: 'all', 'enable.idempotence': true },
  },
  workload: { producers: [{ ratePerSec: 100, count: 2 }], consumers: 1 },
  faults: {
    timeline: [
      { kind: 'crash', target: 'active-controller', atMs: 5_000, durationMs: 8_000 },
      { kind: 'pause', target: 'active-controller', atMs: 18_000, durationMs: 6_000 },
      { kind: 'isolate', target: 'active-controller', atMs: 28_000, durationMs: 6_000 },
      { kind: 'power-loss', target: 'active-controller', atMs: 38_000, durationMs: 6_000 },
    ],
  },
  phases: { faultsMs: 45_000, livenessMs: 30_000, quiesceMs: 10_000 },
  expect: 'no-anomalies',
  swarm: {
    faults: { mix: { crash: 1, 'power-loss': 1, pause: 1, isolate: 1 }, targets: 'controllers', aimAtLeaders: true, meanGapMs: 3_000, durationMs: [1_000, 12_000] },
    expect: 'no-anomalies',
  },
});

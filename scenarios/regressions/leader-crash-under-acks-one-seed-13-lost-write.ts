// Shrunk by `npm run shrink` from leader-crash-under-acks-one seed 13 (swarm mode):
// 4 faults -> 2, in 27 runs.

import { defineScenario } from '../../sim/scenario.ts';

export default defineScenario({
  name: 'leader-crash-under-acks-one-seed-13-lost-write',
  summary: 'lost-write in leader-crash-under-acks-one, seed 13, shrunk to 2 faults',
  teaching: `A minimal reproduction, written by npm run shrink: seed 13 of leader-crash-under-acks-one showed lost-write; its fault
schedule and workload were cut down (delta debugging) while lost-write still appeared. The faults are a fixed
timeline, so this file reproduces the failure without drawing a random schedule. What the configuration is and
what to look for: the original scenario's teaching text (npm run scenario -- leader-crash-under-acks-one).`,
  cluster: { brokers: 3, controllers: 3 },
  hardware: 'lan-nvme',
  topic: { name: 'orders', partitions: 1, replicationFactor: 3 },
  config: {
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
  },
  workload: {
    producers: [
      {
        ratePerSec: 6,
        config: { acks: 1, 'enable.idempotence': false },
      },
    ],
    consumers: 0,
  },
  faults: {
    timeline: [
      { kind: 'partition-one-way-in', target: 'broker-1', atMs: 2586, durationMs: 7533 },
      { kind: 'partition-one-way-in', target: 'leader:orders-0', atMs: 14547, durationMs: 5453 },
    ],
  },
  phases: { faultsMs: 20000, livenessMs: 7500, quiesceMs: 5000 },
  expect: {
    shows: ['lost-write'],
    mayShow: ['unavailable'],
  },
  defaultSeed: 13,
});

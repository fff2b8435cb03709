// The safe configuration while the KRaft controllers fail: crashes, power losses and isolations of one
// controller at a time (the active one included, whenever the draw hits it), with brokers healthy. The
// quorum of 3 keeps a majority through each fault; producers must see no anomaly, and the cluster must
// make progress after the heal.

import type { ClusterRunSpec } from '../sim/cluster-run.ts';
import { spec as brokerFaults } from './safe-random-broker-faults.ts';

export const spec: ClusterRunSpec = {
  ...brokerFaults,
  faults: {
    random: {
      kinds: ['crash', 'power-loss', 'isolate'],
      targets: 'controllers',
      meanGapMs: 3_000,
      minDurationMs: 1_000,
      maxDurationMs: 12_000,
      oneAtATime: true,
    },
  },
};

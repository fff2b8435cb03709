// The cluster specs that `npm run soak` knows by name. (The scenarios issue turns this into the catalogue.)

import type { ClusterRunSpec } from '../sim/cluster-run.ts';
import { spec as safeRandomBrokerFaults } from './safe-random-broker-faults.ts';
import { spec as safeRandomControllerFaults } from './safe-random-controller-faults.ts';
import { spec as steadyLoad } from './steady-load.ts';

export const SPECS: Readonly<Record<string, ClusterRunSpec>> = {
  'safe-random-broker-faults': safeRandomBrokerFaults,
  'safe-random-controller-faults': safeRandomControllerFaults,
  'steady-load': steadyLoad,
};

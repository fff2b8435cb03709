// The catalogue: every scenario by name, in teaching order. Static imports on purpose: worker threads load
// this module through piscina, where a dynamic import of a .ts file does not reach tsx's loader.

import type { Scenario } from '../sim/scenario.ts';
import controllerFailOver from './controller-fail-over.ts';
import leaderCrashUnderAcksAll from './leader-crash-under-acks-all.ts';
import leaderCrashUnderAcksOne from './leader-crash-under-acks-one.ts';
import networkPartitionIsolatesTheLeader from './network-partition-isolates-the-leader.ts';
import randomFaultsSafeConfiguration from './random-faults-safe-configuration.ts';
import rollingRestartUnderLoad from './rolling-restart-under-load.ts';
import slowDiskOnTheLeader from './slow-disk-on-the-leader.ts';
import slowFollowerShrinksAndExpandsTheIsr from './slow-follower-shrinks-and-expands-the-isr.ts';
import steadyLoadWithNoFaults from './steady-load-with-no-faults.ts';
import uncleanLeaderElectionLosesData from './unclean-leader-election-loses-data.ts';

export const CATALOGUE: readonly Scenario[] = [
  steadyLoadWithNoFaults,
  leaderCrashUnderAcksAll,
  leaderCrashUnderAcksOne,
  slowFollowerShrinksAndExpandsTheIsr,
  networkPartitionIsolatesTheLeader,
  uncleanLeaderElectionLosesData,
  rollingRestartUnderLoad,
  controllerFailOver,
  slowDiskOnTheLeader,
  randomFaultsSafeConfiguration,
];

export function catalogueScenario(name: string): Scenario | undefined {
  return CATALOGUE.find((scenario) => scenario.name === name);
}

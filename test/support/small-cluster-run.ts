// A short safe cluster run with random broker faults, small enough for npm test.
import type { ClusterRunSpec } from '../../sim/cluster-run.ts';
import { spec } from '../../scenarios/safe-random-broker-faults.ts';

export const SMALL_SAFE_RUN: ClusterRunSpec = { ...spec, faultsUntilMs: 15_000, livenessMs: 15_000, quiesceMs: 8_000 };

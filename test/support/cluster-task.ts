// A piscina task: one seed of a named cluster spec, returning its trace hash (worker-thread determinism test).
import { runCluster } from '../../sim/cluster-run.ts';
import { SMALL_SAFE_RUN } from './small-cluster-run.ts';

export default function clusterTask({ seed }: { seed: number }): string {
  return runCluster(SMALL_SAFE_RUN, seed).traceHash;
}

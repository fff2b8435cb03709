// The catalogue: every scenario by name, in teaching order. Static imports on purpose: worker threads load
// this module through piscina, where a dynamic import of a .ts file does not reach tsx's loader.

import type { Scenario } from '../sim/scenario.ts';
import controllerFailOver from './controller-fail-over.ts';
import correlatedPowerLossWithFlushOnEveryWrite from './correlated-power-loss-with-flush-on-every-write.ts';
import correlatedPowerLossWithoutFsync from './correlated-power-loss-without-fsync.ts';
import idempotentProducerRetriesUnderDroppedResponses from './idempotent-producer-retries-under-dropped-responses.ts';
import kip101DivergenceUnderHighWatermarkTruncation from './kip-101-divergence-under-high-watermark-truncation.ts';
import kip101LostWriteUnderHighWatermarkTruncation from './kip-101-lost-write-under-high-watermark-truncation.ts';
import kip101SequencesWithLeaderEpochs from './kip-101-sequences-with-leader-epochs.ts';
import leaderCrashUnderAcksAll from './leader-crash-under-acks-all.ts';
import leaderCrashUnderAcksOne from './leader-crash-under-acks-one.ts';
import networkPartitionIsolatesTheLeader from './network-partition-isolates-the-leader.ts';
import randomFaultsSafeConfiguration from './random-faults-safe-configuration.ts';
import retentionDeletesOldSegmentsWhileConsumersRead from './retention-deletes-old-segments-while-consumers-read.ts';
import retriesWithoutIdempotenceDuplicateRecords from './retries-without-idempotence-duplicate-records.ts';
import rollingRestartUnderLoad from './rolling-restart-under-load.ts';
import silentCorruptionOutsideTheCrc from './silent-corruption-outside-the-crc.ts';
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
  kip101LostWriteUnderHighWatermarkTruncation,
  kip101DivergenceUnderHighWatermarkTruncation,
  kip101SequencesWithLeaderEpochs,
  correlatedPowerLossWithoutFsync,
  correlatedPowerLossWithFlushOnEveryWrite,
  rollingRestartUnderLoad,
  controllerFailOver,
  slowDiskOnTheLeader,
  retentionDeletesOldSegmentsWhileConsumersRead,
  idempotentProducerRetriesUnderDroppedResponses,
  retriesWithoutIdempotenceDuplicateRecords,
  silentCorruptionOutsideTheCrc,
  randomFaultsSafeConfiguration,
];

export function catalogueScenario(name: string): Scenario | undefined {
  return CATALOGUE.find((scenario) => scenario.name === name);
}

// The Raft module's public surface, for the controller and for brokers following the metadata log.

export { KafkaRaftClient } from './kafka-raft-client.ts';
export { NotLeaderError } from './raft-client.ts';
export type { CommittedBatch, LeaderAndEpoch, RaftClient, RaftListener, ReplicaId } from './raft-client.ts';
export type { RaftRole } from './epoch-state.ts';
export { parseRaftConfig, RAFT_CONFIG_KEYS, DEFAULT_METADATA_LOG_DIR } from './raft-config.ts';
export type { RaftConfig, RaftConfigInput, RaftConfigKey } from './raft-config.ts';
export { parseQuorumVoters, VoterSet } from './quorum-voters.ts';
export type { VoterAddress } from './quorum-voters.ts';
export { isRaftMessage, METADATA_TOPIC, METADATA_PARTITION } from './messages.ts';
export type { RaftMessage } from './messages.ts';
export { jsonSerde } from './record-serde.ts';
export type { RecordSerde } from './record-serde.ts';
export { QuorumStateFileError, RaftConfigError } from './raft-errors.ts';
export { InvariantViolation } from '../invariants.ts';

// `quorum-state`: the election state a voter must not forget, in Kafka's JSON format (data_version 0).
//
//   {"clusterId":"","leaderId":1,"leaderEpoch":3,"votedId":-1,"appliedOffset":0,
//    "currentVoters":[{"voterId":1},{"voterId":2},{"voterId":3}],"data_version":0}
//
// It lives beside the log in `<metadata.log.dir>/__cluster_metadata-0/`. A write goes through
// `quorum-state.tmp`, fsynced and renamed into place (the log's CheckpointWriter), so a crash leaves the old
// or the new state, never a torn file. whenDurable(done) runs `done` once every change so far is on durable
// storage: a vote is answered, and a candidacy starts, only from there.

import type { Disk, DiskError } from '../runtime.ts';
import { CheckpointWriter, readCheckpointText } from '../log/checkpoint-file.ts';
import { joinPath, TEMP_FILE_SUFFIX } from '../log/file-names.ts';
import { QuorumStateFileError } from './raft-errors.ts';
import type { ReplicaId } from './raft-client.ts';

export const QUORUM_STATE_FILE = 'quorum-state';
const DATA_VERSION = 0;

/** What quorum-state holds: the epoch, its leader if known, and this replica's vote in it (-1 for none). */
export interface ElectionState {
  readonly epoch: number;
  readonly leaderId: ReplicaId;
  readonly votedId: ReplicaId;
}

export const NO_ELECTION: ElectionState = { epoch: 0, leaderId: -1, votedId: -1 };

export class QuorumStateFile {
  readonly path: string;
  private current: ElectionState = NO_ELECTION;
  private readonly writer: CheckpointWriter;

  constructor(
    private readonly disk: Disk,
    dir: string,
    private readonly voterIds: readonly ReplicaId[],
    onError: (error: DiskError) => void,
  ) {
    this.path = joinPath(dir, QUORUM_STATE_FILE);
    this.writer = new CheckpointWriter(disk, this.path, () => this.render(), onError);
  }

  /** The stored state, or undefined when there is no file yet. A leftover `.tmp` (a write cut short) goes. */
  read(): ElectionState | undefined {
    const temp = this.path + TEMP_FILE_SUFFIX;
    if (this.disk.exists(temp)) this.disk.delete(temp);
    const text = readCheckpointText(this.disk, this.path);
    if (text === undefined) return undefined;
    const state = parseQuorumState(text, this.path);
    this.current = state;
    return state;
  }

  /** Records `state` (a no-op if unchanged) and starts writing it. */
  write(state: ElectionState): void {
    const current = this.current;
    if (current.epoch === state.epoch && current.leaderId === state.leaderId && current.votedId === state.votedId) return;
    this.current = { epoch: state.epoch, leaderId: state.leaderId, votedId: state.votedId };
    this.writer.markChanged();
  }

  whenDurable(done: (error?: DiskError) => void): void {
    this.writer.whenDurable(done);
  }

  private render(): string {
    const state = this.current;
    return JSON.stringify({
      clusterId: '',
      leaderId: state.leaderId,
      leaderEpoch: state.epoch,
      votedId: state.votedId,
      appliedOffset: 0,
      currentVoters: this.voterIds.map((voterId) => ({ voterId })),
      data_version: DATA_VERSION,
    });
  }
}

/** Parses quorum-state JSON; a QuorumStateFileError says what is wrong. */
export function parseQuorumState(text: string, path: string): ElectionState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new QuorumStateFileError(path, `not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null) throw new QuorumStateFileError(path, 'not a JSON object');
  const record = json as Record<string, unknown>;
  const field = (name: string, min: number): number => {
    const value = record[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new QuorumStateFileError(path, `field ${name} is ${JSON.stringify(value)}, expected an integer >= ${min}`);
    }
    return value;
  };
  if (record.data_version !== DATA_VERSION) throw new QuorumStateFileError(path, `data_version ${JSON.stringify(record.data_version)} is not ${DATA_VERSION}`);
  return { epoch: field('leaderEpoch', 0), leaderId: field('leaderId', -1), votedId: field('votedId', -1) };
}

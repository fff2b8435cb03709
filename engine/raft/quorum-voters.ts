// `controller.quorum.voters`: the static voter set of the metadata quorum, Kafka's `id@host:port` list.
//
//   1@controller-1:9093,2@controller-2:9093,3@controller-3:9093
//
// In the simulator, `host` is the voter's node name; the port is kept for the later TCP runtime.

import type { NodeId } from '../runtime.ts';
import { RaftConfigError } from './raft-errors.ts';
import type { ReplicaId } from './raft-client.ts';
import { invariantWith } from '../invariants.ts';

export const QUORUM_VOTERS_KEY = 'controller.quorum.voters';

export interface VoterAddress {
  readonly id: ReplicaId;
  readonly host: NodeId;
  readonly port: number;
}

/** The voters, in the order the setting lists them; lookups by replica id and by node name. */
export class VoterSet {
  private readonly byId = new Map<ReplicaId, VoterAddress>();
  private readonly byHost = new Map<NodeId, VoterAddress>();

  constructor(readonly voters: readonly VoterAddress[]) {
    for (const voter of voters) {
      this.byId.set(voter.id, voter);
      this.byHost.set(voter.host, voter);
    }
  }

  get size(): number {
    return this.voters.length;
  }

  /** Votes (or fetched replicas) needed for a majority, the leader included. */
  get majority(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  ids(): ReplicaId[] {
    return this.voters.map((voter) => voter.id);
  }

  has(id: ReplicaId): boolean {
    return this.byId.has(id);
  }

  /** The node name of voter `id`; throws for a non-voter (a caller bug). */
  nodeOf(id: ReplicaId): NodeId {
    const voter = this.byId.get(id);
    invariantWith(voter !== undefined, 'raft-state-transition', `raft-replica-${id}`, () => `not a voter of ${this.toString()}`);
    return voter.host;
  }

  /** The voter id hosted on node `host`, or undefined. */
  idOfNode(host: NodeId): ReplicaId | undefined {
    return this.byHost.get(host)?.id;
  }

  toString(): string {
    return this.voters.map((voter) => `${voter.id}@${voter.host}:${voter.port}`).join(',');
  }
}

const ENTRY = /^(\d+)@([^@:\s,]+):(\d+)$/;

/** Parses Kafka's `id@host:port,...` voter list; a RaftConfigError names the faulty entry. */
export function parseQuorumVoters(text: string): VoterSet {
  const allowed = 'a comma-separated list of id@host:port with distinct non-negative ids and hosts, '
    + 'e.g. 1@controller-1:9093,2@controller-2:9093,3@controller-3:9093';
  if (typeof text !== 'string' || text.trim() === '') throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed} (got an empty list)`);
  const voters: VoterAddress[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const match = ENTRY.exec(entry);
    if (match === null) throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed}; entry ${JSON.stringify(entry)} is not id@host:port`);
    const id = Number(match[1]);
    const port = Number(match[3]);
    if (!Number.isSafeInteger(id) || id > 2147483647) throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed}; id ${match[1]} is not an int`);
    if (port < 1 || port > 65535) throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed}; port ${port} of entry ${JSON.stringify(entry)} is not in [1, 65535]`);
    if (voters.some((voter) => voter.id === id)) throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed}; voter id ${id} appears twice`);
    if (voters.some((voter) => voter.host === match[2])) throw new RaftConfigError(QUORUM_VOTERS_KEY, text, `${allowed}; host ${match[2]} appears twice`);
    voters.push({ id, host: match[2], port });
  }
  return new VoterSet(voters);
}

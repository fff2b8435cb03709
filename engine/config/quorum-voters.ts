// controller.quorum.voters entries (`1@controller-1:9093`) as the controller quorum needs them.

export interface QuorumVoter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

const ENTRY = /^(\d+)@(\[[0-9A-Fa-f:.]+\]|[^\s:@[\]]+):(\d{1,5})$/;

/** Parses id@host:port entries; throws a RangeError naming the entry that is malformed. */
export function parseQuorumVoters(entries: readonly string[]): QuorumVoter[] {
  return entries.map((entry) => {
    const match = ENTRY.exec(entry);
    if (!match) throw new RangeError(`controller.quorum.voters entry ${JSON.stringify(entry)} is not id@host:port`);
    const port = Number(match[3]);
    if (port > 65_535) throw new RangeError(`controller.quorum.voters entry ${JSON.stringify(entry)} has port ${port} > 65535`);
    const host = match[2]!.startsWith('[') ? match[2]!.slice(1, -1) : match[2]!;
    return { id: Number(match[1]), host, port };
  });
}

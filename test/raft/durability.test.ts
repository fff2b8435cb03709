import test from 'ava';
import { DISK_PROFILES } from '../../sim/disk.ts';
import { RaftCluster, commitMarkerEverywhere } from './raft-cluster.ts';
import { runNemesis } from './raft-nemesis.ts';

// RAFT_SEEDS=2000 npx ava test/raft/durability.test.ts runs a longer sweep.
const SEEDS = Number(process.env.RAFT_SEEDS ?? 200);

test(`committed records are never lost across random crashes, power losses, outages and partitions (${SEEDS} seeds)`, (t) => {
  let faults = 0;
  let committed = 0;
  let elections = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    // A slow disk (12 ms fsync) leaves wide windows between a write and its durability; a fast one, narrow.
    const disk = seed % 2 === 0 ? DISK_PROFILES['hdd-7200'] : DISK_PROFILES['nvme-ssd'];
    // The cluster throws at once on two leaders in an epoch or two records at one offset.
    const cluster = new RaftCluster({ seed, voters: 3, observers: 1, disk });
    cluster.runUntilLeader(5_000);
    const report = runNemesis(cluster, {
      durationMs: 15_000,
      faults: ['crash', 'power-loss', 'power-outage', 'partition', 'isolate'],
      faultsPerSecond: 1,
      appendEveryMs: 50,
    });
    t.true(commitMarkerEverywhere(cluster, 30_000), `seed ${seed}: the healed cluster did not commit again within 30 s`);
    // Every record any listener ever saw committed is, at the same offset, in every replica's final log.
    for (const node of cluster.nodes) {
      const final = new Map(cluster.committedOn(node).map((record) => [record.offset, record.n]));
      for (const [offset, n] of cluster.committed) {
        if (final.get(offset) !== n) t.fail(`seed ${seed}: ${node} lost record ${n} committed at offset ${offset} (has ${final.get(offset)})`);
      }
    }
    faults += report.faults;
    committed += cluster.committed.size;
    elections += cluster.leaders.size;
  }
  t.true(committed > SEEDS * 100, `only ${committed} records committed`);
  t.log(`${SEEDS} seeds: ${faults} faults, ${elections} elections, ${committed} committed records checked on every replica`);
});

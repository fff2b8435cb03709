// log.append: a leader appending pre-encoded ~117 KB batches (1000 records, 10-byte keys, 100-byte values)
// to a partition log on a simulated NVMe disk. Each append checks the batch's CRC, stamps offsets and leader
// epoch in place, writes it to the active segment's page cache in one write and adds index entries.
//
// One operation is a segment's worth of appends (36 batches, ~4.2 MB, segments of 4 MiB), so that every
// operation also pays what an append pays now and then: a roll with its background fsync, the page cache
// growing, retention deleting the oldest segment (16 MiB are kept, so memory stays bounded). tinybench reports
// medians; with one append per operation the median would hide those costs (it reads ~3x higher).

import { encodeBatch } from '../engine/records/batch.ts';
import { parseLogConfig } from '../engine/log/log-config.ts';
import { Log } from '../engine/log/log.ts';
import { SimDisk } from '../sim/disk.ts';
import { RandomStreams } from '../sim/random.ts';
import { Scheduler } from '../sim/scheduler.ts';
import type { BenchmarkSpec } from './spec.ts';

const RECORDS = 1000;
const BATCHES = 8;
const APPENDS_PER_OP = 36;

function makeBatch(seed: number): Uint8Array {
  return encodeBatch({
    timestamp: 1_700_000_000_000,
    records: Array.from({ length: RECORDS }, (_, i) => ({
      key: new TextEncoder().encode(`key-${String(seed * RECORDS + i).padStart(6, '0')}`), // 10 bytes
      value: new Uint8Array(100).fill((seed + i) & 0xff),
    })),
  });
}

const batches = Array.from({ length: BATCHES }, (_, i) => makeBatch(i));
const batchBytes = batches[0].length;

const scheduler = new Scheduler();
const disk = new SimDisk({ scheduler, random: new RandomStreams(1).stream('disk'), profile: 'nvme-ssd', name: 'bench' });
const log = Log.open(disk, '/kafka-logs/bench-0', parseLogConfig({
  'segment.bytes': 4 * 1024 * 1024,
  'retention.bytes': 16 * 1024 * 1024,
  'file.delete.delay.ms': 0,
}), 0, { cleanShutdown: false, recoveryPoint: 0 });

let appends = 0;
function appendSegmentWorth(): void {
  for (let i = 0; i < APPENDS_PER_OP; i++) {
    log.append(batches[appends % BATCHES], { assignOffsets: true, leaderEpoch: 0, nowMs: 0 });
    appends++;
  }
  scheduler.run(); // the roll's fsyncs and the epoch checkpoint complete
  log.deleteOldSegments(0);
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'log.append',
    unit: 'MB/s',
    workPerOp: (APPENDS_PER_OP * batchBytes) / 1e6,
    description: `leader appends of pre-encoded ${Math.round(batchBytes / 1024)} KiB batches (${RECORDS} records, 10 B keys, 100 B values) to a log on a simulated NVMe disk; an operation is ${APPENDS_PER_OP} appends, a roll and retention`,
    fn: appendSegmentWorth,
  },
];

import test from 'ava';
import { DiskError } from '../../engine/runtime.ts';
import { DiskPathError, SimDisk } from '../../sim/disk.ts';
import type { DiskProfileName, SimDiskOptions } from '../../sim/disk.ts';
import { RandomStreams } from '../../sim/random.ts';
import { Scheduler } from '../../sim/scheduler.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (data: Uint8Array | undefined): string | undefined => (data === undefined ? undefined : decoder.decode(data));

interface World {
  readonly scheduler: Scheduler;
  readonly disk: SimDisk;
}

function world(seed = 1, options: Partial<SimDiskOptions> = {}): World {
  const scheduler = new Scheduler();
  const disk = new SimDisk({ scheduler, random: new RandomStreams(seed).stream('disk'), name: 'test', ...options });
  return { scheduler, disk };
}

function readAll(disk: SimDisk, path: string): string {
  return decoder.decode(disk.read(path, 0, disk.size(path)));
}

function code(error: unknown): string | undefined {
  return error instanceof DiskError ? error.code : undefined;
}

/** fsync and run until its callback; returns the error it got and the latency. */
function fsyncNow(w: World, path: string): { error: DiskError | undefined; latencyMs: number } {
  const start = w.scheduler.now();
  let result: { error: DiskError | undefined; latencyMs: number } | undefined;
  w.disk.fsync(path, (error) => {
    result = { error, latencyMs: w.scheduler.now() - start };
  });
  while (result === undefined && w.scheduler.step());
  if (result === undefined) throw new Error(`fsync of ${path} never completed`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Files and directories

test('writes land in the page cache and reads see them at once', (t) => {
  const { disk } = world();
  disk.mkdirs('/logs/orders-0');
  disk.create('/logs/orders-0/a.log');
  t.is(disk.append('/logs/orders-0/a.log', bytes('hello ')), 0);
  t.is(disk.append('/logs/orders-0/a.log', bytes('world')), 6);
  disk.write('/logs/orders-0/a.log', 0, bytes('J'));
  t.is(readAll(disk, '/logs/orders-0/a.log'), 'Jello world');
  t.is(text(disk.read('/logs/orders-0/a.log', 6, 100)), 'world');
  t.is(disk.read('/logs/orders-0/a.log', 50, 10).length, 0);
  disk.truncate('/logs/orders-0/a.log', 5);
  t.is(readAll(disk, '/logs/orders-0/a.log'), 'Jello');
  disk.truncate('/logs/orders-0/a.log', 7);
  t.deepEqual([...disk.read('/logs/orders-0/a.log', 5, 2)], [0, 0]);
  t.is(disk.size('/logs/orders-0/a.log'), 7);
  t.is(disk.usedBytes(), 7);
});

test('a read is a view of the page cache that keeps what it read whatever the file does next', (t) => {
  const { disk } = world();
  disk.create('/f');
  disk.append('/f', bytes('abcdef'));
  const read = disk.read('/f', 0, 6);
  t.is(disk.read('/f', 2, 3).buffer, read.buffer, 'two reads of one chunk share its memory: nothing was copied');
  const text = (view: Uint8Array): string => new TextDecoder().decode(view);
  disk.append('/f', bytes('ghi'));
  t.is(text(read), 'abcdef', 'an append past it leaves it alone');
  disk.truncate('/f', 2);
  disk.append('/f', bytes('XYZ'));
  t.is(text(read), 'abcdef', 'a truncation and a write over it leave it alone (the chunk is copied first)');
  t.is(readAll(disk, '/f'), 'abXYZ');
  disk.write('/f', 0, bytes('Q'));
  t.is(readAll(disk, '/f'), 'QbXYZ');
  t.is(text(read), 'abcdef');
});

test('a read that the disk corrupts is a flipped copy: the page cache keeps the bytes as stored', (t) => {
  const { disk } = world();
  disk.create('/f');
  disk.append('/f', bytes('abcdef'));
  const fault = disk.corruptReads(1);
  const corrupted = disk.read('/f', 0, 6);
  fault.clear();
  const clean = disk.read('/f', 0, 6);
  t.is(new TextDecoder().decode(clean), 'abcdef');
  let flippedBits = 0;
  for (let i = 0; i < 6; i++) for (let x = corrupted[i] ^ clean[i]; x !== 0; x &= x - 1) flippedBits++;
  t.is(flippedBits, 1);
});

test('a read across two 1 MiB chunks comes back whole', (t) => {
  const { disk } = world();
  disk.create('/big');
  const mib = 1 << 20;
  const block = new Uint8Array(mib + 100);
  for (let i = 0; i < block.length; i++) block[i] = i % 251;
  disk.append('/big', block);
  const read = disk.read('/big', mib - 50, 100);
  t.is(read.length, 100);
  for (let i = 0; i < 100; i++) t.is(read[i], (mib - 50 + i) % 251);
});

test('appends grow a file far beyond its first capacity without losing bytes', (t) => {
  const { disk } = world();
  disk.create('/big');
  const chunk = new Uint8Array(1000);
  for (let i = 0; i < 3000; i++) {
    chunk.fill(i % 251);
    t.is(disk.append('/big', chunk), i * 1000);
  }
  t.is(disk.size('/big'), 3_000_000);
  t.is(disk.read('/big', 2_999_999, 1)[0], 2999 % 251);
  t.is(disk.read('/big', 1_234_567, 1)[0], 1234 % 251);
});

test('directories list their entries sorted, and exists and isDirectory tell files from directories', (t) => {
  const { disk } = world();
  disk.mkdirs('/d/sub');
  disk.mkdirs('/d/sub'); // no error when it exists
  disk.create('/d/b');
  disk.create('/d/a');
  t.deepEqual(disk.list('/d'), ['a', 'b', 'sub']);
  t.deepEqual(disk.list('/'), ['d']);
  t.true(disk.exists('/d/a'));
  t.false(disk.exists('/d/c'));
  t.true(disk.isDirectory('/d/sub'));
  t.false(disk.isDirectory('/d/a'));
  t.false(disk.isDirectory('/nothing'));
});

test('operations fail with the errno a Linux process would see', (t) => {
  const { disk } = world();
  disk.mkdirs('/d');
  disk.create('/d/f');
  t.is(code(t.throws(() => disk.create('/d/f'))), 'EEXIST');
  t.is(code(t.throws(() => disk.create('/missing/f'))), 'ENOENT');
  t.is(code(t.throws(() => disk.create('/d/f/g'))), 'ENOTDIR');
  t.is(code(t.throws(() => disk.read('/d/none', 0, 1))), 'ENOENT');
  t.is(code(t.throws(() => disk.append('/d', bytes('x')))), 'EISDIR');
  t.is(code(t.throws(() => disk.size('/d'))), 'EISDIR');
  t.is(code(t.throws(() => disk.list('/d/f'))), 'ENOTDIR');
  t.is(code(t.throws(() => disk.list('/nope'))), 'ENOENT');
  t.is(code(t.throws(() => disk.delete('/d'))), 'ENOTEMPTY');
  t.is(code(t.throws(() => disk.delete('/d/none'))), 'ENOENT');
  t.is(code(t.throws(() => disk.mkdirs('/d/f'))), 'EEXIST');
  t.is(code(t.throws(() => disk.mkdirs('/d/f/g'))), 'ENOTDIR');
  t.is(code(t.throws(() => disk.fsync('/d/none', () => {}))), 'ENOENT');
  disk.mkdirs('/e');
  t.is(code(t.throws(() => disk.rename('/d/f', '/e'))), 'EISDIR');
  t.is(code(t.throws(() => disk.rename('/d/none', '/e/x'))), 'ENOENT');
  t.is(code(t.throws(() => disk.rename('/d/f', '/nope/x'))), 'ENOENT');
  t.throws(() => disk.write('/d/f', 5, bytes('x')), { instanceOf: DiskPathError });
  t.throws(() => disk.create('relative/path'), { instanceOf: DiskPathError });
  t.throws(() => disk.create('/d/../f'), { instanceOf: DiskPathError });
  t.throws(() => disk.rename('/d', '/d/inside'), { instanceOf: DiskPathError });
});

test('rename replaces the target atomically and moves directories with their contents', (t) => {
  const { disk } = world();
  disk.mkdirs('/p/orders-0');
  disk.create('/p/orders-0/x.log');
  disk.append('/p/orders-0/x.log', bytes('new'));
  disk.create('/p/orders-0/y.log');
  disk.append('/p/orders-0/y.log', bytes('old!'));
  disk.rename('/p/orders-0/x.log', '/p/orders-0/y.log');
  t.false(disk.exists('/p/orders-0/x.log'));
  t.is(readAll(disk, '/p/orders-0/y.log'), 'new');
  t.is(disk.usedBytes(), 3);
  disk.rename('/p/orders-0', '/p/orders-0.deleted');
  t.deepEqual(disk.list('/p'), ['orders-0.deleted']);
  t.is(readAll(disk, '/p/orders-0.deleted/y.log'), 'new');
  disk.delete('/p/orders-0.deleted/y.log');
  disk.delete('/p/orders-0.deleted');
  t.deepEqual(disk.list('/p'), []);
  t.is(disk.usedBytes(), 0);
});

// ---------------------------------------------------------------------------------------------------------
// Durability

test('a process crash keeps everything in the page cache', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('not synced'));
  w.disk.crashProcess();
  t.is(readAll(w.disk, '/f'), 'not synced');
  t.is(w.disk.dirtyBytes(), 10);
});

test('fsync callbacks issued before a process crash never run, but the data still becomes durable', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('abc'));
  let called = false;
  w.disk.fsync('/f', () => {
    called = true;
  });
  w.disk.crashProcess();
  w.scheduler.run();
  t.false(called);
  t.is(text(w.disk.durableContent('/f')), 'abc');
});

test('a power loss keeps fsynced data and loses whatever is not durable', (t) => {
  let lostSome = 0;
  for (let seed = 0; seed < 40; seed++) {
    const w = world(seed);
    w.disk.mkdirs('/d');
    w.disk.create('/d/f');
    w.disk.append('/d/f', bytes('synced;'));
    t.is(fsyncNow(w, '/d/f').error, undefined);
    w.disk.append('/d/f', bytes('unsynced'));
    w.disk.create('/d/never-committed');
    w.disk.powerLoss();
    const content = readAll(w.disk, '/d/f');
    t.true(content.startsWith('synced;'), content);
    t.true('synced;unsynced'.startsWith(content), content);
    if (content.length < 'synced;unsynced'.length) lostSome++;
    t.false(w.disk.exists('/d/never-committed'));
    t.is(w.disk.dirtyBytes(), 0);
  }
  t.true(lostSome > 10);
});

test('a torn tail is a prefix of the last unsynced write', (t) => {
  const lengths = new Set<number>();
  const last = 'LAST-WRITE-0123456789';
  for (let seed = 0; seed < 200; seed++) {
    const w = world(seed);
    w.disk.create('/f');
    w.disk.append('/f', bytes('durable|'));
    fsyncNow(w, '/f');
    w.disk.append('/f', bytes(last));
    w.disk.powerLoss();
    const content = readAll(w.disk, '/f');
    t.true(content.startsWith('durable|'));
    const tail = content.slice('durable|'.length);
    t.true(last.startsWith(tail), tail);
    lengths.add(tail.length);
  }
  t.true(lengths.has(0));
  t.true(lengths.has(last.length));
  t.true(lengths.size > 10, `only ${lengths.size} distinct tail lengths`);
});

test('a file with several unsynced appends keeps a prefix of them, torn at any byte', (t) => {
  const full = 'AAAA' + 'BBBBBBBB' + 'CCCCCCCCCCCC';
  const lengths = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    const w = world(seed);
    w.disk.create('/f');
    fsyncNow(w, '/f');
    for (const part of ['AAAA', 'BBBBBBBB', 'CCCCCCCCCCCC']) w.disk.append('/f', bytes(part));
    w.disk.powerLoss();
    const content = readAll(w.disk, '/f');
    t.true(full.startsWith(content), content);
    lengths.add(content.length);
  }
  t.true(lengths.size > 12);
});

test('overwrites of fsynced bytes revert to the durable bytes at a power loss when they did not survive', (t) => {
  const outcomes = new Set<string>();
  for (let seed = 0; seed < 100; seed++) {
    const w = world(seed);
    w.disk.create('/idx');
    w.disk.truncate('/idx', 10_000);
    w.disk.write('/idx', 5000, bytes('xyz'));
    fsyncNow(w, '/idx');
    w.disk.write('/idx', 5000, bytes('XY'));
    t.is(text(w.disk.durableContent('/idx')?.subarray(5000, 5003)), 'xyz');
    w.disk.powerLoss();
    t.is(w.disk.size('/idx'), 10_000);
    const seen = text(w.disk.read('/idx', 5000, 3)) as string;
    t.true(['xyz', 'Xyz', 'XYz'].includes(seen), seen);
    outcomes.add(seen);
  }
  t.deepEqual([...outcomes].sort(), ['XYz', 'Xyz', 'xyz']);
});

test('background writeback makes dirty data durable once it is 30 s old', (t) => {
  const w = world();
  w.disk.create('/f');
  fsyncNow(w, '/f');
  w.scheduler.runUntil(1000);
  w.disk.append('/f', bytes('lazy'));
  w.scheduler.runUntil(29_000);
  t.is(text(w.disk.durableContent('/f')), '');
  t.is(w.disk.dirtyBytes(), 4);
  w.scheduler.runUntil(36_000);
  t.is(text(w.disk.durableContent('/f')), 'lazy');
  t.is(w.disk.dirtyBytes(), 0);
  t.is(w.disk.stats().writebacks, 1);
  w.scheduler.run(); // nothing dirty: the flusher stops, the queue drains
  t.is(w.scheduler.pendingCount(), 0);
});

test('dirty data past the background threshold is written back without waiting 30 s', (t) => {
  const w = world(1, { writeback: { dirtyBackgroundBytes: 64 * 1024 } });
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(100 * 1024));
  w.scheduler.runUntil(100);
  t.is(w.disk.dirtyBytes(), 0);
  w.scheduler.runUntil(5_100); // the journal commit makes the file's entry durable
  t.is(w.disk.durableContent('/f')?.length, 100 * 1024);
});

test('writers are throttled to the device speed past the dirty limit', (t) => {
  const w = world(1, { profile: 'hdd-7200', writeback: { dirtyLimitBytes: 1024 * 1024 } });
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(512 * 1024));
  const cheap = w.disk.syncBusyUntilMs();
  w.disk.append('/f', new Uint8Array(1024 * 1024));
  const throttled = w.disk.syncBusyUntilMs() - cheap;
  t.true(cheap < 0.2, `${cheap}`);
  t.true(throttled > 5, `${throttled}`); // 1 MiB at 150 MB/s ~ 7 ms
});

test('an fsync completes later in simulated time, and takes longer with more dirty bytes', (t) => {
  const small = world();
  small.disk.create('/f');
  small.disk.append('/f', new Uint8Array(1024));
  let ran = false;
  small.disk.fsync('/f', () => {
    ran = true;
  });
  t.false(ran);
  const smallLatency = fsyncNow(small, '/f').latencyMs;
  t.true(ran);
  t.true(small.scheduler.now() > 0);

  const big = world();
  big.disk.create('/f');
  big.disk.append('/f', new Uint8Array(8 * 1024 * 1024));
  const bigLatency = fsyncNow(big, '/f').latencyMs;
  t.true(bigLatency > smallLatency + 3, `${bigLatency} vs ${smallLatency}`); // 8 MiB at 2 GB/s ~ 4.2 ms
});

test('a 1 MiB fsync takes longer on a slow profile than on a fast one', (t) => {
  const latencies = new Map<DiskProfileName, number>();
  for (const profile of ['nvme-ssd', 'sata-ssd', 'cloud-ebs-gp3', 'hdd-7200'] as const) {
    const w = world(1, { profile });
    w.disk.create('/f');
    w.disk.append('/f', new Uint8Array(1024 * 1024));
    latencies.set(profile, fsyncNow(w, '/f').latencyMs);
  }
  const nvme = latencies.get('nvme-ssd') as number;
  const sata = latencies.get('sata-ssd') as number;
  const ebs = latencies.get('cloud-ebs-gp3') as number;
  const hdd = latencies.get('hdd-7200') as number;
  t.true(nvme < sata && sata < ebs && ebs < hdd, JSON.stringify([...latencies]));
  t.true(nvme < 1 && hdd > 15);
});

test('fsyncs queue behind the work already issued to the device', (t) => {
  const w = world(1, { profile: 'sata-ssd' });
  w.disk.create('/a');
  w.disk.create('/b');
  w.disk.append('/a', new Uint8Array(4 * 1024 * 1024));
  w.disk.append('/b', new Uint8Array(10));
  const done: string[] = [];
  w.disk.fsync('/a', () => done.push(`a@${w.scheduler.now()}`));
  const busyAfterA = w.disk.busyUntilMs();
  w.disk.fsync('/b', () => done.push(`b@${w.scheduler.now()}`));
  t.true(busyAfterA > 9); // 4 MiB at 450 MB/s ~ 9.3 ms
  w.scheduler.run();
  t.is(done.length, 2);
  t.true(done[0].startsWith('a@') && done[1].startsWith('b@'));
  t.true(Number(done[1].slice(2)) >= busyAfterA + 1.5);
});

test('reads after a power loss miss the page cache and wait for the device', (t) => {
  const w = world(1, { profile: 'hdd-7200' });
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(64 * 1024));
  fsyncNow(w, '/f');
  const before = w.disk.syncBusyUntilMs();
  w.disk.read('/f', 0, 4096);
  t.true(w.disk.syncBusyUntilMs() - Math.max(before, w.scheduler.now()) < 0.01);
  w.disk.powerLoss();
  const now = w.scheduler.now();
  w.disk.read('/f', 0, 4096);
  t.true(w.disk.syncBusyUntilMs() - now >= 12);
  const afterMiss = w.disk.syncBusyUntilMs();
  w.disk.read('/f', 0, 4096); // cached now
  t.true(w.disk.syncBusyUntilMs() - afterMiss < 0.01);
  t.is(w.disk.stats().readMissBytes, 4096);
});

test('a created file and a rename survive a power loss only once the journal commits', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  w.disk.create('/d/a');
  w.disk.append('/d/a', bytes('A'));
  fsyncNow(w, '/d/a'); // commits the journal: /d and /d/a are durable
  w.disk.rename('/d/a', '/d/b');
  t.is(w.disk.pendingMetadataChanges(), 1);
  t.deepEqual(w.disk.durablePaths().sort(), ['/', '/d', '/d/a']);
  w.disk.powerLoss();
  t.deepEqual(w.disk.list('/d'), ['a']);
  t.is(readAll(w.disk, '/d/a'), 'A');

  w.disk.rename('/d/a', '/d/b');
  w.scheduler.runUntil(w.scheduler.now() + 5_100); // the 5 s journal commit
  t.is(w.disk.pendingMetadataChanges(), 0);
  w.disk.powerLoss();
  t.deepEqual(w.disk.list('/d'), ['b']);
  t.is(readAll(w.disk, '/d/b'), 'A');
});

test('an fsync of any file commits every metadata change before it', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  w.disk.create('/d/x');
  w.disk.create('/other');
  fsyncNow(w, '/other');
  w.disk.powerLoss();
  t.true(w.disk.exists('/d/x'));
  t.is(w.disk.size('/d/x'), 0);
});

test('an fsync of a directory commits its entries', (t) => {
  const w = world();
  w.disk.mkdirs('/d');
  w.disk.create('/d/x');
  t.is(fsyncNow(w, '/d').error, undefined);
  w.disk.powerLoss();
  t.true(w.disk.exists('/d/x'));
});

test('a deleted file comes back with its durable content until the deletion commits', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('keep'));
  fsyncNow(w, '/f');
  w.disk.append('/f', bytes(' dropped'));
  w.disk.delete('/f');
  t.is(w.disk.dirtyBytes(), 0); // a deleted file's dirty pages are discarded
  w.disk.powerLoss();
  t.is(readAll(w.disk, '/f'), 'keep');
  w.disk.delete('/f');
  w.scheduler.runUntil(w.scheduler.now() + 6_000);
  w.disk.powerLoss();
  t.false(w.disk.exists('/f'));
});

test('a truncation becomes durable with the file bytes, at its fsync', (t) => {
  let reverted = 0;
  for (let seed = 0; seed < 30; seed++) {
    const w = world(seed);
    w.disk.create('/f');
    w.disk.append('/f', bytes('0123456789'));
    fsyncNow(w, '/f');
    w.disk.truncate('/f', 4);
    t.is(w.disk.durableContent('/f')?.length, 10);
    w.disk.powerLoss();
    const content = readAll(w.disk, '/f');
    t.true(content === '0123' || content === '0123456789', content);
    if (content.length === 10) reverted++;
  }
  t.true(reverted > 5);
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('0123456789'));
  fsyncNow(w, '/f');
  w.disk.truncate('/f', 4);
  w.disk.append('/f', bytes('ab'));
  fsyncNow(w, '/f');
  w.disk.powerLoss();
  t.is(readAll(w.disk, '/f'), '0123ab');
});

test('an fsync makes durable what was written before it was issued; appends while it runs stay at risk', (t) => {
  let keptLater = 0;
  for (let seed = 0; seed < 40; seed++) {
    const w = world(seed, { profile: 'hdd-7200' });
    w.disk.create('/f');
    w.disk.append('/f', bytes('before;'));
    let acked = false;
    w.disk.fsync('/f', (error) => {
      acked = error === undefined;
      t.is(text(w.disk.durableContent('/f')), 'before;');
      t.is(w.disk.dirtyBytes(), 'during'.length);
      w.disk.powerLoss();
    });
    w.disk.append('/f', bytes('during'));
    w.scheduler.run();
    t.true(acked);
    const content = readAll(w.disk, '/f');
    t.true(content.startsWith('before;') && 'before;during'.startsWith(content), content);
    if (content.length > 'before;'.length) keptLater++;
  }
  t.true(keptLater > 5 && keptLater < 35, `${keptLater}`);
});

test('a deleted file that a power loss brings back can be written and fsynced again', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('old'));
  fsyncNow(w, '/f');
  w.disk.delete('/f');
  w.disk.powerLoss();
  w.disk.append('/f', bytes('+new'));
  t.is(fsyncNow(w, '/f').error, undefined);
  t.is(text(w.disk.durableContent('/f')), 'old+new');
  w.disk.powerLoss();
  t.is(readAll(w.disk, '/f'), 'old+new');
});

test('synchronous writes charge a memory copy to the node, not the device', (t) => {
  const w = world(); // nvme-ssd: 8 GB/s page cache copies
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(8_000_000));
  t.true(Math.abs(w.disk.syncBusyUntilMs() - 1) < 1e-9);
  t.is(w.disk.deviceBusyUntilMs(), 0);
  t.is(w.disk.busyUntilMs(), w.disk.syncBusyUntilMs());
  w.disk.fsync('/f', () => {});
  t.true(w.disk.deviceBusyUntilMs() > 4); // 8 MB at 2 GB/s plus the flush
  t.is(w.disk.busyUntilMs(), w.disk.deviceBusyUntilMs());
});

test('fsyncs pending at a power loss vanish', (t) => {
  const w = world();
  w.disk.create('/f');
  fsyncNow(w, '/f');
  w.disk.append('/f', bytes('x'));
  let called = false;
  w.disk.fsync('/f', () => {
    called = true;
  });
  w.disk.powerLoss();
  w.scheduler.run();
  t.false(called);
});

// ---------------------------------------------------------------------------------------------------------
// Faults

test('an injected I/O error fails matching operations with EIO until cleared', (t) => {
  const w = world();
  w.disk.mkdirs('/a');
  w.disk.mkdirs('/b');
  w.disk.create('/a/f');
  w.disk.create('/b/f');
  const fault = w.disk.failIo({ paths: '/a/', operations: ['write', 'fsync'] });
  t.is(code(t.throws(() => w.disk.append('/a/f', bytes('x')))), 'EIO');
  t.is(w.disk.size('/a/f'), 0); // a failed write changes nothing
  w.disk.append('/b/f', bytes('x'));
  t.is(w.disk.read('/a/f', 0, 10).length, 0); // reads not covered
  t.is(fsyncNow(w, '/a/f').error?.code, 'EIO');
  t.is(fsyncNow(w, '/b/f').error, undefined);
  fault.clear();
  t.false(fault.active);
  w.disk.append('/a/f', bytes('y'));
  t.is(fsyncNow(w, '/a/f').error, undefined);
  w.disk.failIo({ operations: ['read'] });
  t.is(code(t.throws(() => w.disk.read('/b/f', 0, 1))), 'EIO');
  w.disk.clearFaults();
  t.is(readAll(w.disk, '/b/f'), 'x');
  t.is(w.disk.stats().ioErrors, 3);
});

test('a failed fsync leaves the data not durable', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', bytes('abc'));
  w.disk.failIo({ operations: ['fsync'] });
  t.is(fsyncNow(w, '/f').error?.code, 'EIO');
  t.is(w.disk.durableContent('/f'), undefined); // not even the create committed
  t.is(w.disk.dirtyBytes(), 3);
});

test('an I/O error with a probability fails some operations and not others', (t) => {
  const w = world(7);
  w.disk.create('/f');
  w.disk.failIo({ probability: 0.3, operations: ['write'] });
  let failed = 0;
  for (let i = 0; i < 1000; i++) {
    try {
      w.disk.append('/f', bytes('x'));
    } catch (error) {
      t.is(code(error), 'EIO');
      failed++;
    }
  }
  t.true(failed > 230 && failed < 370, `${failed}`);
  t.is(w.disk.size('/f'), 1000 - failed);
});

test('corrupted reads flip one bit in the returned bytes, never in the stored ones', (t) => {
  const w = world();
  w.disk.create('/f');
  const data = new Uint8Array(256).map((_, i) => i);
  w.disk.append('/f', data);
  const fault = w.disk.corruptReads(1);
  const got = w.disk.read('/f', 0, 256);
  let flippedBits = 0;
  for (let i = 0; i < 256; i++) {
    let diff = got[i] ^ data[i];
    while (diff !== 0) {
      flippedBits += diff & 1;
      diff >>= 1;
    }
  }
  t.is(flippedBits, 1);
  fault.clear();
  t.deepEqual(w.disk.read('/f', 0, 256), data);
  t.is(w.disk.stats().corruptedReads, 1);
});

test('a full disk refuses writes that grow usage with ENOSPC, and accepts them again when cleared', (t) => {
  const w = world(1, { capacityBytes: 100 });
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(90));
  t.is(code(t.throws(() => w.disk.append('/f', new Uint8Array(11)))), 'ENOSPC');
  t.is(code(t.throws(() => w.disk.truncate('/f', 101))), 'ENOSPC');
  w.disk.append('/f', new Uint8Array(10));
  t.is(w.disk.usedBytes(), 100);
  w.disk.truncate('/f', 50);
  t.is(w.disk.usedBytes(), 50);
  w.disk.setFull(true);
  t.is(code(t.throws(() => w.disk.append('/f', new Uint8Array(1)))), 'ENOSPC');
  w.disk.write('/f', 0, new Uint8Array(10)); // overwrites do not grow usage
  w.disk.truncate('/f', 10);
  w.disk.clearFaults();
  w.disk.append('/f', new Uint8Array(1));
  t.is(w.disk.size('/f'), 11);
});

test('a slow disk multiplies device latencies until cleared', (t) => {
  const w = world();
  w.disk.create('/f');
  w.disk.append('/f', new Uint8Array(1024 * 1024));
  const normal = fsyncNow(w, '/f').latencyMs;
  const fault = w.disk.slow(10);
  w.disk.append('/f', new Uint8Array(1024 * 1024));
  const slow = fsyncNow(w, '/f').latencyMs;
  fault.clear();
  w.disk.append('/f', new Uint8Array(1024 * 1024));
  const again = fsyncNow(w, '/f').latencyMs;
  t.true(Math.abs(slow - 10 * normal) < 1e-6, `${slow} vs ${normal}`);
  t.true(Math.abs(again - normal) < 1e-6);
});

// ---------------------------------------------------------------------------------------------------------
// Random operations and power losses against a reference model

type RefNamespace = Map<string, number | 'dir'>; // path -> file id, or a directory

interface RefFile {
  /** Contents since the last acknowledged fsync's call (index 0), up to the current one (last). */
  history: Uint8Array[];
  /** How many older contents were forgotten: history[i] is content number base + i. */
  base: number;
}

interface Reference {
  files: Map<number, RefFile>;
  /** Namespaces since the last acknowledged fsync's call (index 0), up to the current one (last). */
  namespaces: RefNamespace[];
  /** namespaces[i] is namespace number namespaceBase + i. */
  namespaceBase: number;
  nextId: number;
}

function current(ref: Reference): RefNamespace {
  return ref.namespaces[ref.namespaces.length - 1];
}

function contentOf(ref: Reference, id: number): Uint8Array {
  const history = (ref.files.get(id) as RefFile).history;
  return history[history.length - 1];
}

function pushContent(ref: Reference, id: number, content: Uint8Array): void {
  (ref.files.get(id) as RefFile).history.push(content);
}

function pushNamespace(ref: Reference, change: (ns: RefNamespace) => void): void {
  const next = new Map(current(ref));
  change(next);
  ref.namespaces.push(next);
}

/** Every path on the disk, depth first, with file contents. */
function scan(disk: SimDisk): Map<string, Uint8Array | 'dir'> {
  const out = new Map<string, Uint8Array | 'dir'>();
  const walk = (dir: string): void => {
    for (const name of disk.list(dir)) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (disk.isDirectory(path)) {
        out.set(path, 'dir');
        walk(path);
      } else {
        out.set(path, disk.read(path, 0, disk.size(path)));
      }
    }
  };
  walk('/');
  return out;
}

/** Null if `survivor` is a state the model allows for a file with this history, else why not. */
function contentProblem(survivor: Uint8Array, history: readonly Uint8Array[]): string | null {
  const lengths = history.map((h) => h.length);
  if (survivor.length < Math.min(...lengths) || survivor.length > Math.max(...lengths)) {
    return `length ${survivor.length} outside [${Math.min(...lengths)}, ${Math.max(...lengths)}]`;
  }
  for (let p = 0; p < survivor.length; p++) {
    if (!history.some((h) => h.length > p && h[p] === survivor[p])) return `byte ${p} = ${survivor[p]} never written there`;
  }
  return null;
}

/** Null if the disk after a power loss matches some namespace and contents the model allows, else why not. */
function survivalProblem(ref: Reference, found: Map<string, Uint8Array | 'dir'>): { problem: string | null; match?: RefNamespace } {
  let lastProblem = 'no namespace since the last acknowledged fsync has these paths';
  for (let i = ref.namespaces.length - 1; i >= 0; i--) {
    const ns = ref.namespaces[i];
    const paths = [...ns.keys()].filter((p) => p !== '/');
    if (paths.length !== found.size || !paths.every((p) => found.has(p) && (ns.get(p) === 'dir') === (found.get(p) === 'dir'))) continue;
    let problem: string | null = null;
    for (const path of paths) {
      const id = ns.get(path);
      if (id === 'dir') continue;
      const why = contentProblem(found.get(path) as Uint8Array, (ref.files.get(id as number) as RefFile).history);
      if (why !== null) {
        problem = `${path}: ${why}`;
        break;
      }
    }
    if (problem === null) return { problem: null, match: ns };
    lastProblem = problem;
  }
  return { problem: lastProblem };
}

function randomBytes(random: { int(lo: number, hi: number): number }, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = random.int(1, 255);
  return out;
}

interface RunOutcome {
  readonly problems: string[];
  readonly fingerprint: string;
  readonly powerLosses: number;
  readonly ackedFsyncs: number;
}

/** Random operations, time steps, crashes and power losses on one disk, checked against the reference. */
function randomRun(seed: number, steps: number): RunOutcome {
  const streams = new RandomStreams(seed);
  const random = streams.stream('workload');
  const scheduler = new Scheduler();
  // Half the runs write back early (a tiny background threshold), half only after 30 s.
  const writeback = random.chance(0.5) ? { dirtyBackgroundBytes: 600 } : {};
  const disk = new SimDisk({ scheduler, random: streams.stream('disk'), name: `seed-${seed}`, writeback });
  if (random.chance(0.3)) disk.failIo({ operations: ['write', 'fsync'], probability: 0.1 });
  const ref: Reference = { files: new Map(), namespaces: [new Map([['/', 'dir']])], namespaceBase: 0, nextId: 1 };
  const problems: string[] = [];
  let epoch = 0;
  let ackedFsyncs = 0;
  let powerLosses = 0;
  const dirs = ['/', '/a', '/a/b', '/c'];
  const names = ['x', 'y', 'z'];

  const filePaths = (): string[] => [...current(ref)].filter(([, v]) => v !== 'dir').map(([p]) => p);
  const dirPaths = (): string[] => [...current(ref)].filter(([, v]) => v === 'dir').map(([p]) => p);
  const join = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

  const mutate = (path: string, apply: () => Uint8Array): void => {
    const id = current(ref).get(path) as number;
    try {
      const next = apply();
      pushContent(ref, id, next);
    } catch (error) {
      if (code(error) !== 'EIO') throw error;
    }
  };

  for (let step = 0; step < steps; step++) {
    const files = filePaths();
    const action = random.int(0, 99);
    if (action < 8) {
      const dir = random.pick(dirs.filter((d) => d !== '/'));
      if (!current(ref).has(dir)) {
        disk.mkdirs(dir);
        pushNamespace(ref, (ns) => {
          let at = '';
          for (const part of dir.slice(1).split('/')) {
            at += `/${part}`;
            ns.set(at, 'dir');
          }
        });
      }
    } else if (action < 18) {
      const dir = random.pick(dirPaths().filter((d) => dirs.includes(d)));
      const path = join(dir, random.pick(names));
      if (!current(ref).has(path)) {
        disk.create(path);
        const id = ref.nextId++;
        ref.files.set(id, { history: [new Uint8Array(0)], base: 0 });
        pushNamespace(ref, (ns) => ns.set(path, id));
      }
    } else if (action < 45 && files.length > 0) {
      const path = random.pick(files);
      const data = randomBytes(random, random.int(1, 40));
      mutate(path, () => {
        disk.append(path, data);
        const old = contentOf(ref, current(ref).get(path) as number);
        const next = new Uint8Array(old.length + data.length);
        next.set(old);
        next.set(data, old.length);
        return next;
      });
    } else if (action < 53 && files.length > 0) {
      const path = random.pick(files);
      const old = contentOf(ref, current(ref).get(path) as number);
      const position = random.int(0, old.length);
      const data = randomBytes(random, random.int(1, 20));
      mutate(path, () => {
        disk.write(path, position, data);
        const next = new Uint8Array(Math.max(old.length, position + data.length));
        next.set(old);
        next.set(data, position);
        return next;
      });
    } else if (action < 58 && files.length > 0) {
      const path = random.pick(files);
      const old = contentOf(ref, current(ref).get(path) as number);
      const size = random.int(0, old.length + 10);
      mutate(path, () => {
        disk.truncate(path, size);
        const next = new Uint8Array(size);
        next.set(old.subarray(0, Math.min(size, old.length)));
        return next;
      });
    } else if (action < 63 && files.length > 0) {
      const from = random.pick(files);
      const dir = random.pick(dirPaths().filter((d) => dirs.includes(d)));
      const to = join(dir, random.pick(names));
      if (current(ref).get(to) !== 'dir') {
        disk.rename(from, to);
        pushNamespace(ref, (ns) => {
          const id = ns.get(from) as number;
          ns.delete(from);
          ns.set(to, id);
        });
      }
    } else if (action < 67 && files.length > 0) {
      const path = random.pick(files);
      disk.delete(path);
      pushNamespace(ref, (ns) => ns.delete(path));
    } else if (action < 80) {
      const path = random.pick([...current(ref).keys()]);
      const callEpoch = epoch;
      const namespaceNumber = ref.namespaceBase + ref.namespaces.length - 1;
      const id = current(ref).get(path);
      const file = id === 'dir' ? undefined : (ref.files.get(id as number) as RefFile);
      const contentNumber = file === undefined ? 0 : file.base + file.history.length - 1;
      disk.fsync(path, (error) => {
        if (callEpoch !== epoch) {
          problems.push(`an fsync callback from epoch ${callEpoch} ran in epoch ${epoch}`);
          return;
        }
        if (error !== undefined) return;
        ackedFsyncs++;
        // The states visible at the call are now durable or superseded: forget older ones.
        const namespaceShift = namespaceNumber - ref.namespaceBase;
        if (namespaceShift > 0) {
          ref.namespaces.splice(0, namespaceShift);
          ref.namespaceBase += namespaceShift;
        }
        if (file !== undefined && contentNumber > file.base) {
          file.history.splice(0, contentNumber - file.base);
          file.base = contentNumber;
        }
      });
    } else if (action < 94) {
      scheduler.runUntil(scheduler.now() + random.int(0, 8_000));
    } else if (action < 96) {
      disk.crashProcess();
      epoch++;
    } else {
      disk.powerLoss();
      epoch++;
      powerLosses++;
      const found = scan(disk);
      const { problem, match } = survivalProblem(ref, found);
      if (problem !== null || match === undefined) {
        problems.push(`step ${step}: ${problem}`);
        break;
      }
      // The survivors are the new, fully durable starting point.
      const ns: RefNamespace = new Map([['/', 'dir']]);
      const files = new Map<number, RefFile>();
      for (const [path, value] of found) {
        if (value === 'dir') {
          ns.set(path, 'dir');
        } else {
          const id = match.get(path) as number;
          ns.set(path, id);
          files.set(id, { history: [value], base: 0 });
        }
      }
      ref.files = files;
      ref.namespaces = [ns];
      ref.namespaceBase = 0;
    }
  }
  const final = scan(disk);
  const fingerprint = JSON.stringify([...final].map(([p, v]) => [p, v === 'dir' ? 'dir' : [...v].join(',')]))
    + JSON.stringify(disk.stats()) + scheduler.now();
  return { problems, fingerprint, powerLosses, ackedFsyncs };
}

test('random operations and power losses never lose fsynced data and leave only allowed states', (t) => {
  let powerLosses = 0;
  let acked = 0;
  for (let seed = 0; seed < 300; seed++) {
    const outcome = randomRun(seed, 80);
    if (outcome.problems.length > 0) t.fail(`seed ${seed}: ${outcome.problems.join('; ')}`);
    powerLosses += outcome.powerLosses;
    acked += outcome.ackedFsyncs;
  }
  t.true(powerLosses > 500, `${powerLosses}`);
  t.true(acked > 500, `${acked}`);
});

test('the same seed gives the same outcome, another seed another', (t) => {
  const a = randomRun(42, 200).fingerprint;
  t.is(randomRun(42, 200).fingerprint, a);
  t.not(randomRun(43, 200).fingerprint, a);
});

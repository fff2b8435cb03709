import test from 'ava';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT, runCli, STACK_FRAME, type CliRun } from './run-cli.ts';

// Each command must refuse a bad --out before it runs anything: no run's summary, no seed's progress.
function refusedBeforeRunning(t: import('ava').ExecutionContext, run: CliRun, pattern: RegExp): void {
  t.is(run.code, 2, run.stderr + run.stdout);
  t.regex(run.stderr, pattern);
  t.notRegex(run.stderr + run.stdout, STACK_FRAME, 'no stack trace for a user mistake');
  t.notRegex(run.stdout, /acked|seeds\/s/, 'nothing ran');
}

function aFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-out-')), 'not-a-dir');
  writeFileSync(file, 'a regular file\n');
  return file;
}

test('scenario refuses an --out that is a regular file before the run', async (t) => {
  const file = aFile();
  refusedBeforeRunning(t, await runCli('scenario', ['leader-crash-under-acks-one', '--out', file]), new RegExp(`--out ${file}: ${file} is a file, not a directory`));
});

test('scenario refuses an --out below a regular file before the run', async (t) => {
  const file = aFile();
  refusedBeforeRunning(t, await runCli('scenario', ['leader-crash-under-acks-one', '--out', join(file, 'runs')]), /is a file, not a directory/);
});

test('swarm refuses an --out that is a regular file before any seed runs', async (t) => {
  refusedBeforeRunning(t, await runCli('swarm', ['leader-crash-under-acks-one', '--seeds', '1', '--out', aFile()]), /is a file, not a directory/);
});

test('merge refuses an --out that is a regular file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-out-'));
  const swarm = join(dir, 'swarm.json');
  writeFileSync(swarm, JSON.stringify({
    scenario: 'x', summary: 'x', source: 'x', mode: 'swarm', set: {}, range: { from: 1, count: 1 }, shards: [], workers: 1,
    wallSeconds: 1, expected: 'no-anomalies', failing: [], firstByKind: {}, seeds: [],
  }));
  refusedBeforeRunning(t, await runCli('merge', [swarm, '--out', aFile()]), /is a file, not a directory/);
});

// As root (CI) the test runs the command as the unprivileged user `nobody`, who may not write in a directory
// root owns; as anyone else it takes the write permission away.
test('scenario refuses an --out it has no permission to write in, before the run', async (t) => {
  const locked = mkdtempSync(join(tmpdir(), 'tributary-locked-'));
  const asRoot = process.getuid?.() === 0;
  chmodSync(locked, asRoot ? 0o755 : 0o555);
  // `nobody` must reach the checkout to run it: a checkout under a private folder (mktemp -d makes 0700 ones)
  // is opened to others for search (o+x) while the command runs, and closed again after.
  const opened = asRoot ? openForSearch(ROOT) : [];
  try {
    const run = await runCli('scenario', ['leader-crash-under-acks-one', '--out', join(locked, 'runs')], asRoot ? { uid: 65534, gid: 65534 } : {});
    refusedBeforeRunning(t, run, /no permission to write in/);
  } finally {
    for (const { path, mode } of opened) chmodSync(path, mode);
  }
});

/** Adds o+x to every folder from `path` up that lacks it; returns what to restore. */
function openForSearch(path: string): { path: string; mode: number }[] {
  const changed: { path: string; mode: number }[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push({ path: dir, mode });
    }
    if (dirname(dir) === dir) return changed;
  }
}

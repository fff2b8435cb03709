import test from 'ava';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDir, runFolderName } from '../../cli/write-run.ts';
import { indexEntries } from '../../cli/start.ts';
import type { RunResult } from '../../sim/result.ts';
import { runCli } from './run-cli.ts';

const NAME = 'leader-crash-under-acks-one';

test('a plain run keeps DIR/NAME/seed-N/; swarm mode and --set get folders named for them', (t) => {
  t.is(runDir('out', { scenario: NAME, seed: 7, mode: 'scenario', set: {} }), join('out', NAME, 'seed-7'));
  t.is(runFolderName({ seed: 7, mode: 'swarm', set: {} }), 'seed-7-swarm');
  t.is(runFolderName({ seed: 7, mode: 'scenario', set: { acks: '1' } }), 'seed-7-set-acks=1');
  t.is(runFolderName({ seed: 7, mode: 'swarm', set: { 'linger.ms': '5', acks: '1' } }), 'seed-7-swarm-set-acks=1,linger.ms=5', 'keys in order: the same run, the same folder');
  t.is(runFolderName({ seed: 7, mode: 'scenario', set: { 'client.id': 'a b/c' } }), 'seed-7-set-client.id=a_b_c', 'no space or slash in a folder name');
});

test('a long --set is cut, and two long ones that share a start still get two folders', (t) => {
  const a = runFolderName({ seed: 1, mode: 'scenario', set: { 'client.id': `${'x'.repeat(100)}a` } });
  const b = runFolderName({ seed: 1, mode: 'scenario', set: { 'client.id': `${'x'.repeat(100)}b` } });
  t.true(a.length <= 'seed-1-set-'.length + 64, a);
  t.not(a, b);
});

test('a --set run and a --swarm run do not overwrite the plain run, and each prints the folder it wrote', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-folders-'));
  const plain = await runCli('scenario', [NAME, '--seed', '3', '--out', out]);
  const set = await runCli('scenario', [NAME, '--seed', '3', '--set', 'linger.ms=5', '--out', out]);
  const swarm = await runCli('scenario', [NAME, '--seed', '3', '--swarm', '--out', out]);
  const folders = [['seed-3', plain], ['seed-3-set-linger.ms=5', set], ['seed-3-swarm', swarm]] as const;
  for (const [folder, run] of folders) {
    const dir = join(out, NAME, folder);
    t.true(existsSync(join(dir, 'result.json')), `${folder}: ${run.stdout}${run.stderr}`);
    t.true(run.stdout.includes(`report: ${dir}/report.html`), run.stdout);
  }
  const result = (folder: string): { mode: string; set: Record<string, string> } => JSON.parse(readFileSync(join(out, NAME, folder, 'result.json'), 'utf8'));
  t.deepEqual(result('seed-3').set, {}, 'the plain run\'s result was not overwritten by the --set run');
  t.is(result('seed-3').mode, 'scenario', 'nor by the --swarm run');
});

test('a swarm writes a failing seed\'s report where the command it prints to reproduce that seed writes it', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-folders-'));
  // Seed 13 of this swarm finds the lost write (README's figures).
  const swarm = await runCli('swarm', [NAME, '--seeds', '1', '--from', '13', '--workers', '1', '--out', out]);
  const dir = join(out, NAME, 'seed-13-swarm');
  t.true(existsSync(join(dir, 'report.html')), swarm.stdout + swarm.stderr);
  t.true(swarm.stdout.includes(`report: ${dir}/report.html`), swarm.stdout);
  const command = /lost-write(?:, [a-z-]+)*: first found by seed 13 \(1 seed into the range\): npm run scenario -- (.*)$/m.exec(swarm.stdout);
  t.truthy(command, swarm.stdout);
  const again = await runCli('scenario', [...command![1]!.split(' '), '--out', out]);
  t.true(again.stdout.includes(`report: ${dir}/report.html`), again.stdout);
});

test('the index page links each run where writeRun wrote it', (t) => {
  const run = { scenario: NAME, summary: 's', seed: 7, ok: true, why: 'w', anomalyCounts: {}, mode: 'scenario', set: {} } as unknown as RunResult;
  t.is(indexEntries('out', [run])[0]!.href, `${NAME}/seed-7/report.html`);
  const set = { ...run, set: { acks: '1' } } as RunResult;
  t.is(indexEntries('out', [set])[0]!.href, `${NAME}/seed-7-set-acks=1/report.html`);
});

import test from 'ava';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainModule } from '../../cli/main-module.ts';
import { ROOT, runCli } from './run-cli.ts';

// A checkout whose path has a space (a copy of this one, sharing its node_modules), and a symlink to this one
// whose path has a space: every entry point must run its main in both, not exit 0 having done nothing.
const parent = mkdtempSync(join(tmpdir(), 'tributary checkout '));
const spaced = join(parent, 'my checkout');
cpSync(ROOT, spaced, { recursive: true, filter: (source) => !['node_modules', '.git', 'out'].includes(basename(source)) });
symlinkSync(join(ROOT, 'node_modules'), join(spaced, 'node_modules'), 'dir');
const linked = join(parent, 'linked checkout');
symlinkSync(ROOT, linked, 'dir');
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

// Each entry point with arguments that make it refuse at once (exit 2 with its usage): proof that main ran.
const COMMANDS: ReadonlyArray<{ script: string; args: string[]; says: RegExp }> = [
  { script: 'scenario', args: [], says: /name a scenario/ },
  { script: 'swarm', args: ['steady-load-with-no-faults'], says: /--seeds N/ },
  { script: 'replay', args: [], says: /give exactly one result\.json/ },
  { script: 'merge', args: [], says: /give the swarm\.json files/ },
  { script: 'shrink', args: [], says: /give one result\.json/ },
  { script: 'worker-speedup', args: ['--rounds', '0'], says: /--rounds must be a whole number/ },
  { script: 'bench/run', args: ['--rounds', '0'], says: /--rounds must be a whole number/ },
];

for (const { script, args, says } of COMMANDS) {
  test(`${script} runs its main from a checkout whose path has a space`, async (t) => {
    const run = await runCli(script, args, { root: spaced });
    t.is(run.code, 2, `${run.stdout}${run.stderr}`);
    t.regex(run.stderr, says);
  });
}

test('an entry point runs its main through a symlinked checkout whose path has a space', async (t) => {
  const run = await runCli('scenario', [], { root: linked });
  t.is(run.code, 2, `${run.stdout}${run.stderr}`);
  t.regex(run.stderr, /name a scenario/);
});

test('isMainModule compares paths, not an encoded URL with a raw path', (t) => {
  const file = join(spaced, 'cli', 'scenario.ts');
  t.true(isMainModule(pathToFileURL(file).href, file));
  t.true(isMainModule(pathToFileURL(file).href, join(spaced, 'cli', '..', 'cli', 'scenario.ts')));
  t.false(isMainModule(pathToFileURL(file).href, join(spaced, 'cli', 'swarm.ts')));
  t.false(isMainModule(pathToFileURL(file).href, undefined));
});

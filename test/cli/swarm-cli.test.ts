import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SwarmFile } from '../../cli/swarm-summary.ts';
import { ROOT, runCli } from './run-cli.ts';

const UNSAFE = 'leader-crash-under-acks-one';

function swarmJson(path: string): SwarmFile {
  return JSON.parse(readFileSync(path, 'utf8')) as SwarmFile;
}

// Seeds 1 and 2 of the acks=1 swarm do not find the lost write (seed 13 is the first: README's figures).
test('a shard that misses the anomaly is inconclusive (exit 0); the merge judges the union and fails; merge does not overwrite swarm.json unless told to', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'tributary-shards-'));
  const out = join(work, 'out');
  const one = await runCli('swarm', [UNSAFE, '--seeds', '2', '--shard', '1/2', '--workers', '3', '--out', out]);
  t.is(one.code, 0, one.stdout + one.stderr);
  t.regex(one.stdout, /inconclusive: the anomaly was not found in this shard; merge the shards to judge/);
  t.regex(one.stdout, /swarm: 1 seed of 1\.\.2 \(shard 1\/2\) on 1 worker thread \(--workers 3, capped at the seeds to run\)/, '--workers is capped by the seeds, and counts read as English');
  t.regex(one.stdout, /: 1 seed in [\d.]+ s on 1 worker, /);
  const shardFile = join(out, UNSAFE, 'swarm-shard-1-of-2', 'swarm.json');
  t.is(swarmJson(shardFile).verdict, 'inconclusive');
  t.is(swarmJson(shardFile).workers, 1);
  const two = await runCli('swarm', [UNSAFE, '--seeds', '2', '--shard', '2/2', '--out', out]);
  t.is(two.code, 0, two.stdout + two.stderr);
  const shards = [shardFile, join(out, UNSAFE, 'swarm-shard-2-of-2', 'swarm.json')];

  const merged = await runCli('merge', shards, { cwd: work });
  t.is(merged.code, 1, merged.stdout + merged.stderr);
  t.regex(merged.stdout, /FAILED: no seed found lost-write/);
  const target = join(work, 'out', UNSAFE, 'swarm', 'swarm.json');
  t.is(swarmJson(target).verdict, 'failed');
  t.is(swarmJson(target).seedsRun, 2);

  const again = await runCli('merge', shards, { cwd: work });
  t.is(again.code, 2, again.stdout + again.stderr);
  t.regex(again.stderr, /swarm\.json exists .* merge does not replace it: give --out DIR to write the merge elsewhere, or --force to replace it/);
  const forced = await runCli('merge', [...shards, '--force'], { cwd: work });
  t.is(forced.code, 1, forced.stdout + forced.stderr);
  const explicit = await runCli('merge', [...shards, '--out', 'out'], { cwd: work });
  t.is(explicit.code, 1, 'an explicit --out says where to write: it may replace what is there');
});

test('Ctrl-C on a swarm stops it, removes its bundle, prints the seeds done and writes a partial swarm.json with the --from that resumes it', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-interrupt-'));
  let pid = 0;
  const run = await runCli('swarm', [UNSAFE, '--seeds', '200', '--workers', '1', '--out', out], {
    started: (child, output) => {
      pid = child.pid!;
      // The first progress line (CI prints one at once) means a seed is done: interrupt then.
      const poll = setInterval(() => {
        if (/\d+\/200 seeds/.test(output.stderr())) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
  t.is(run.code, 130, run.stdout + run.stderr);
  const file = join(out, UNSAFE, 'swarm', 'swarm.json');
  t.true(existsSync(file), run.stdout + run.stderr);
  const swarm = swarmJson(file);
  t.truthy(swarm.partial, 'swarm.json says it is partial');
  const done = swarm.seeds.map((s) => s.seed);
  t.true(done.length >= 1 && done.length < 200, `${done.length} seeds done`);
  t.is(swarm.partial!.seedsDone, done.length);
  const next = Array.from({ length: 200 }, (_, i) => i + 1).find((seed) => !done.includes(seed))!;
  t.is(swarm.partial!.from, next);
  t.is(swarm.partial!.resume, `npm run swarm -- ${UNSAFE} --seeds ${200 - next + 1} --from ${next} --workers 1 --out ${out}`);
  t.false(swarm.ok);
  t.regex(run.stdout, new RegExp(`interrupted: ${done.length} of 200 seeds done: 1`));
  t.true(run.stdout.includes(`resume:      ${swarm.partial!.resume}`), run.stdout);
  const bundles = readdirSync(join(ROOT, 'node_modules', '.cache', 'tributary')).filter((name) => name.startsWith(`seed-task-${pid}-`));
  t.deepEqual(bundles, [], 'the bundle is removed');
});

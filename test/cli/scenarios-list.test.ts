import test from 'ava';
import { CATALOGUE } from '../../scenarios/index.ts';
import { runCli } from './run-cli.ts';

test('npm run scenarios lists each scenario on a line: its name first, then safe or unsafe, then its description', async (t) => {
  const run = await runCli('scenarios', []);
  t.is(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  t.deepEqual(lines.map((line) => line.split(/\s+/)[0]), CATALOGUE.map((s) => s.name), 'the first column is the name (awk \'$1\')');
  for (const [i, scenario] of CATALOGUE.entries()) {
    const [, mark] = lines[i]!.split(/\s+/);
    t.is(mark, scenario.expect === 'no-anomalies' ? 'safe' : 'unsafe', scenario.name);
    t.true(lines[i]!.endsWith(scenario.summary), scenario.name);
  }
  t.regex(run.stdout, /^steady-load-with-no-faults\s+safe\s/m);
  t.regex(run.stdout, /^leader-crash-under-acks-one\s+unsafe\s/m);
});

// `npm run replay -- PATH/result.json`: runs that seed again (same scenario, mode and --set overrides) and
// fails unless the trace hash is the same. A different hash means the code changed what this seed does, or
// a determinism bug: either way the old result no longer describes the code.

import { runScenario } from '../sim/run.ts';
import { parseSettings } from '../sim/settings.ts';
import { runMain, UsageError } from './command.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';
import { banner } from './banner.ts';
import { readResult } from './result-file.ts';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length !== 1) throw new UsageError('give exactly one result.json: npm run replay -- out/NAME/seed-N/result.json');
  const recorded = readResult(argv[0]);
  const { scenario } = await loadScenario(recorded.source);
  const settings = parseSettings(Object.entries(recorded.set).map(([key, value]) => `${key}=${value}`));
  const again = runScenario(scenario, recorded.seed, { mode: recorded.mode, settings, source: recorded.source });
  console.log(banner(scenario.name, recorded.seed, again.options));
  console.log(`\nrecorded trace ${recorded.traceHash}\nreplayed trace ${again.traceHash}`);
  if (again.traceHash !== recorded.traceHash) {
    console.log(`DIFFERENT: seed ${recorded.seed} no longer runs as recorded (the code changed what it does, or a determinism bug)`);
    return 1;
  }
  console.log(`SAME: seed ${recorded.seed} replays exactly; verdict ${again.ok ? 'ok' : 'not ok'}: ${again.why}`);
  return 0;
}

if (isMainModule(import.meta.url)) runMain('replay', main);

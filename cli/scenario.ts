// `npm run scenario -- NAME|PATH [--seed N] [--set key=value ...] [--out DIR] [--swarm]`
//
// Runs one scenario under one seed, prints the banner (every option of the run) and the verdict, and writes
// DIR/NAME/seed-N/result.json and report.html (seed-N-swarm/ with --swarm, seed-N-set-KEY=VALUE/ with --set:
// cli/write-run.ts). Exit 0 when the verdict matches what the scenario expects, 1 when it does not, 2 on a
// usage error. `--swarm` runs the seed as a swarm does (knobs and faults drawn from the seed): the command a
// swarm prints to reproduce one of its seeds.

import { parseArgs } from 'node:util';
import { runScenario } from '../sim/run.ts';
import { parseSettings } from '../sim/settings.ts';
import type { RunResult } from '../sim/result.ts';
import { counted } from '../sim/counted.ts';
import { runMain, UsageError, wholeNumber } from './command.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';
import { banner } from './banner.ts';
import { RUN_FILES, runDir, setRecord, writeRun } from './write-run.ts';
import { prepareOutDir } from './out-dir.ts';

export interface ScenarioArgs {
  readonly target: string | undefined;
  readonly seed: number | undefined;
  readonly settings: readonly string[];
  readonly outDir: string;
  readonly swarm: boolean;
}

export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { seed: { type: 'string' }, set: { type: 'string', multiple: true }, out: { type: 'string' }, swarm: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: npm run scenario -- NAME|PATH [--seed N] [--set key=value ...] [--out DIR] [--swarm]`);
  }
  if (parsed.positionals.length > 1) throw new UsageError(`one scenario at a time, got ${parsed.positionals.join(' ')} (npm run start runs the whole catalogue)`);
  return {
    target: parsed.positionals[0],
    seed: parsed.values.seed === undefined ? undefined : wholeNumber('seed', parsed.values.seed, 0, 0),
    settings: parsed.values.set ?? [],
    outDir: parsed.values.out ?? 'out',
    swarm: parsed.values.swarm === true,
  };
}

/** One line per anomaly kind with its count and first message. */
export function describeAnomalies(result: RunResult): string[] {
  const lines: string[] = [];
  for (const [kind, count] of Object.entries(result.anomalyCounts)) {
    const first = result.anomalies.find((a) => a.kind === kind);
    lines.push(`  ${kind} x${count}${first ? `: ${first.message}` : ''}`);
  }
  return lines;
}

async function main(): Promise<number> {
  const args = parseScenarioArgs(process.argv.slice(2));
  const settings = parseSettings(args.settings);
  const { scenario, source } = await loadScenario(args.target);
  const seed = args.seed ?? scenario.defaultSeed ?? 1;
  const mode = args.swarm ? 'swarm' : 'scenario';
  prepareOutDir(runDir(args.outDir, { scenario: scenario.name, seed, mode, set: setRecord(settings) }), `--out ${args.outDir}`, RUN_FILES);
  const started = process.hrtime.bigint();
  const run = runScenario(scenario, seed, { mode, settings, source });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const result: RunResult = { ...run, stats: { ...run.stats, wallMs: Math.round(wallMs) } };
  console.log(banner(scenario.name, seed, result.options));
  const dir = writeRun(args.outDir, result);
  const s = result.stats;
  console.log(`\n${s.produced.acked} acked, ${s.produced.failed} failed, ${s.produced.indeterminate} indeterminate of ${counted(s.produced.attempted, 'send')}; ${counted(s.consumed, 'record')} consumed; ${counted(result.faults.length, 'fault')}`);
  console.log(`${(s.simulatedMs / 1000).toFixed(1)} simulated s in ${(wallMs / 1000).toFixed(1)} wall s; produce p99 ${s.latencyMs.produce.p99.toFixed(1)} ms; trace ${result.traceHash}`);
  for (const line of describeAnomalies(result)) console.log(line);
  console.log(`\n${result.ok ? 'OK' : 'FAILED'}: ${result.why}`);
  console.log(`report: ${dir}/report.html`);
  if (!result.ok) console.log(`reproduce: ${result.reproduce}\nshrink:    npm run shrink -- ${dir}/result.json`);
  return result.ok ? 0 : 1;
}

if (isMainModule(import.meta.url)) runMain('scenario', main);

// `npm run shrink -- PATH/result.json [--kind KIND] [--out FILE]`
//
// Cuts a failing seed down to a minimal reproduction: its faults (delta debugging), then its workload and
// length, while the same anomaly kind still appears; then writes the result as a scenario file whose faults
// are a plain timeline (no random draw), runs that file once to prove it fails the same way, and prints the
// command that runs it. By default the file goes to scenarios/regressions/, where it can join the
// regression suite.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { resolveRun, runScenario } from '../sim/run.ts';
import { parseSettings } from '../sim/settings.ts';
import { shrinkRun, ShrinkError } from '../sim/shrink.ts';
import { scenarioSource } from '../sim/scenario-source.ts';
import { HARDWARE_PROFILES } from '../sim/hardware.ts';
import { ANOMALY_KINDS, type AnomalyKind } from '../sim/checkers/anomaly.ts';
import type { ClusterRunSpec } from '../sim/cluster-run.ts';
import type { Fault } from '../sim/nemesis.ts';
import type { RunResult } from '../sim/result.ts';
import type { Scenario, ScenarioProducer } from '../sim/scenario.ts';
import { counted } from '../sim/counted.ts';
import { runMain, UsageError } from './command.ts';
import { Progress } from './progress.ts';
import { prepareOutFile } from './out-dir.ts';
import { isMainModule } from './main-module.ts';
import { loadScenario } from './load-scenario.ts';
import { readResult } from './result-file.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The kind to shrink for: the one asked, else the first the scenario did not expect, else the first found. */
function targetKind(result: RunResult, asked: string | undefined): AnomalyKind {
  const found = Object.keys(result.anomalyCounts) as AnomalyKind[];
  if (asked !== undefined) {
    if (!ANOMALY_KINDS.includes(asked as AnomalyKind)) throw new UsageError(`--kind ${asked}: not an anomaly kind; one of ${ANOMALY_KINDS.join(', ')}`);
    if (!found.includes(asked as AnomalyKind)) throw new UsageError(`--kind ${asked}: this run shows ${found.join(', ') || 'no anomaly'}`);
    return asked as AnomalyKind;
  }
  if (found.length === 0) throw new UsageError(`this run shows no anomaly: there is nothing to shrink (${result.why})`);
  const expected = result.expected;
  const allowed = new Set<string>(expected === 'no-anomalies' ? [] : 'shows' in expected ? [...expected.shows, ...(expected.mayShow ?? [])] : [...expected.mayShow, ...expected.find]);
  return found.find((kind) => !allowed.has(kind)) ?? found[0]!;
}

function shrunkName(original: Scenario, seed: number, kind: AnomalyKind): string {
  return `${original.name}-seed-${seed}-${kind}`;
}

/** The shrunk cluster run as a data-only scenario file. */
function shrunkScenario(original: Scenario, spec: ClusterRunSpec, faults: readonly Fault[], seed: number, kind: AnomalyKind, kinds: readonly AnomalyKind[]): Scenario {
  const hardware = (Object.keys(HARDWARE_PROFILES) as Array<keyof typeof HARDWARE_PROFILES>).find((name) => HARDWARE_PROFILES[name] === spec.hardware);
  const producers: ScenarioProducer[] = spec.workload.producers.map((p) => ({
    ratePerSec: Math.round(p.ratePerSec * 100) / 100,
    keys: p.keyCount,
    keyDistribution: p.keyDistribution,
    valueBytes: p.valueBytes,
    config: p.config,
  }));
  const faultsMs = Math.max(spec.faultsUntilMs, ...faults.map((f) => f.atMs + f.durationMs));
  const others = kinds.filter((k) => k !== kind);
  return {
    name: shrunkName(original, seed, kind),
    summary: `${kind} in ${original.name}, seed ${seed}, shrunk to ${counted(faults.length, 'fault')}`,
    teaching: `A minimal reproduction, written by npm run shrink: seed ${seed} of ${original.name} showed ${kind}; its fault
schedule and workload were cut down (delta debugging) while ${kind} still appeared. The faults are a fixed
timeline, so this file reproduces the failure without drawing a random schedule. What the configuration is and
what to look for: the original scenario's teaching text (npm run scenario -- ${original.name}).`,
    cluster: { brokers: spec.cluster.brokers, controllers: spec.cluster.controllers, racks: spec.cluster.racks },
    hardware,
    extraLatencyMs: spec.extraLatencyMs || undefined,
    topic: { name: spec.topic.name, partitions: spec.topic.numPartitions, replicationFactor: spec.topic.replicationFactor },
    config: { broker: spec.cluster.brokerConfig, topic: spec.topic.configs, consumer: spec.workload.consumerConfig },
    workload: { producers, consumers: spec.workload.consumers },
    faults: { timeline: faults.map((f) => ({ ...f })) },
    phases: { faultsMs, livenessMs: spec.livenessMs, quiesceMs: spec.quiesceMs },
    expect: { shows: [kind], mayShow: others.length > 0 ? others : undefined },
    defaultSeed: seed,
  };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: { kind: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: npm run shrink -- PATH/result.json [--kind KIND] [--out FILE]`);
  }
  if (parsed.positionals.length !== 1) throw new UsageError('give one result.json: npm run shrink -- out/NAME/seed-N/result.json [--kind KIND] [--out FILE]');
  const recorded = readResult(parsed.positionals[0]);
  const kind = targetKind(recorded, parsed.values.kind);
  const { scenario } = await loadScenario(recorded.source);
  if (recorded.mode === 'scenario' && (scenario.faults?.steps?.length ?? 0) > 0) {
    throw new UsageError(`${scenario.name} tells its story in steps (functions): shrinking cuts fault timelines and random schedules only`);
  }
  const settings = parseSettings(Object.entries(recorded.set).map(([key, value]) => `${key}=${value}`));
  const { spec } = resolveRun(scenario, recorded.seed, { mode: recorded.mode, settings, source: recorded.source });
  const file = resolve(parsed.values.out ?? join(ROOT, 'scenarios', 'regressions', `${shrunkName(scenario, recorded.seed, kind)}.ts`));
  prepareOutFile(file, parsed.values.out === undefined ? `the file to write, ${relative(process.cwd(), file)}` : `--out ${parsed.values.out}`);
  console.log(`shrinking seed ${recorded.seed} of ${scenario.name} (${counted(recorded.schedule.length, 'fault')}) while ${kind} appears`);
  const progress = new Progress({ everyS: 5 });
  let tried = 0;
  let shrunk;
  try {
    shrunk = shrinkRun(spec, recorded.schedule, recorded.seed, kind, (step) => {
      tried++;
      progress.update(`run ${tried}: ${step.what}: ${step.reproduced ? `${kind} still appears` : 'gone'}`);
    });
  } catch (error) {
    if (error instanceof ShrinkError) throw new UsageError(error.message);
    throw error;
  }
  progress.done();
  const shrunkSpec = shrunkScenario(scenario, shrunk.spec, shrunk.faults, recorded.seed, kind, shrunk.kinds);
  let importPath = relative(dirname(file), join(ROOT, 'sim', 'scenario.ts'));
  if (!importPath.startsWith('.')) importPath = `./${importPath}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, scenarioSource(shrunkSpec, importPath, [
    `Shrunk by \`npm run shrink\` from ${recorded.source} seed ${recorded.seed}${recorded.mode === 'swarm' ? ' (swarm mode)' : ''}:`,
    `${counted(recorded.schedule.length, 'fault')} -> ${shrunk.faults.length}, in ${counted(shrunk.runs, 'run')}.`,
  ]));
  // Prove it: the file, loaded and run as any scenario file, must fail the same way.
  const shownFile = relative(process.cwd(), file);
  const loaded = await loadScenario(shownFile.startsWith('.') || shownFile.startsWith('/') ? shownFile : `./${shownFile}`);
  const check = runScenario(loaded.scenario, recorded.seed, { mode: 'scenario', source: loaded.source });
  const reproduced = (check.anomalyCounts[kind] ?? 0) > 0;
  console.log(`${counted(recorded.schedule.length, 'fault')} -> ${shrunk.faults.length} (${counted(shrunk.runs, 'run')}); workload ${counted(shrunk.spec.workload.producers.length, 'producer')}, ${counted(shrunk.spec.workload.consumers, 'consumer')}`);
  for (const fault of shrunk.faults) console.log(`  at ${fault.atMs} ms: ${fault.kind} ${fault.target} for ${fault.durationMs} ms${fault.intensity !== undefined ? ` (intensity ${fault.intensity})` : ''}`);
  console.log(`wrote ${shownFile}`);
  console.log(`${reproduced ? 'REPRODUCED' : 'NOT REPRODUCED'}: the file shows ${Object.keys(check.anomalyCounts).join(', ') || 'no anomaly'}; run it: npm run scenario -- ${loaded.source}`);
  return reproduced ? 0 : 1;
}

if (isMainModule(import.meta.url)) runMain('shrink', main);

// `npm start`: the showcase. Runs every catalogue scenario on its default seed, in parallel on worker threads,
// writes each run's result.json and report.html under out/NAME/seed-N/ and an index page, out/index.html,
// and exits 0 when every scenario's verdict is what it expects.

import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CATALOGUE } from '../scenarios/index.ts';
import type { RunResult } from '../sim/result.ts';
import { counted } from '../sim/counted.ts';
import { renderIndex, type IndexEntry } from '../reports/index.ts';
import { runMain } from './command.ts';
import { Progress } from './progress.ts';
import { isMainModule } from './main-module.ts';
import { prepareOutDir } from './out-dir.ts';
import { runDir, writeRun } from './write-run.ts';
import type { SeedTask } from './swarm-task.ts';
import { openSeedPool } from './seed-pool.ts';

const OUT_DIR = 'out';

async function main(): Promise<number> {
  console.log(`Tributary: a Kafka-style replicated log whose broker engine runs in a deterministic network and disk
simulator. The showcase runs every scenario of the catalogue on its default seed (${CATALOGUE.length} scenarios, in
parallel), each a whole cluster: KRaft controllers, brokers with replicated partitions, producers and consumers,
under the scenario's faults; then checkers judge the history (lost writes, duplicates, divergence, ...).
Safe configurations must show no anomaly; unsafe ones must show the anomaly they are famous for.
`);
  prepareOutDir(OUT_DIR, `${OUT_DIR}/ (where npm start writes)`, ['index.html']);
  const workers = Math.max(1, Math.min(availableParallelism(), CATALOGUE.length));
  const pool = await openSeedPool({ workers });
  const progress = new Progress({ everyS: 15 });
  const started = process.hrtime.bigint();
  const results: RunResult[] = [];
  const crashes: string[] = [];
  try {
    await Promise.all(CATALOGUE.map(async (scenario) => {
      const seed = scenario.defaultSeed ?? 1;
      const task: SeedTask = { name: scenario.name, seed, mode: 'scenario', settings: [], source: scenario.name, full: true };
      const outcome = await pool.run(task);
      if (outcome.result === null) crashes.push(`${scenario.name}: ${outcome.seed.why}`);
      else {
        results.push(outcome.result);
        writeRun(OUT_DIR, outcome.result);
        const r = outcome.result;
        // Not judged is never shown as passed: a checker that could not judge is named beside the verdict.
        const unjudged = (r.notJudged ?? []).map((n) => n.checker);
        const found = Object.keys(r.anomalyCounts).join(', ') || 'no anomaly';
        progress.message(`${r.ok ? 'ok  ' : 'FAIL'} ${r.scenario.padEnd(56)} ${found}${unjudged.length > 0 ? `; not judged: ${unjudged.join(', ')}` : ''}`);
      }
      progress.update(`${results.length + crashes.length}/${counted(CATALOGUE.length, 'scenario')} done`);
    }));
  } finally {
    await pool.close();
  }
  progress.done();
  const order = new Map(CATALOGUE.map((s, i) => [s.name, i]));
  results.sort((a, b) => order.get(a.scenario)! - order.get(b.scenario)!);
  mkdirSync(OUT_DIR, { recursive: true });
  const index = join(OUT_DIR, 'index.html');
  writeFileSync(index, renderIndex(indexEntries(OUT_DIR, results), 'Tributary: the scenario catalogue'));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const failing = results.filter((r) => !r.ok);
  console.log(`\n${counted(results.length, 'scenario')} in ${wallS.toFixed(1)} s on ${counted(workers, 'worker thread')}; reports: ${index}`);
  for (const r of failing) console.log(`FAIL ${r.scenario}: ${r.why}\n  reproduce: ${r.reproduce}`);
  for (const crash of crashes) console.log(`CRASH ${crash}`);
  if (failing.length === 0 && crashes.length === 0) {
    console.log('Every scenario shows what it expects. Next: npm run scenarios, npm run scenario -- NAME, npm run swarm -- NAME --seeds 100.');
    return 0;
  }
  return 1;
}

/** The index page's rows: each links the report of its run where writeRun wrote it. */
export function indexEntries(outDir: string, results: readonly RunResult[]): IndexEntry[] {
  return results.map((r) => ({
    scenario: r.scenario, summary: r.summary, seed: r.seed, ok: r.ok, why: r.why,
    href: relative(outDir, join(runDir(outDir, r), 'report.html')).split(sep).join('/'),
    anomalyCounts: r.anomalyCounts,
  }));
}

if (isMainModule(import.meta.url)) runMain('start', main);

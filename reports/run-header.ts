// The top of a run report: what ran, the verdict, how to run it again, and every option of the run.

import type { RunResult } from '../sim/result.ts';
import { formatTime, formatValue } from './format.ts';
import { code, commandBlock, escapeHtml, keyValueTable, table, verdictBadge } from './html.ts';
import { countsText, expectedText } from './kinds.ts';

export function runHeaderHtml(result: RunResult): string {
  const verdictClass = result.ok ? 'ok' : 'bad';
  const facts: Array<[string, string]> = [
    ['scenario', code(result.scenario)],
    ['source', code(result.source)],
    ['seed', code(String(result.seed))],
    ['mode', escapeHtml(result.mode === 'swarm' ? 'swarm (faults and knobs drawn from the seed)' : 'scenario (as written)')],
    ['trace hash', code(result.traceHash)],
    ['expected', escapeHtml(expectedText(result.expected))],
    ['anomalies found', escapeHtml(countsText(result.anomalyCounts))],
    ['not judged', notJudgedText(result)],
    ['simulated time', escapeHtml(formatTime(result.stats.simulatedMs))],
  ];
  return `<header>
<p class="meta">Tributary run report</p>
<h1>${escapeHtml(result.scenario)}</h1>
<p class="summary">${escapeHtml(result.summary)}</p>
<div class="verdict-box ${verdictClass}">${verdictBadge(result.ok)}<div><div class="why">${escapeHtml(result.why)}</div><div class="meta">expected: ${escapeHtml(expectedText(result.expected))}</div></div></div>
${keyValueTable(facts)}
<h3>Reproduce</h3>
<p class="meta">The same seed gives the same run, byte for byte: this command runs it again (and <code>npm run replay -- PATH/result.json</code> checks the trace hash).</p>
${commandBlock(result.reproduce)}
</header>`;
}

/** The options of the run (the banner) and the --set overrides, overridden options marked. */
export function optionsHtml(result: RunResult): string {
  const setKeys = new Set(Object.keys(result.set));
  const setRows = Object.entries(result.set).map(([key, value]) => [code(key), code(value)]);
  const setHtml = setRows.length === 0
    ? '<p class="meta">No <code>--set</code> overrides: the scenario as written.</p>'
    : table(['--set key', 'value'], setRows, 'compact');
  const optionRows = Object.entries(result.options).map(([key, value]) => [
    `${code(key)}${setKeys.has(key) ? ' <span class="pill set">set</span>' : ''}`,
    escapeHtml(formatValue(value)),
  ]);
  const optionsTable = optionRows.length === 0 ? '<p class="meta">The result lists no options.</p>' : table(['option', 'value'], optionRows, 'compact');
  return `<section id="options">
<h2>Options</h2>
<p>Every option of this run, as given or drawn from the seed. Options changed with <code>--set</code> are marked.</p>
${setHtml}
${optionsTable}
${scheduleHtml(result)}
</section>`;
}

/** The fault schedule as run (times from the moment the topic was ready), folded: the timeline draws it. */
function scheduleHtml(result: RunResult): string {
  // Results written before the schedule was recorded have none.
  const schedule = result.schedule ?? [];
  if (schedule.length === 0) return '<p class="meta">No scheduled faults.</p>';
  const rows = schedule.map((f) => [
    code(f.kind),
    code(f.target),
    escapeHtml(formatTime(f.atMs)),
    escapeHtml(formatTime(f.durationMs)),
    escapeHtml(formatValue(f.intensity)),
  ]);
  return `<details>
<summary>Fault schedule as run (${schedule.length} ${schedule.length === 1 ? 'fault' : 'faults'}; times from when the topic was ready)</summary>
${table(['kind', 'target', 'at', 'lasting', 'intensity'], rows, 'compact')}
</details>`;
}

/** The checkers that did not judge the run, linked to why; "none" when every one did. */
function notJudgedText(result: RunResult): string {
  const entries = result.notJudged;
  if (entries === undefined) return '<span class="meta">not recorded in this result (written before it was)</span>';
  if (entries.length === 0) return '<span class="meta">none: every checker judged the run</span>';
  return `<a class="pill unjudged" href="#not-judged">not judged</a> ${entries.map((entry) => code(entry.checker)).join(' ')}`;
}

// Tributary's HTML reports: a run's report.html, a swarm's swarm.html, and an index page of run reports.
// Inputs are plain JSON results (sim/result.ts); outputs are self-contained HTML strings.

export { renderRunReport } from './run-report.ts';
export { renderSwarmReport } from './swarm-report.ts';
export { renderIndex, type IndexEntry } from './index-page.ts';

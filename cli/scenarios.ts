// `npm run scenarios`: the catalogue, one scenario a line: its name, whether its configuration is safe (it must
// show no anomaly) or unsafe (it must show the anomaly it teaches), then a one-line description. The name
// stays the first column: scripts read it (awk '$1').

import { CATALOGUE } from '../scenarios/index.ts';
import type { Scenario } from '../sim/scenario.ts';

export function safety(scenario: Pick<Scenario, 'expect'>): 'safe' | 'unsafe' {
  return scenario.expect === 'no-anomalies' ? 'safe' : 'unsafe';
}

const width = Math.max(...CATALOGUE.map((scenario) => scenario.name.length));
for (const scenario of CATALOGUE) console.log(`${scenario.name.padEnd(width)}  ${safety(scenario).padEnd(6)}  ${scenario.summary}`);

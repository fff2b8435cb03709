// `npm run scenarios`: the catalogue, one scenario a line: its name, then a one-line description.

import { CATALOGUE } from '../scenarios/index.ts';

const width = Math.max(...CATALOGUE.map((scenario) => scenario.name.length));
for (const scenario of CATALOGUE) console.log(`${scenario.name.padEnd(width)}  ${scenario.summary}`);

// Writes a data-only scenario (no story steps) as the TypeScript source of a scenario file: what `npm run
// shrink` leaves behind, so that a shrunk reproduction joins the catalogue or the regression suite as a file.

import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenario.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `importPath`: how the file imports the scenario API (e.g. '../../sim/scenario.ts'). */
export function scenarioSource(scenario: Scenario, importPath: string, header: readonly string[]): string {
  if (scenario.faults?.steps !== undefined && scenario.faults.steps.length > 0) {
    throw new ScenarioError(scenario.name, ['faults.steps: story steps are functions and cannot be written as data']);
  }
  const lines = header.map((line) => `// ${line}`.trimEnd());
  return `${lines.join('\n')}\n\nimport { defineScenario } from ${quote(importPath)};\n\nexport default defineScenario(${literal(scenario, '')});\n`;
}

function literal(value: unknown, indent: string): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.includes('\n') ? template(value) : quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => literal(v, inner)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join('\n')}\n${indent}]`;
  }
  // Absent and empty sections are left out: the file says only what the scenario sets.
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && !isEmptyObject(v));
  if (entries.length === 0) return '{}';
  const flat = entries.every(([, v]) => typeof v !== 'object' || v === null);
  const parts = entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : quote(k)}: ${literal(v, inner)}`);
  if (flat && parts.join(', ').length < 100) return `{ ${parts.join(', ')} }`;
  return `{\n${parts.map((p) => `${inner}${p},`).join('\n')}\n${indent}}`;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function template(text: string): string {
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

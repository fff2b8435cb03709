// The banner every run prints first (TigerBeetle's seed banner): the scenario, the seed and every option of
// the run, drawn or given, so that a log line alone says what ran.

export function banner(scenario: string, seed: number, options: Readonly<Record<string, string | number | boolean>>): string {
  const width = Math.max(...Object.keys(options).map((key) => key.length));
  const lines = [`scenario ${scenario}  seed ${seed}`];
  for (const [key, value] of Object.entries(options)) lines.push(`  ${key.padEnd(width)}  ${value}`);
  return lines.join('\n');
}

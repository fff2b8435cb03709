// Counts as English reads them: "1 partition", "2 partitions", "0 faults". For every line a person reads (the
// run banner here, the CLI's summaries), so that no count prints as "1 seeds".

/** `n` and the noun, plural unless n is 1; `plural` for a noun that does not just add an s. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

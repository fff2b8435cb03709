// Did you mean ...? The nearest names by edit distance, for unknown keys and enum values.
//
// Names are compared case-insensitively with `_` and `-` read as `.`, so `LINGER_MS` finds `linger.ms`. A
// candidate is near when its distance is small for its length, or when one name contains the other at a dot
// boundary (`retention.ms` ↔ `log.retention.ms`).

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[_-]/g, '.');
}

function containsAtDot(longer: string, shorter: string): boolean {
  if (shorter.length < 4 || !longer.includes(shorter)) return false;
  const at = longer.indexOf(shorter);
  const before = at === 0 || longer[at - 1] === '.';
  const after = at + shorter.length === longer.length || longer[at + shorter.length] === '.';
  return before && after;
}

/** Up to `limit` candidates near `name`, nearest first (ties by name). */
export function nearest(name: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = normalise(name);
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const other = normalise(candidate);
    const distance = editDistance(wanted, other);
    const threshold = Math.max(2, Math.floor(Math.max(wanted.length, other.length) / 4));
    if (distance <= threshold) {
      scored.push({ candidate, score: distance });
    } else if (containsAtDot(other, wanted) || containsAtDot(wanted, other)) {
      scored.push({ candidate, score: threshold + 1 });
    }
  }
  scored.sort((x, y) => x.score - y.score || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0));
  return scored.slice(0, limit).map((entry) => entry.candidate);
}

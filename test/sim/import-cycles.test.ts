// The simulator's modules import one another without cycles (type-only imports included): a cycle means two
// files are one concept split badly, or a piece sits in the wrong file (FaultLog in cluster-run.ts once did).
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/g;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

/** The files that import one another in a ring (the import graph's strongly connected components, Tarjan). */
function cycles(files: readonly string[]): string[][] {
  const imports = new Map(files.map((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((match) => normalize(join(dirname(file), match[1]!)));
    return [file, targets.filter((target) => files.includes(target))] as const;
  }));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const rings: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of imports.get(file)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const ring: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      ring.push(member);
    } while (member !== file);
    if (ring.length > 1 || imports.get(file)!.includes(file)) rings.push(ring.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return rings;
}

test('sim/ has no import cycle', (t) => {
  const files = sources('sim');
  t.true(files.length > 30, `read ${files.length} files under ${relative(process.cwd(), ROOT) || '.'}sim`);
  t.deepEqual(cycles(files), []);
});

// Whether a module is the script node was started with: the guard an entry point puts before running its
// main, so that importing it (a test, merge importing swarm) runs nothing.
//
// Compared as file paths, not as strings of URLs: import.meta.url is percent-encoded (a space is %20) and
// names the real file, while argv[1] is the path as typed; `file://` + argv[1] matched neither in a checkout
// whose path has a space or goes through a symlink, and every command then did nothing and exited 0.

import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function isMainModule(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  if (script === undefined || !moduleUrl.startsWith('file:')) return false;
  return canonicalPath(fileURLToPath(moduleUrl)) === canonicalPath(resolve(script));
}

function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

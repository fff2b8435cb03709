// package.json against what it installs: every Node version our `engines` admits must be one each direct
// dependency admits, and each @types package must describe the version of the package it types.

import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

interface PackageJson {
  readonly version: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ours = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
const direct = [...Object.keys(ours.dependencies ?? {}), ...Object.keys(ours.devDependencies ?? {})];

/** The installed package.json of `name`, found as Node finds a package from `fromDir` (nested ones first). */
function installed(name: string, fromDir = ROOT): PackageJson & { dir: string } {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const path = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(path)) return { ...(JSON.parse(readFileSync(path, 'utf8')) as PackageJson), dir: dirname(path) };
    if (dirname(dir) === dir) throw new Error(`${name} is not installed under ${fromDir}: run npm ci`);
  }
}

test('every Node version package.json admits is one each direct dependency admits', (t) => {
  const engines = ours.engines?.node;
  if (engines === undefined) return t.fail('package.json has no engines.node');
  // Direct dependencies only: @platformatic/kafka's own dependencies claim Node >= 22.19, yet it declares
  // >= 20.19.4 itself and its compatibility tests run here on Node 20; that claim is theirs to settle.
  for (const name of direct) {
    const needed = installed(name).engines?.node;
    if (needed === undefined) continue;
    t.true(semver.subset(engines, needed), `${name} needs Node ${needed}; package.json's engines "${engines}" admits versions it does not`);
  }
});

test('each @types package describes the major version installed', (t) => {
  for (const name of direct.filter((n) => n.startsWith('@types/'))) {
    const typed = name.slice('@types/'.length);
    const types = installed(name);
    if (typed === 'node') {
      t.is<number | undefined, number | undefined>(semver.major(types.version), semver.minVersion(ours.engines?.node ?? '0')?.major, '@types/node is for the oldest Node that engines admits');
      continue;
    }
    const lib = installed(typed);
    if (typed === 'jsdom' && semver.major(lib.version) === 29) {
      // DefinitelyTyped published no @types/jsdom 29: 28.0.3 and then 30.0.0, whose declarations are the same
      // but for undici-types (7 for jsdom 29's undici 7, 8 for jsdom 30's). The nearest is the one whose
      // undici-types major is jsdom's undici major.
      const undiciTypes = installed('undici-types', types.dir);
      const undici = installed('undici', lib.dir);
      t.is(semver.major(undiciTypes.version), semver.major(undici.version), `@types/jsdom ${types.version} types undici ${undiciTypes.version}; jsdom ${lib.version} runs undici ${undici.version}`);
      continue;
    }
    t.is(semver.major(types.version), semver.major(lib.version), `${name} ${types.version} for ${typed} ${lib.version}`);
  }
});

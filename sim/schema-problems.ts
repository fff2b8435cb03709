// Schemas that refuse what they do not know, and the problems they find read as a person would say them.
//
// Built on zod: `strict()` is an object that refuses every key it does not name and `oneOf()` a closed set of
// strings; both answer with the nearest name (did you mean ...?). `schemaProblems()` turns zod's issues into
// one line per problem, each starting with its path as it is written in a file
// (`workload.producers[1].valueBytes: ...`), all of them at once.
//
// Two readings make the lines better than zod's own:
// - An unknown key is named by its own path, with the nearest key the object has and the keys it has; the
//   "missing" complaint about that nearest key, when it is absent, is left out (it is the same mistake).
// - A value that matches none of a union's shapes is judged against the one shape its type fits (an object
//   for `expect: { shows: [...] }`, a list for `valueBytes: [16, 'x']`), so the problems are that shape's.

import * as z from 'zod';
import { nearest } from '../engine/config/suggest.ts';

type PathKey = PropertyKey;

/** What an object's keys are called in messages: `key` by default, `fault kind` for `{ crash: 1, pause: 2 }`. */
const KEY_NOUNS = z.registry<{ readonly keyNoun: string }>();

/** A value as a message shows it: JSON where it can, its type where it cannot. */
export function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The message a field gives when its value is wrong: `TEXT, got VALUE`, or `missing: TEXT` when the field is
 * absent; TEXT says what is allowed (`must be a whole number >= 1`). For zod's `error` option.
 */
export function rule(text: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => (issue.input === undefined ? `missing: ${text}` : `${text}, got ${show(issue.input)}`) };
}

/** `{ brokers, controllers, racks? }`: the keys an object has, optional ones marked. */
function describeShape(shape: z.ZodRawShape): string {
  const keys = Object.entries(shape).map(([key, field]) => (z.safeParse(field, undefined).success ? `${key}?` : key));
  return `{ ${keys.join(', ')} }`;
}

export interface StrictOptions {
  /** What the keys are called when they are names rather than fields (`fault kind`). */
  readonly keyNoun?: string;
  /** The message for a value that is not an object (by default: missing, or must be an object with these keys). */
  readonly notAnObject?: (issue: { readonly input?: unknown }) => string;
}

/**
 * An object with exactly these keys. Each unknown key is a problem of its own, with the nearest known one.
 */
export function strict<S extends z.ZodRawShape>(shape: S, options: StrictOptions = {}): z.ZodObject<S, z.core.$strict> {
  const notAnObject = options.notAnObject ?? rule(`must be an object ${describeShape(shape)}`).error;
  const schema = z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? notAnObject(issue) : undefined) });
  if (options.keyNoun !== undefined) schema.register(KEY_NOUNS, { keyNoun: options.keyNoun });
  return schema;
}

/** One of these strings; anything else is answered with the nearest of them. `noun` names them (`fault kind`). */
export function oneOf<const T extends readonly string[]>(values: T, noun: string): z.ZodEnum<z.core.util.ToEnum<T[number]>> {
  const list = values.join(', ');
  return z.enum(values, {
    error: (issue) => {
      if (issue.input === undefined) return `missing: a ${noun}, one of ${list}`;
      if (typeof issue.input !== 'string') return `must be a ${noun}, one of ${list}, got ${show(issue.input)}`;
      const [near] = nearest(issue.input, values, 1);
      return `unknown ${noun} ${show(issue.input)}${near === undefined ? '' : `; did you mean ${near}?`} (one of ${list})`;
    },
  });
}

/** A function, typed as `T` (zod checks only that it is one; what it does is the step's business). */
export function fn<T extends (...args: never[]) => unknown>(what: string): z.ZodType<T> {
  return z.custom<T>((value) => typeof value === 'function', rule(`must be ${what}`));
}

/** Every problem `schema` finds in `input`, one line each, path first; empty when the input is valid. */
export function schemaProblems(schema: z.ZodType, input: unknown, rootName: string): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  const found: Problem[] = [];
  collect({ root: schema, rootName, input }, result.error.issues, [], found);
  // A misspelt key's nearest key is usually the one it was meant to be: do not also report that one missing.
  const meant = new Set(found.flatMap((p) => (p.meant === undefined ? [] : [pathText(p.meant)])));
  return found
    .filter((p) => !(p.missing && meant.has(pathText(p.path))))
    .map((p) => (p.path.length === 0 ? p.message : `${pathText(p.path)}: ${p.message}`));
}

interface Problem {
  readonly path: readonly PathKey[];
  readonly message: string;
  /** The input has nothing at `path`. */
  readonly missing: boolean;
  /** For an unknown key, the path of the known key nearest to it. */
  readonly meant?: readonly PathKey[];
}

interface Walk {
  readonly root: z.ZodType;
  /** What the whole input is, for messages about its top level (`a scenario`). */
  readonly rootName: string;
  readonly input: unknown;
}

function collect(walk: Walk, issues: readonly z.core.$ZodIssue[], prefix: readonly PathKey[], found: Problem[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const branch = fittingBranch(issue.errors);
      if (branch !== undefined) {
        collect(walk, branch, path, found);
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      const object = objectAt(walk.root, path);
      for (const key of issue.keys) found.push(unknownKey(walk, object, path, key));
      continue;
    }
    found.push({ path, message: issue.message, missing: valueAt(walk.input, path) === undefined });
  }
}

function unknownKey(walk: Walk, object: z.ZodObject | undefined, path: readonly PathKey[], key: string): Problem {
  if (object === undefined) return { path: [...path, key], message: 'unknown key', missing: false };
  const known = Object.keys(object.shape);
  const [near] = nearest(key, known, 1);
  const hint = near === undefined ? '' : `; did you mean ${near}?`;
  const meant = near === undefined ? undefined : [...path, near];
  const noun = KEY_NOUNS.get(object)?.keyNoun;
  // Keys that are names (fault kinds) are reported on the object, as a bad value would be.
  if (noun !== undefined) return { path, message: `unknown ${noun} ${show(key)}${hint} (one of ${known.join(', ')})`, missing: false, meant };
  const owner = path.length === 0 ? walk.rootName : pathText(path);
  return { path: [...path, key], message: `unknown key${hint} (${owner} has ${describeShape(object.shape)})`, missing: false, meant };
}

/**
 * The branch of a failed union whose shape the value's type fits: the only one that did not fail on the value
 * itself being of another type or value. Undefined when none or several do (the union's own message says
 * what is allowed).
 */
function fittingBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const fitting = branches.filter((issues) => !issues.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
  return fitting.length === 1 ? fitting[0] : undefined;
}

/** The object schema that validates the value at `path`, looking through optional, readonly, lists and unions. */
function objectAt(schema: z.ZodType, path: readonly PathKey[]): z.ZodObject | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodReadonly) return objectAt(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as readonly z.ZodType[]) {
      const found = objectAt(option, path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (path.length === 0) return schema instanceof z.ZodObject ? schema : undefined;
  const [head, ...rest] = path;
  if (schema instanceof z.ZodObject && typeof head === 'string') {
    const field = (schema.shape as z.ZodRawShape)[head];
    return field === undefined ? undefined : objectAt(field as z.ZodType, rest);
  }
  if (schema instanceof z.ZodArray && typeof head === 'number') return objectAt(schema.element as z.ZodType, rest);
  if (schema instanceof z.ZodRecord) return objectAt(schema.valueType as z.ZodType, rest);
  return undefined;
}

/** What `input` holds at `path`; undefined where it holds nothing (or is not an object on the way). */
export function valueAt(input: unknown, path: readonly PathKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `workload.producers[1].valueBytes`, `swarm.faults.mix['power-loss']`: a path as a file would write it. */
export function pathText(path: readonly PathKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `['${String(key).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return text;
}

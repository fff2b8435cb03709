// Converts one value as a user wrote it (a properties-file string, or a number/boolean/list from code) into
// the typed value of its key, as Kafka parses properties: `'1000'` → 1000, `'true'` → true, `'a, b'` →
// ['a', 'b'], strings trimmed. Anything the key does not allow is a reason, never an exception; a value Kafka
// allows but Tributary does not model (see NotModelledValues) also says why it is not modelled.

import type { ConfigDef, EnumDef, ListDef, NumberDef } from './definition.ts';
import { LONG_MAX, LONG_MIN, formatNumber, numberBounds } from './definition.ts';
import { nearest } from './suggest.ts';
import type { ConfigInputValue, ConfigValue } from './types.ts';

export type Coerced =
  | { readonly ok: true; readonly value: ConfigValue }
  | { readonly ok: false; readonly reason: string; readonly notModelled?: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const JAVA_LONG_MAX = 9_223_372_036_854_775_807n;
const JAVA_LONG_MIN = -9_223_372_036_854_775_808n;

export function coerceValue(def: ConfigDef, raw: ConfigInputValue): Coerced {
  switch (def.type) {
    case 'int':
    case 'long':
    case 'double':
      return coerceNumber(def, raw);
    case 'boolean':
      return coerceBoolean(raw);
    case 'string':
      if (typeof raw === 'string') return ok(raw.trim());
      if (typeof raw === 'number' || typeof raw === 'boolean') return ok(String(raw));
      return fail('a list where a string is expected');
    case 'enum':
      return coerceEnum(def, raw);
    case 'list':
      return coerceList(def, raw);
  }
}

function ok(value: ConfigValue): Coerced {
  return { ok: true, value };
}

function fail(reason: string): Coerced {
  return { ok: false, reason };
}

/** A value Kafka allows and Tributary does not model: `why` says what the engine does instead. */
function notModelled(reason: string, why: string): Coerced {
  return { ok: false, reason, notModelled: why };
}

function notModelledWhy(def: EnumDef | ListDef, text: string): string | undefined {
  const table = def.notModelledValues;
  return table !== undefined && Object.hasOwn(table, text) ? table[text] : undefined;
}

function coerceNumber(def: NumberDef, raw: ConfigInputValue): Coerced {
  const parsed = def.type === 'double' ? readDouble(raw) : readInteger(def.type, raw);
  if (typeof parsed === 'string') return fail(parsed);
  const { min, max } = numberBounds(def);
  if (parsed < min) return fail(`below the minimum ${formatNumber(min)}`);
  if (parsed > max) return fail(`above the maximum ${formatNumber(max)}`);
  return ok(parsed);
}

/** An int or long, or why not. A long beyond JS's safe integers (up to Java's Long.MAX_VALUE) reads as LONG_MAX. */
function readInteger(type: 'int' | 'long', raw: ConfigInputValue): number | string {
  const what = type === 'int' ? 'not an int' : 'not a long';
  let big: bigint;
  // A double cannot hold 2^63 - 1: the number 9223372036854775807 arrives as 2^63, so a number may reach it.
  let longMax = JAVA_LONG_MAX;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return what;
    big = BigInt(raw);
    longMax = JAVA_LONG_MAX + 1n;
  } else if (typeof raw === 'string' && INTEGER.test(raw.trim())) {
    big = BigInt(raw.trim());
  } else {
    return what;
  }
  if (type === 'int') {
    if (big > 2_147_483_647n || big < -2_147_483_648n) return `${what} (outside [-2147483648, 2147483647])`;
    return Number(big);
  }
  if (big > longMax || big < JAVA_LONG_MIN) return `${what} (outside Java's long range)`;
  if (big > BigInt(LONG_MAX)) return LONG_MAX;
  if (big < BigInt(LONG_MIN)) return LONG_MIN;
  return Number(big);
}

function readDouble(raw: ConfigInputValue): number | string {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : 'not a finite double';
  if (typeof raw === 'string' && DECIMAL.test(raw.trim())) return Number(raw.trim());
  return 'not a double';
}

function coerceBoolean(raw: ConfigInputValue): Coerced {
  if (typeof raw === 'boolean') return ok(raw);
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return ok(true);
    if (text === 'false') return ok(false);
  }
  return fail('not a boolean');
}

function coerceEnum(def: EnumDef, raw: ConfigInputValue): Coerced {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail('not a string');
  const text = String(raw).trim();
  const value = canonical(def, text);
  if (value !== undefined) return ok(value);
  const why = notModelledWhy(def, text);
  if (why !== undefined) return notModelled(`Kafka allows ${JSON.stringify(text)}, but Tributary does not model it`, why);
  return fail(`not one of the allowed values${didYouMean(def, text)}`);
}

function coerceList(def: ListDef, raw: ConfigInputValue): Coerced {
  let items: string[];
  if (typeof raw === 'string') {
    const text = raw.trim();
    items = text === '' ? [] : text.split(',').map((item) => item.trim());
  } else if (typeof raw === 'number') {
    items = [String(raw)];
  } else if (typeof raw === 'boolean') {
    return fail('a boolean where a list is expected');
  } else {
    items = raw.map((item) => String(item).trim());
  }
  if (items.length === 0 && def.nonEmpty) return fail('empty');
  if (def.maxItems !== undefined && items.length > def.maxItems.count) {
    return notModelled(`Kafka allows ${items.length} items, but Tributary models at most ${def.maxItems.count}`, def.maxItems.notModelled);
  }
  const values: string[] = [];
  for (const item of items) {
    if (item === '') return fail('an empty item (a stray comma?)');
    if (def.values) {
      const value = canonical(def, item);
      const why = value === undefined ? notModelledWhy(def, item) : undefined;
      if (why !== undefined) return notModelled(`Kafka allows ${JSON.stringify(item)}, but Tributary does not model it`, why);
      if (value === undefined) return fail(`item ${JSON.stringify(item)} is not allowed${didYouMean(def, item)}`);
      values.push(value);
    } else {
      if (def.itemPattern && !def.itemPattern.test(item)) {
        return fail(`item ${JSON.stringify(item)} is not one of ${def.itemDoc ?? def.itemPattern.source}`);
      }
      values.push(item);
    }
  }
  return ok(Object.freeze(values));
}

/** The canonical spelling of a value (itself or via an alias), or undefined when not allowed. */
function canonical(def: EnumDef | ListDef, text: string): string | undefined {
  if (def.values?.includes(text)) return text;
  const aliases = def.aliases ?? {};
  return Object.hasOwn(aliases, text) ? aliases[text] : undefined;
}

function didYouMean(def: EnumDef | ListDef, text: string): string {
  const spellings = [...(def.values ?? []), ...Object.keys(def.aliases ?? {})];
  const [best] = nearest(text, spellings, 1);
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}

import { HEADERS_MATCH_MODES, type HeadersMatchMode } from '../arguments';
import type { HeaderCheck } from './types';

/** A headers-exchange binding prepared once for many messages. */
export interface HeadersPattern {
  mode: HeadersMatchMode;
  /** Why the broker refuses this binding (a bad `x-match`); such a binding routes nothing. */
  invalid?: string;
  /** The binding arguments the broker compares, in document order. */
  keys: { key: string; expected: unknown; presence: boolean }[];
  /** `x-` arguments the broker skips in the all / any modes. */
  ignored: string[];
}

const isMode = (value: unknown): value is HeadersMatchMode =>
  typeof value === 'string' && (HEADERS_MATCH_MODES as readonly string[]).includes(value);

/**
 * Reads a binding's arguments as rabbit_exchange_type_headers does: `x-match` picks the mode
 * (absent means all); in all / any every other `x-` argument is skipped; a null value (AMQP
 * void) asks only that the header be present.
 */
export function compileHeadersPattern(args: Record<string, unknown> | undefined): HeadersPattern {
  const table = args ?? {};
  const rawMode = table['x-match'];
  let mode: HeadersMatchMode = 'all';
  let invalid: string | undefined;
  if (isMode(rawMode)) mode = rawMode;
  else if (rawMode !== undefined) {
    invalid =
      typeof rawMode === 'string'
        ? `x-match '${rawMode}' is not one of all, any, all-with-x, any-with-x, so the broker refuses this binding and it routes nothing`
        : `x-match must be text (all, any, all-with-x or any-with-x), so the broker refuses this binding and it routes nothing`;
  }
  const withX = mode === 'all-with-x' || mode === 'any-with-x';
  const keys: HeadersPattern['keys'] = [];
  const ignored: string[] = [];
  for (const key of Object.keys(table)) {
    const expected = table[key];
    // amqplib leaves undefined values out of the table it sends.
    if (key === 'x-match' || expected === undefined) continue;
    if (!withX && key.startsWith('x-')) {
      ignored.push(key);
      continue;
    }
    keys.push({ key, expected, presence: expected === null });
  }
  return invalid === undefined ? { mode, keys, ignored } : { mode, invalid, keys, ignored };
}

export interface HeadersVerdict {
  matched: boolean;
  checks: HeaderCheck[];
  reason: string;
}

/** Compares a message's headers with a prepared binding, as the broker does. */
export function headersMatch(
  pattern: HeadersPattern,
  headers: Record<string, unknown> | undefined,
): HeadersVerdict {
  const data = headers ?? {};
  const checks: HeaderCheck[] = [];
  let all = true;
  let any = false;
  for (const { key, expected, presence } of pattern.keys) {
    const actual = data[key];
    const present = actual !== undefined && Object.hasOwn(data, key);
    const ok = present && (presence || brokerEquals(expected, actual));
    const check: HeaderCheck = { key, present, ok };
    if (!presence) check.expected = expected;
    if (present) check.actual = actual;
    checks.push(check);
    if (ok) any = true;
    else all = false;
  }
  if (pattern.invalid !== undefined) return { matched: false, checks, reason: pattern.invalid };
  const requireAll = pattern.mode === 'all' || pattern.mode === 'all-with-x';
  const matched = requireAll ? all : any;
  return { matched, checks, reason: headersReason(pattern, checks, matched) };
}

function headersReason(pattern: HeadersPattern, checks: HeaderCheck[], matched: boolean): string {
  const mode = `x-match ${pattern.mode}`;
  const requireAll = pattern.mode === 'all' || pattern.mode === 'all-with-x';
  const ignored =
    pattern.ignored.length > 0
      ? ` (${pattern.ignored.map((k) => `'${k}'`).join(', ')} ${pattern.ignored.length > 1 ? 'are' : 'is'} ignored: x- arguments only count with ${requireAll ? 'all-with-x' : 'any-with-x'})`
      : '';
  if (checks.length === 0) {
    return requireAll
      ? `${mode} with no headers to compare matches every message${ignored}`
      : `${mode} with no headers to compare matches no message${ignored}`;
  }
  if (requireAll) {
    if (matched)
      return `${mode}: every header matches, ${checks.map(describeCheck).join(', ')}${ignored}`;
    return `${mode}: ${checks
      .filter((c) => !c.ok)
      .map(describeCheck)
      .join(', ')}${ignored}`;
  }
  if (matched) {
    const hit = checks.filter((c) => c.ok);
    return `${mode}: ${hit.map(describeCheck).join(', ')}, and one is enough${ignored}`;
  }
  return `${mode}: none of the headers match, ${checks.map(describeCheck).join(', ')}${ignored}`;
}

function describeCheck(check: HeaderCheck): string {
  const key = `'${check.key}'`;
  const presenceOnly = !Object.hasOwn(check, 'expected');
  if (!check.present)
    return presenceOnly ? `${key} is missing (needed with any value)` : `${key} is missing`;
  if (presenceOnly) return `${key} is present (any value will do)`;
  if (check.ok) return `${key} = ${formatValue(check.expected)}`;
  const actual = formatValue(check.actual);
  const expected = formatValue(check.expected);
  const kinds = kindOf(check.actual) !== kindOf(check.expected);
  return kinds
    ? `${key} is ${actual} (${kindOf(check.actual)}), not ${expected} (${kindOf(check.expected)})`
    : `${key} is ${actual}, not ${expected}`;
}

/** A header or argument value as a learner reads it: text quoted, numbers and booleans bare. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'no value';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return `a ${typeof value} that cannot be shown`;
  }
}

function kindOf(value: unknown): string {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (value === null) return 'no value';
  if (Array.isArray(value)) return 'a list';
  return 'a table';
}

/** A value as amqplib puts it on the wire: its field-table tag and the value the broker reads. */
interface Encoded {
  tag: string;
  value: unknown;
}

// amqplib encodes a JS number as a double only when it has a fraction (below 2^50) or is too
// large for a signed 64-bit integer; otherwise as the smallest signed integer that holds it.
function numberTag(n: number): string {
  if (n >= 0x8000000000000000 || (Math.abs(n) < 0x4000000000000 && Math.floor(n) !== n)) return 'd';
  if (n < 128 && n >= -128) return 'b';
  if (n >= -0x8000 && n < 0x8000) return 's';
  if (n >= -0x80000000 && n < 0x80000000) return 'I';
  return 'l';
}

const TRAPDOOR_TAGS: Record<string, string> = {
  double: 'd',
  float64: 'd',
  float: 'f',
  int8: 'b',
  byte: 'b',
  int16: 's',
  short: 's',
  int32: 'I',
  int: 'I',
  int64: 'l',
  long: 'l',
  timestamp: 'T',
  decimal: 'D',
  string: 'S',
  boolean: 't',
};

function encode(value: unknown): Encoded {
  if (typeof value === 'string') return { tag: 'S', value };
  if (typeof value === 'number') return { tag: numberTag(value), value };
  if (typeof value === 'boolean') return { tag: 't', value };
  if (value === null) return { tag: 'V', value: null };
  if (Array.isArray(value)) return { tag: 'A', value };
  if (value instanceof Uint8Array) return { tag: 'x', value };
  if (typeof value === 'object' && Object.hasOwn(value, '!')) {
    // amqplib's way to force a type: { '!': 'int64', value: 5 }.
    const typed = value as { '!': unknown; value?: unknown };
    const tag = typeof typed['!'] === 'string' ? TRAPDOOR_TAGS[typed['!']] : undefined;
    return { tag: tag ?? '?', value: typed.value };
  }
  if (typeof value === 'object') return { tag: 'F', value };
  return { tag: '?', value };
}

const NUMERIC = new Set(['b', 's', 'I', 'l', 'd', 'f', 'T']);

/**
 * Whether the broker finds a binding value equal to a header value. The headers exchange
 * compares values with Erlang's `==`, which ignores the field type for numbers (1 == 1.0) and
 * compares text byte by byte; inside arrays and tables the types are part of the value.
 */
export function brokerEquals(expected: unknown, actual: unknown): boolean {
  const a = encode(expected);
  const b = encode(actual);
  if (NUMERIC.has(a.tag) && NUMERIC.has(b.tag)) return Number(a.value) === Number(b.value);
  return sameContent(a, b);
}

function sameContent(a: Encoded, b: Encoded): boolean {
  const bytesA = a.tag === 'S' || a.tag === 'x';
  const bytesB = b.tag === 'S' || b.tag === 'x';
  if (bytesA && bytesB) return sameBytes(a.value, b.value);
  if (a.tag !== b.tag && !(NUMERIC.has(a.tag) && NUMERIC.has(b.tag))) return false;
  switch (a.tag) {
    case 't':
    case 'V':
      return a.value === b.value;
    case 'A': {
      const x = a.value as unknown[];
      const y = b.value as unknown[];
      return x.length === y.length && x.every((v, i) => sameTyped(v, y[i]));
    }
    case 'F': {
      const x = definedEntries(a.value as Record<string, unknown>);
      const y = definedEntries(b.value as Record<string, unknown>);
      return (
        x.length === y.length &&
        x.every(([k, v], i) => {
          const other = y[i];
          return other !== undefined && other[0] === k && sameTyped(v, other[1]);
        })
      );
    }
    default:
      return NUMERIC.has(a.tag) ? Number(a.value) === Number(b.value) : false;
  }
}

/** Inside arrays and tables the broker compares {Type, Value} pairs: the tags must agree too. */
function sameTyped(x: unknown, y: unknown): boolean {
  const a = encode(x);
  const b = encode(y);
  if (a.tag !== b.tag) return false;
  return NUMERIC.has(a.tag) ? Number(a.value) === Number(b.value) : sameContent(a, b);
}

function definedEntries(table: Record<string, unknown>): [string, unknown][] {
  return Object.entries(table).filter(([, v]) => v !== undefined);
}

function sameBytes(x: unknown, y: unknown): boolean {
  if (typeof x === 'string' && typeof y === 'string') return x === y;
  const bx = typeof x === 'string' ? new TextEncoder().encode(x) : (x as Uint8Array);
  const by = typeof y === 'string' ? new TextEncoder().encode(y) : (y as Uint8Array);
  return bx.length === by.length && bx.every((v, i) => v === by[i]);
}

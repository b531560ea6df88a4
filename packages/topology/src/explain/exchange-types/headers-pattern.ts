import { HEADERS_MATCH_MODES, type HeadersMatchMode } from '../../arguments';
import type { HeaderCheck } from '../types';
import { brokerEquals, formatValue, kindOf } from '../field-values';

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

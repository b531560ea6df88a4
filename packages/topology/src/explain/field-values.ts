/**
 * Values of AMQP field tables (headers and binding arguments) as the broker reads them and as a
 * learner reads them.
 */

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

/** What kind of value a learner sees: text, a number, a boolean, no value, a list or a table. */
export function kindOf(value: unknown): string {
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

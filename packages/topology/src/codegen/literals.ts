/**
 * Names and values written into generated code. Object names come from users and may hold
 * quotes, spaces, backslashes, `$`, newlines or any Unicode: each language gets a literal that
 * reads back as exactly the same string.
 */

/** JavaScript's line terminators beyond \n and \r, which JSON.stringify leaves raw. */
const SEPARATORS = /[\u2028\u2029]/g;
const escapeSeparators = (text: string) =>
  text.replace(SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** A single-quoted TypeScript string literal. */
export function tsString(text: string): string {
  const inner = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return escapeSeparators(`'${inner}'`);
}

/** A TypeScript expression for a JSON-like value (argument tables, headers). */
export function tsValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tsValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${tsKey(k)}: ${tsValue(v)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return tsString(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

function tsKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : tsString(key);
}

/**
 * A Python 3 literal. JSON string escapes (\", \\, \n, \uXXXX) all mean the same in Python, and
 * Python source is UTF-8, so JSON's string form serves; true/false/null become Python words.
 */
export function pyValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyValue(k)}: ${pyValue(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  // What JSON cannot carry (NaN, functions) cannot come from a document either.
  return 'None';
}

/** A word for bash: bare when it is plainly safe, otherwise single-quoted. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A path segment for the management API. encodeURIComponent leaves `!'()*` alone; they are
 * legal in a path, but encoding them too keeps the URL safe to paste anywhere.
 */
export function urlSegment(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An HCL quoted string; `${` and `%{` would start a template, so they are doubled. */
export function hclString(text: string): string {
  let out = '"';
  for (const c of text) {
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c.charCodeAt(0) < 0x20 || c === '\u2028' || c === '\u2029')
      out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  // In a replacement string `$$` stands for one `$`.
  return `${out.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{')}"`;
}

/** An HCL expression for a JSON-like value, on one line. */
export function hclValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${hclString(k)} = ${hclValue(v)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return hclString(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** A name inside a comment: quoted, on one line whatever it holds. */
export function commentName(text: string): string {
  return escapeSeparators(JSON.stringify(text));
}

/**
 * An identifier made from a user's name (`publish_checkout`, `publishCheckout`), unique among
 * `taken`. Names with nothing usable fall back to the numbered `fallback`.
 */
export function identifier(
  prefix: string,
  name: string,
  style: 'camel' | 'snake',
  taken: Set<string>,
  fallback: string,
): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  let base: string;
  if (words.length === 0) base = fallback;
  else if (style === 'snake') base = [prefix, ...words].filter((w) => w !== '').join('_');
  else
    base =
      prefix === ''
        ? words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('')
        : prefix + words.map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1)).join('');
  if (/^[0-9]/.test(base)) base = `_${base}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
  taken.add(candidate);
  return candidate;
}

/**
 * Headers and arguments as the inspector edits them: one `name: value` per line. Values stay
 * strings, because a headers exchange compares types too, and strings are what people type.
 */

export function parseKeyValues(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([^:=]+?)\s*[:=]\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) result[match[1]] = match[2] ?? '';
  }
  return result;
}

export function formatKeyValues(
  values: Record<string, unknown> | undefined,
  skip: readonly string[] = [],
): string {
  if (!values) return '';
  return Object.entries(values)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
}

import type { TopologyIssue } from './validate';

/**
 * How deep a document may nest. A topology is shallow (an argument table holds a few levels at
 * most); a document nested thousands deep is refused before anything walks it recursively, so
 * it gets a clear error instead of exhausting the stack.
 */
export const MAX_DOCUMENT_DEPTH = 32;

/** Where `input` first nests deeper than `maxDepth`, as an issue; undefined when it does not. */
export function nestingIssue(
  input: unknown,
  maxDepth = MAX_DOCUMENT_DEPTH,
): TopologyIssue | undefined {
  // Iterative, so that the check itself cannot run out of stack.
  const stack: { value: unknown; depth: number; path: string }[] = [
    { value: input, depth: 0, path: '' },
  ];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      return {
        path,
        message: `The document nests more than ${maxDepth} levels deep here; a Warren document never needs that many.`,
      };
    }
    for (const [key, child] of Object.entries(value)) {
      const token = key.replace(/~/g, '~0').replace(/\//g, '~1');
      stack.push({ value: child, depth: depth + 1, path: `${path}/${token}` });
    }
  }
  return undefined;
}

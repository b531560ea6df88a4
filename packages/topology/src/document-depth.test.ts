import { describe, expect, it } from 'vitest';
import { nestingIssue } from './document-depth';
import { parseTopology } from './validate';

const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe('document depth', () => {
  it('accepts a document as deep as topologies get', () => {
    expect(
      nestingIssue({ queues: [{ arguments: { 'x-table': { a: { b: 1 } } } }] }),
    ).toBeUndefined();
  });

  it('names where a document nests too deep, without running out of stack', () => {
    expect(nestingIssue({ a: nested(100_000) })).toMatchObject({
      path: `/a${'/a'.repeat(31)}`,
      message: expect.stringContaining('more than 32 levels') as string,
    });
  });

  it('is refused by parseTopology as a problem of the document, not a crash', () => {
    const doc = {
      version: 1,
      queues: [{ id: 'q', name: 'q', arguments: { 'x-deep': nested(6000) } }],
    };
    const result = parseTopology(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toMatch(/^\/queues\/0\/arguments\/x-deep\/a/);
  });
});

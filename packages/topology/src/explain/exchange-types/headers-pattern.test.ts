import { describe, expect, it } from 'vitest';
import { compileHeadersPattern, headersMatch } from './headers-pattern';

const match = (args: Record<string, unknown>, headers?: Record<string, unknown>) =>
  headersMatch(compileHeadersPattern(args), headers);

describe('headers exchange: x-match modes', () => {
  it('all (the default) needs every binding header with an equal value', () => {
    const binding = { format: 'pdf', type: 'report' };
    expect(match(binding, { format: 'pdf', type: 'report', extra: 1 }).matched).toBe(true);
    expect(match({ 'x-match': 'all', ...binding }, { format: 'pdf' }).matched).toBe(false);
    expect(match(binding, { format: 'pdf', type: 'log' }).matched).toBe(false);
    expect(match(binding, undefined).matched).toBe(false);
  });

  it('any needs one binding header with an equal value', () => {
    const binding = { 'x-match': 'any', format: 'pdf', type: 'report' };
    expect(match(binding, { type: 'report' }).matched).toBe(true);
    expect(match(binding, { format: 'zip', type: 'log' }).matched).toBe(false);
    expect(match(binding, {}).matched).toBe(false);
  });

  it('ignores x- arguments in all / any, and compares them in all-with-x / any-with-x', () => {
    expect(match({ 'x-match': 'all', 'x-tenant': 'a', k: 1 }, { k: 1 }).matched).toBe(true);
    expect(match({ 'x-match': 'any', 'x-tenant': 'a' }, { 'x-tenant': 'a' }).matched).toBe(false);
    expect(match({ 'x-match': 'all-with-x', 'x-tenant': 'a', k: 1 }, { k: 1 }).matched).toBe(false);
    expect(
      match({ 'x-match': 'all-with-x', 'x-tenant': 'a', k: 1 }, { k: 1, 'x-tenant': 'a' }).matched,
    ).toBe(true);
    expect(match({ 'x-match': 'any-with-x', 'x-tenant': 'a' }, { 'x-tenant': 'a' }).matched).toBe(
      true,
    );
  });

  it('with nothing to compare, all matches every message and any matches none', () => {
    expect(match({}, {}).matched).toBe(true);
    expect(match({ 'x-match': 'all', 'x-only': 1 }, undefined).matched).toBe(true);
    expect(match({ 'x-match': 'any' }, { k: 1 }).matched).toBe(false);
    expect(match({ 'x-match': 'any-with-x' }, { k: 1 }).matched).toBe(false);
    expect(match({ 'x-match': 'all-with-x' }, undefined).matched).toBe(true);
  });

  it('treats a null (void) binding value as "present with any value"', () => {
    expect(match({ k: null }, { k: 'anything' }).matched).toBe(true);
    expect(match({ k: null }, { k: null }).matched).toBe(true);
    expect(match({ k: null }, {}).matched).toBe(false);
    // A void header value equals nothing but presence.
    expect(match({ k: 'a' }, { k: null }).matched).toBe(false);
  });

  it('refuses a bad x-match: the broker rejects such a binding, so it routes nothing', () => {
    const result = match({ 'x-match': 'some', k: 1 }, { k: 1 });
    expect(result.matched).toBe(false);
    expect(result.reason).toContain("x-match 'some' is not one of");
  });
});

describe('headers exchange: reasons', () => {
  it('lists the headers that decided', () => {
    expect(match({ format: 'pdf', type: 'report' }, { format: 'pdf', type: 'log' }).reason).toBe(
      "x-match all: 'type' is 'log', not 'report'",
    );
    expect(match({ 'x-match': 'any', format: 'pdf' }, { format: 'pdf' }).reason).toBe(
      "x-match any: 'format' = 'pdf', and one is enough",
    );
    expect(match({ n: 1 }, { n: '1' }).reason).toBe(
      "x-match all: 'n' is '1' (text), not 1 (a number)",
    );
    expect(match({ 'x-match': 'all', 'x-k': 1 }, {}).reason).toBe(
      "x-match all with no headers to compare matches every message ('x-k' is ignored: x- arguments only count with all-with-x)",
    );
  });

  it('records one check per compared header', () => {
    expect(match({ a: 1, b: null }, { a: 2, b: 'x' }).checks).toEqual([
      { key: 'a', expected: 1, present: true, actual: 2, ok: false },
      { key: 'b', present: true, actual: 'x', ok: true },
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../paths';
import {
  compileTopicPattern,
  topicMatch,
  topicReason,
  topicSteps,
  topicWords,
} from './topic-pattern';

const matches = (pattern: string, key: string) =>
  topicMatch(compileTopicPattern(pattern), topicWords(key));

const reason = (pattern: string, key: string) => {
  const compiled = compileTopicPattern(pattern);
  const words = topicWords(key);
  const matched = topicMatch(compiled, words);
  return topicReason(pattern, key, matched, topicSteps(compiled, words));
};

describe('topic words', () => {
  it('splits on every dot, like the broker: an empty key has no words, empty words count', () => {
    expect(topicWords('')).toEqual([]);
    expect(topicWords('a')).toEqual(['a']);
    expect(topicWords('a..b')).toEqual(['a', '', 'b']);
    expect(topicWords('a.')).toEqual(['a', '']);
    expect(topicWords('.')).toEqual(['', '']);
  });
});

describe('topic matching', () => {
  it.each([
    ['order.#', 'order.create.critical', true],
    ['order.#', 'order', true],
    ['order.#', 'orders', false],
    ['#', '', true],
    ['#', 'a.b.c', true],
    ['', '', true],
    ['', 'a', false],
    ['*', '', false],
    ['*', 'a', true],
    ['*', 'a.b', false],
    ['*.*', 'a.b', true],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.c', false],
    ['a.#.c', 'a.c', true],
    ['a.#.c', 'a.b.b.c', true],
    ['a.#.c', 'a.b.b.d', false],
    ['#.a', 'a', true],
    ['#.a.#', 'b.a.b', true],
    ['#.#', '', true],
    ['#.*', '', false],
    ['#.*', 'a', true],
    ['*.#', '', false],
    ['a.*', 'a.', true],
    ['a', 'a.', false],
    // Wildcards only act as whole words.
    ['a*', 'ab', false],
    ['a*', 'a*', true],
  ])('%j against %j: %s', (pattern, key, expected) => {
    expect(matches(pattern, key)).toBe(expected);
  });

  it('agrees with the independent matcher in paths.ts on random patterns and keys', () => {
    const word = fc.constantFrom('a', 'b', '');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '*', '#'), { maxLength: 5 }),
        fc.array(word, { maxLength: 5 }),
        (patternWords, keyWords) => {
          const pattern = patternWords.join('.');
          const key = keyWords.join('.');
          expect(matches(pattern, key)).toBe(topicMatches(pattern, key));
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('lines up every pattern word with the words it took when it matches', () => {
    const steps = topicSteps(compileTopicPattern('a.#.*.c'), topicWords('a.x.y.z.c'));
    expect(steps).toEqual([
      { pattern: 'a', words: ['a'], ok: true },
      { pattern: '#', words: ['x', 'y'], ok: true },
      { pattern: '*', words: ['z'], ok: true },
      { pattern: 'c', words: ['c'], ok: true },
    ]);
  });

  it('matches a long key against many hashes without blowing up', () => {
    const key = Array.from({ length: 40 }, () => 'a').join('.');
    expect(matches('#.#.#.#.#.#.#.#.b', key)).toBe(false);
  });
});

describe('topic reasons', () => {
  it('says word by word why a pattern matches', () => {
    expect(reason('order.#', 'order.create.critical')).toBe(
      "'order.#' matches 'order.create.critical': 'order' = 'order', '#' takes 'create.critical'",
    );
    expect(reason('*.critical', 'order.critical')).toBe(
      "'*.critical' matches 'order.critical': '*' takes 'order', 'critical' = 'critical'",
    );
    expect(reason('order.#', 'order')).toBe(
      "'order.#' matches 'order': 'order' = 'order', '#' takes no words",
    );
  });

  it('names the first word that does not fit', () => {
    expect(reason('order.*', 'invoice.paid')).toBe(
      "'order.*' does not match 'invoice.paid': 'order' ≠ 'invoice'",
    );
    expect(reason('order.*', 'order')).toBe(
      "'order.*' does not match 'order': 'order' = 'order', but the routing key ends where '*' needs one more word",
    );
    expect(reason('order', 'order.paid')).toBe(
      "'order' does not match 'order.paid': 'order' = 'order', but the pattern ends while the routing key goes on with 'paid'",
    );
    expect(reason('#.critical', 'order.low')).toBe(
      "'#.critical' does not match 'order.low': '#' takes 'order', but 'critical' ≠ 'low'",
    );
    expect(reason('*', '')).toBe(
      "'*' does not match '': the routing key ends where '*' needs one more word",
    );
  });
});

describe('a pattern of many #', () => {
  const hashes = compileTopicPattern(`${Array.from({ length: 127 }, () => '#').join('.')}.z`);
  const words = (last: string) => [...Array.from({ length: 127 }, () => 'a'), last];

  it('is matched and explained in time linear in its words times the key words', () => {
    const started = performance.now();
    expect(topicMatch(hashes, words('a'))).toBe(false);
    expect(topicSteps(hashes, words('a')).some((s) => !s.ok)).toBe(true);
    expect(topicMatch(hashes, words('z'))).toBe(true);
    const steps = topicSteps(hashes, words('z'));
    expect(performance.now() - started).toBeLessThan(100);
    // Every '#' takes as little as it can: the last one takes the 127 words before 'z'.
    expect(steps).toHaveLength(128);
    expect(steps[126]).toEqual({ pattern: '#', words: words('a').slice(0, 127), ok: true });
    expect(steps[127]).toEqual({ pattern: 'z', words: ['z'], ok: true });
  });
});

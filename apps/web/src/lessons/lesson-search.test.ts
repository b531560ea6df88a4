import { describe, expect, it } from 'vitest';
import { matchesLessonSearch } from './lesson-search';

const topic = {
  id: 'topic',
  number: 7,
  title: 'Topic routing',
  summary: 'Topic bindings match dotted keys.',
};

describe('matchesLessonSearch', () => {
  it('matches every word in any order, in any case', () => {
    expect(matchesLessonSearch(topic, '')).toBe(true);
    expect(matchesLessonSearch(topic, 'KEYS topic')).toBe(true);
    expect(matchesLessonSearch(topic, '7')).toBe(true);
    expect(matchesLessonSearch(topic, 'topic fanout')).toBe(false);
  });
});

import type { LessonSummary } from '@warren/lessons';

/** Whether a lesson matches what was typed: every word, in its number, title or summary. */
export function matchesLessonSearch(lesson: LessonSummary, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${lesson.number} ${lesson.title} ${lesson.summary}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSONS_DIRECTORY } from './files';
import { parseLesson } from './index';

const files = readdirSync(LESSONS_DIRECTORY)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('the lesson files', () => {
  it('cover every row of the scenario gallery, in order', () => {
    expect(files).toHaveLength(23);
  });

  it.each(files)('%s is a valid lesson named after its file', (file) => {
    const parsed = parseLesson(JSON.parse(readFileSync(new URL(file, LESSONS_DIRECTORY), 'utf8')));
    if (!parsed.ok) expect.fail(`${file}: ${parsed.problems.join('; ')}`);
    const { lesson } = parsed;
    expect(file).toBe(`${String(lesson.number).padStart(2, '0')}-${lesson.id}.json`);
    expect(files.indexOf(file) + 1).toBe(lesson.number);
  });
});

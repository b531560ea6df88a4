import { readdir, readFile } from 'node:fs/promises';
import { parseLesson, type Lesson, type LessonSummary } from '@warren/lessons';
import { LESSONS_DIRECTORY } from '@warren/lessons/files';

/**
 * The lesson gallery: every lesson file of the folder, read once at start. A broken file stops
 * the server with every problem named, so a new lesson is checked the moment it is added.
 */
export class LessonCatalogue {
  private readonly byId: Map<string, Lesson>;

  constructor(lessons: Lesson[]) {
    this.byId = new Map(
      [...lessons].sort((a, b) => a.number - b.number).map((lesson) => [lesson.id, lesson]),
    );
  }

  static async load(directory: URL = LESSONS_DIRECTORY): Promise<LessonCatalogue> {
    const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
    const lessons: Lesson[] = [];
    const problems: string[] = [];
    for (const file of files) {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(new URL(file, directory), 'utf8'));
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
        continue;
      }
      const parsed = parseLesson(json);
      if (parsed.ok) lessons.push(parsed.lesson);
      else problems.push(...parsed.problems.map((problem) => `${file}${problem}`));
    }
    if (problems.length > 0) throw new Error(`Lesson files with problems: ${problems.join('; ')}`);
    return new LessonCatalogue(lessons);
  }

  list(): LessonSummary[] {
    return [...this.byId.values()].map(({ id, number, title, summary }) => ({
      id,
      number,
      title,
      summary,
    }));
  }

  get(id: string): Lesson | undefined {
    return this.byId.get(id);
  }
}

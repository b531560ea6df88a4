export * from './schema';
export { parseLesson, type ParsedLesson } from './parse';
export { LessonProgress, matches, type ObservedEvent, type StepProgress } from './progress';

/** The folder of lesson files (`NN-name.json`), read by the server at start. */
export const LESSONS_DIRECTORY = new URL('../lessons/', import.meta.url);

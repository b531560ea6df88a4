export * from './schema';
export { BROKER_RESTART_EVENT, needsBrokerRestart, parseLesson, type ParsedLesson } from './parse';
export { LessonProgress, matches, type ObservedEvent, type StepProgress } from './progress';

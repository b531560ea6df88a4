export * from './schema';
export { parseLesson, type ParsedLesson } from './parse';
export { LessonProgress, matches, type ObservedEvent, type StepProgress } from './progress';
export { BROKER_RESTART_EVENT, needsBrokerRestart } from './steps';

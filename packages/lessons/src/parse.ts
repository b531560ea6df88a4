import { Value } from 'typebox/value';
import { parseTopology } from '@warren/topology';
import { LessonSchema, type Lesson, type LessonCheck } from './schema';

export type ParsedLesson = { ok: true; lesson: Lesson } | { ok: false; problems: string[] };

/**
 * Reads a lesson file: the lesson schema, a valid diagram, unique step ids, and actions and
 * checks that name nodes and queues the diagram has. Each problem names where it is.
 */
export function parseLesson(input: unknown): ParsedLesson {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: ['A lesson must be a JSON object.'] };
  }
  const document = parseTopology((input as { document?: unknown }).document);
  if (!document.ok) {
    return {
      ok: false,
      problems: document.issues.map((i) => `/document${i.path}: ${i.message}`),
    };
  }
  const candidate = { ...input, document: document.topology };
  if (!Value.Check(LessonSchema, candidate)) {
    return {
      ok: false,
      problems: [...Value.Errors(LessonSchema, candidate)].map(
        (e) => `${e.instancePath || '/'}: ${e.message}`,
      ),
    };
  }
  const lesson: Lesson = candidate;
  const problems = referenceProblems(lesson);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lesson };
}

function referenceProblems(lesson: Lesson): string[] {
  const { document } = lesson;
  const producers = new Set(document.producers.map((p) => p.id));
  const consumers = new Set((document.consumers ?? []).map((c) => c.id));
  const queues = new Set(document.queues.map((q) => q.name));
  const problems: string[] = [];
  const seen = new Set<string>();
  lesson.steps.forEach((step, index) => {
    const at = `/steps/${index}`;
    if (seen.has(step.id)) problems.push(`${at}/id: "${step.id}" is used by an earlier step.`);
    seen.add(step.id);
    const action = step.action;
    if (action && 'producer' in action && !producers.has(action.producer)) {
      problems.push(`${at}/action/producer: the diagram has no producer "${action.producer}".`);
    }
    if (action && 'consumer' in action && !consumers.has(action.consumer)) {
      problems.push(`${at}/action/consumer: the diagram has no consumer "${action.consumer}".`);
    }
    if (action?.kind === 'publish') {
      action.messages.forEach((message, m) => {
        if (message.producer !== undefined && !producers.has(message.producer)) {
          problems.push(
            `${at}/action/messages/${m}/producer: the diagram has no producer "${message.producer}".`,
          );
        }
      });
    }
    for (const check of step.check ? flatten(step.check) : []) {
      if (check.kind === 'queue-depth' && !queues.has(check.queue)) {
        problems.push(`${at}/check: the diagram has no queue "${check.queue}".`);
      }
    }
  });
  return problems;
}

export function flatten(check: LessonCheck) {
  return check.kind === 'all' ? check.checks : [check];
}

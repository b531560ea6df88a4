import type { Lesson, SingleCheck } from './schema';
import { flatten } from './parse';

/** What the progress needs of a session event: its type and fields (see @warren/protocol). */
export interface ObservedEvent {
  type: string;
  [field: string]: unknown;
}

export interface StepProgress {
  id: string;
  title: string;
  done: boolean;
}

type Expected = string | number | boolean | null | string[];

function sameMembers(actual: unknown, expected: string[]): boolean {
  if (!Array.isArray(actual) || actual.length !== expected.length) return false;
  const sorted = (actual as unknown[]).map(String).sort();
  return [...expected].sort().every((value, i) => sorted[i] === value);
}

export function matches(event: ObservedEvent, where: Record<string, Expected> = {}): boolean {
  return Object.entries(where).every(([field, expected]) =>
    Array.isArray(expected) ? sameMembers(event[field], expected) : event[field] === expected,
  );
}

/**
 * A lesson's steps ticked off by a session's events. Counts for every check are kept from the
 * start, so the order the learner does things in does not matter; a done step stays done.
 * Steps with neither check nor action are reading and count as done; a step with only an
 * action is done once the action ran.
 */
export class LessonProgress {
  private readonly done = new Set<string>();
  private readonly actionsRun = new Set<string>();
  /** The parts of each step's check, and the matching events seen for each part. */
  private readonly parts = new Map<string, { checks: SingleCheck[]; counts: number[] }>();
  private readonly depths = new Map<string, number>();

  constructor(readonly lesson: Lesson) {
    for (const step of lesson.steps) {
      if (!step.check && !step.action) this.done.add(step.id);
      if (step.check) {
        const checks = flatten(step.check);
        this.parts.set(step.id, { checks, counts: checks.map(() => 0) });
      }
    }
  }

  /** Takes in one session event; true when a step became done. */
  observe(event: ObservedEvent): boolean {
    let seen = false;
    if (event.type === 'queue-stats' && Array.isArray(event.queues)) {
      seen = true;
      for (const queue of event.queues as { name?: unknown; messages?: unknown }[]) {
        if (typeof queue.name === 'string' && typeof queue.messages === 'number') {
          this.depths.set(queue.name, queue.messages);
        }
      }
    }
    for (const [stepId, { checks, counts }] of this.parts) {
      if (this.done.has(stepId)) continue;
      checks.forEach((check, i) => {
        if (check.kind === 'event' && check.event === event.type && matches(event, check.where)) {
          counts[i] = (counts[i] ?? 0) + 1;
          seen = true;
        }
      });
    }
    // Only a matching event or new depths can finish a step.
    return seen && this.settle();
  }

  /** A step's action ran; true when that made it done. */
  actionRan(stepId: string): boolean {
    this.actionsRun.add(stepId);
    return this.settle();
  }

  /** Steps done before (kept across a restart of the server): done again, whatever comes. */
  restore(doneIds: readonly string[]): void {
    const known = new Set(this.lesson.steps.map((s) => s.id));
    for (const id of doneIds) if (known.has(id)) this.done.add(id);
  }

  /** Ids of the steps done, in the lesson's order. */
  doneIds(): string[] {
    return this.lesson.steps.filter((s) => this.done.has(s.id)).map((s) => s.id);
  }

  steps(): StepProgress[] {
    return this.lesson.steps.map(({ id, title }) => ({ id, title, done: this.done.has(id) }));
  }

  private settle(): boolean {
    let changed = false;
    for (const step of this.lesson.steps) {
      if (this.done.has(step.id)) continue;
      const finished = step.check ? this.passes(step.id) : this.actionsRun.has(step.id);
      if (finished) {
        this.done.add(step.id);
        changed = true;
      }
    }
    return changed;
  }

  private passes(stepId: string): boolean {
    const part = this.parts.get(stepId);
    return (
      part !== undefined && part.checks.every((c, i) => this.partPasses(c, part.counts[i] ?? 0))
    );
  }

  private partPasses(check: SingleCheck, count: number): boolean {
    if (check.kind === 'event') return count >= (check.atLeast ?? 1);
    const depth = this.depths.get(check.queue);
    if (depth === undefined) return false;
    return depth >= (check.atLeast ?? 0) && depth <= (check.atMost ?? Number.POSITIVE_INFINITY);
  }
}

import type { TopologyIssue } from './validate';

/**
 * How many objects of each kind a document (a Warren topology or a definitions file) may hold.
 * Far above what a lesson or a classroom draws (and a session's vhost holds at most 1,000
 * queues), low enough that validating, laying out and explaining stay quick.
 */
export const DOCUMENT_LIMITS: Readonly<Record<string, number>> = {
  exchanges: 2000,
  queues: 2000,
  bindings: 10_000,
  producers: 200,
  consumers: 200,
  policies: 200,
};

/** The first list of `input` longer than DOCUMENT_LIMITS allows, as an issue. */
export function documentSizeIssue(input: unknown): TopologyIssue | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const [list, limit] of Object.entries(DOCUMENT_LIMITS)) {
    const items = (input as Record<string, unknown>)[list];
    if (Array.isArray(items) && items.length > limit) {
      return {
        path: `/${list}`,
        message: `The document has ${items.length} ${list}; Warren handles at most ${limit}.`,
      };
    }
  }
  return undefined;
}

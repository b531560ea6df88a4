import type { Topology } from './model';
import { parseTopology } from './validate';

/**
 * Opening a document from outside (a file, an image that carries one): read whole, or refused
 * with one sentence saying why. The version rules are parseTopology's (documentVersionIssue).
 */

export type OpenedDocument = { ok: true; topology: Topology } | { ok: false; reason: string };

export function openDocument(input: unknown): OpenedDocument {
  const parsed = parseTopology(input);
  if (parsed.ok) return parsed;
  const [first, ...rest] = parsed.issues;
  if (!first) return { ok: false, reason: 'It is not a Warren diagram.' };
  // A version problem is the whole story; any other names the field at fault.
  if (first.path === '/version' || first.path === '') return { ok: false, reason: first.message };
  const more =
    rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  return { ok: false, reason: `${first.path}: ${first.message}${more}` };
}

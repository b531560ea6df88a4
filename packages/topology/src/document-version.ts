import { TOPOLOGY_VERSION, type Topology } from './model';
import { parseTopology } from './validate';

/**
 * Opening a document from outside (a file, an image that carries one): it is migrated to the
 * version this code reads, or refused with the exact reason, never half read.
 */

export type OpenedDocument =
  { ok: true; topology: Topology; migratedFrom?: number } | { ok: false; reason: string };

/**
 * Steps from one document version to the next, by the version they read. Version 1 is the
 * first, so there are none yet; a change to the document adds one here.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

function looksLikeDefinitions(doc: Record<string, unknown>): boolean {
  return (
    'rabbit_version' in doc ||
    'rabbitmq_version' in doc ||
    'vhosts' in doc ||
    'permissions' in doc ||
    (Array.isArray(doc.exchanges) &&
      doc.exchanges.some((x) => typeof x === 'object' && x !== null && 'vhost' in x))
  );
}

export function openDocument(input: unknown): OpenedDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, reason: 'It is not a Warren diagram: a document is a JSON object.' };
  let doc = input as Record<string, unknown>;
  if (!('version' in doc)) {
    return {
      ok: false,
      reason: looksLikeDefinitions(doc)
        ? 'It is a RabbitMQ definitions file, not a Warren diagram: open it with Import definitions.'
        : 'It has no "version" field, so it is not a Warren diagram document.',
    };
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      reason: `Its "version" is ${JSON.stringify(version)}; a Warren document has a whole number from 1.`,
    };
  }
  if (version > TOPOLOGY_VERSION) {
    return {
      ok: false,
      reason: `It was saved by a newer Warren (document version ${version}); this one reads version ${TOPOLOGY_VERSION}.`,
    };
  }
  for (let v = version; v < TOPOLOGY_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step)
      return { ok: false, reason: `Document version ${v} cannot be read by this Warren any more.` };
    doc = step(doc);
  }
  const parsed = parseTopology(doc);
  if (!parsed.ok) {
    const [first, ...rest] = parsed.issues;
    const where = first?.path ? `${first.path}: ` : '';
    const more =
      rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
    return {
      ok: false,
      reason: `It is a version ${TOPOLOGY_VERSION} document, but ${where}${first?.message ?? 'it does not check out'}${more}`,
    };
  }
  return version === TOPOLOGY_VERSION
    ? { ok: true, topology: parsed.topology }
    : { ok: true, topology: parsed.topology, migratedFrom: version };
}

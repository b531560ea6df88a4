import type { Topology } from './model';

/**
 * What AMQP 0-9-1 (and amqplib, which encodes it) can carry. Names, routing keys and the keys
 * of argument and header tables are short strings: at most 255 bytes of UTF-8, so 100 × '€'
 * (300 bytes) is too long although it has only 100 characters. amqplib encodes a method's
 * tables in one 64 KiB buffer and refuses anything bigger, after the channel is taken; both
 * limits are checked before anything reaches it.
 */
export const SHORTSTR_MAX_BYTES = 255;
/** The largest encoded argument or header table; amqplib's buffer holds 65,536 bytes in all. */
export const TABLE_MAX_BYTES = 64_000;
/** How deep a table may nest (tables and arrays inside tables); RabbitMQ's own ones use 2. */
export const TABLE_MAX_DEPTH = 8;

/** The largest message body Warren sends, a producer's rendered payload template included. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** What one placeholder may grow to when rendered (a routing key: 255 bytes). */
const PLACEHOLDER_MAX_BYTES = 255;

export interface LimitIssue {
  path: string;
  message: string;
}

const utf8 = new TextEncoder();
export const byteLength = (text: string): number => utf8.encode(text).length;

function pointerToken(key: string | number): string {
  return `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Why `text` cannot be an AMQP short string, or undefined when it can. */
export function shortstrProblem(what: string, text: string): string | undefined {
  const bytes = byteLength(text);
  if (bytes <= SHORTSTR_MAX_BYTES) return undefined;
  return `${what} is ${bytes} bytes long in UTF-8; AMQP allows at most ${SHORTSTR_MAX_BYTES} bytes (characters such as 'é' or '€' take 2 or 3).`;
}

/**
 * The encoded size of a field value as amqplib writes it, or the first problem inside it.
 * Iterative over a stack-free recursion bound: depth is limited before descending.
 */
function fieldValueSize(
  value: unknown,
  path: string,
  depth: number,
  issues: LimitIssue[],
  what: string,
): number {
  switch (typeof value) {
    case 'string':
      return 1 + 4 + byteLength(value);
    case 'number':
      return 1 + 8;
    case 'boolean':
      return 2;
    case 'bigint':
      return 1 + 8;
    case 'object': {
      if (value === null) return 1;
      if (depth >= TABLE_MAX_DEPTH) {
        issues.push({
          path,
          message: `${what} nests more than ${TABLE_MAX_DEPTH} levels deep here; AMQP tables this deep are not supported.`,
        });
        return 0;
      }
      if (Array.isArray(value)) {
        let size = 1 + 4;
        value.forEach((item, i) => {
          size += fieldValueSize(item, `${path}${pointerToken(i)}`, depth + 1, issues, what);
        });
        return size;
      }
      return 1 + tableSize(value as Record<string, unknown>, path, depth + 1, issues, what);
    }
    default:
      return 1;
  }
}

function tableSize(
  table: Record<string, unknown>,
  path: string,
  depth: number,
  issues: LimitIssue[],
  what: string,
): number {
  let size = 4;
  for (const [key, value] of Object.entries(table)) {
    if (value === undefined) continue;
    const keyPath = `${path}${pointerToken(key)}`;
    const keyProblem = shortstrProblem(`The key '${key.slice(0, 40)}…'`, key);
    if (keyProblem !== undefined) issues.push({ path: keyPath, message: `${what}: ${keyProblem}` });
    size += 1 + byteLength(key) + fieldValueSize(value, keyPath, depth, issues, what);
    if (issues.length > 20) break;
  }
  return size;
}

/**
 * Problems of an argument or header table at `path`: keys over 255 bytes, nesting over
 * TABLE_MAX_DEPTH, and an encoded size over TABLE_MAX_BYTES.
 */
export function tableIssues(
  table: Record<string, unknown> | undefined,
  path: string,
  what: string,
): LimitIssue[] {
  if (table === undefined) return [];
  const issues: LimitIssue[] = [];
  const size = tableSize(table, path, 0, issues, what);
  if (size > TABLE_MAX_BYTES)
    issues.push({
      path,
      message: `${what} takes ${size} bytes encoded; AMQP tables here may take at most ${TABLE_MAX_BYTES}.`,
    });
  return issues;
}

/** Every name, key and table of a topology that the broker (or amqplib) would refuse. */
export function amqpLimitIssues(topology: Topology): LimitIssue[] {
  const issues: LimitIssue[] = [];
  const name = (path: string, what: string, text: string | undefined) => {
    if (text === undefined) return;
    const problem = shortstrProblem(what, text);
    if (problem !== undefined) issues.push({ path, message: problem });
  };
  topology.exchanges.forEach((x, i) => {
    name(`/exchanges/${i}/name`, 'The exchange name', x.name);
    issues.push(...tableIssues(x.arguments, `/exchanges/${i}/arguments`, `Exchange arguments`));
  });
  topology.queues.forEach((q, i) => {
    name(`/queues/${i}/name`, 'The queue name', q.name);
    issues.push(...tableIssues(q.arguments, `/queues/${i}/arguments`, `Queue arguments`));
  });
  topology.bindings.forEach((b, i) => {
    name(`/bindings/${i}/source`, 'The source exchange name', b.source);
    name(`/bindings/${i}/destination`, 'The destination name', b.destination);
    name(`/bindings/${i}/routingKey`, 'The routing key', b.routingKey);
    issues.push(...tableIssues(b.arguments, `/bindings/${i}/arguments`, `Binding arguments`));
  });
  topology.producers.forEach((p, i) => {
    const at = `/producers/${i}`;
    name(`${at}/exchange`, 'The exchange name', p.exchange);
    name(`${at}/routingKey`, 'The routing key', p.routingKey);
    const strategy = p.routingKeyStrategy;
    if (strategy !== undefined && 'keys' in strategy)
      strategy.keys.forEach((k, j) =>
        name(`${at}/routingKeyStrategy/keys/${j}`, 'The routing key', k),
      );
    for (const [key, value] of Object.entries(p.properties ?? {}))
      if (typeof value === 'string') name(`${at}/properties/${key}`, `The ${key} property`, value);
    issues.push(...tableIssues(p.headers, `${at}/headers`, `Headers`));
    const payload = byteLength(p.payload);
    const rendered = payload + (p.payload.split('{{').length - 1) * PLACEHOLDER_MAX_BYTES;
    if (rendered > MAX_PAYLOAD_BYTES)
      issues.push({
        path: `${at}/payload`,
        message: `Producer '${p.name}': its payload can grow to ${rendered} bytes once its placeholders are filled in; at most ${MAX_PAYLOAD_BYTES} are sent.`,
      });
  });
  (topology.consumers ?? []).forEach((c, i) => {
    name(`/consumers/${i}/queue`, 'The queue name', c.queue);
  });
  (topology.policies ?? []).forEach((p, i) => {
    // The name is a segment of a management API URL, where '.' and '..' mean something else.
    if (p.name === '.' || p.name === '..')
      issues.push({
        path: `/policies/${i}/name`,
        message: `A policy cannot be named '${p.name}'; the broker's management API reads that as a path.`,
      });
    issues.push(
      ...tableIssues(p.definition, `/policies/${i}/definition`, `Policy '${p.name}' definition`),
    );
  });
  return issues;
}

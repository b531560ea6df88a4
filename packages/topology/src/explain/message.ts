import type { ExplainMessage } from './types';

/** The routing key, then the CC and BCC header keys (rabbit_basic:header_routes). */
export function routingKeysOf(message: ExplainMessage): string[] {
  const keys = [message.routingKey];
  for (const header of ['CC', 'BCC']) {
    const value = message.headers?.[header];
    if (Array.isArray(value)) for (const k of value) if (typeof k === 'string') keys.push(k);
  }
  return keys;
}

/** What makes the broker refuse a message before routing it (406 PRECONDITION_FAILED). */
export function messageProblem(
  message: ExplainMessage,
): { message: string; path: string } | undefined {
  const expiration = message.properties?.expiration;
  if (expiration !== undefined) {
    const valid = /^[+-]?\d+$/.test(expiration);
    const value = valid ? Number.parseInt(expiration, 10) : NaN;
    if (!valid || value < 0 || value > 315_360_000_000) {
      return {
        message: `The expiration '${expiration}' is not a whole number of milliseconds between 0 and 315360000000 (ten years): the broker closes the channel with 406 PRECONDITION_FAILED.`,
        path: '/properties/expiration',
      };
    }
  }
  for (const header of ['CC', 'BCC']) {
    const value = message.headers?.[header];
    if (value !== undefined && !Array.isArray(value)) {
      return {
        message: `The header '${header}' must be a list of routing keys: the broker refuses the message with 406 PRECONDITION_FAILED.`,
        path: `/headers/${header}`,
      };
    }
  }
  return undefined;
}

/** The per-message TTL in ms from the `expiration` property, when it has one. */
export function messageTtl(message: ExplainMessage): number | undefined {
  const expiration = message.properties?.expiration;
  if (expiration === undefined || !/^[+-]?\d+$/.test(expiration)) return undefined;
  return Number.parseInt(expiration, 10);
}

import { ErrorBodySchema } from '@warren/protocol';

/** The error replies a route documents: each status answers with the one error shape. */
export function errorReplies<S extends number>(
  ...statuses: S[]
): Record<S, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBodySchema])) as Record<
    S,
    typeof ErrorBodySchema
  >;
}

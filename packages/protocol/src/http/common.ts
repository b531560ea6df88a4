import { Type } from 'typebox';
import type { Definitions, Topology } from '@warren/topology';

/**
 * A topology document, documented loosely: it is validated by @warren/topology, which names
 * each bad field with a path a learner can follow.
 */
export const TopologyDocumentSchema = Type.Unsafe<Topology>(
  Type.Object(
    {},
    { additionalProperties: true, description: 'A Warren topology document (version 1).' },
  ),
);

/** A RabbitMQ definitions.json export, read by @warren/topology. */
export const DefinitionsFileSchema = Type.Unsafe<Definitions>(
  Type.Object(
    {},
    { additionalProperties: true, description: 'A RabbitMQ definitions.json export.' },
  ),
);

export const VhostChoiceSchema = Type.String({
  maxLength: 255,
  description: 'With a full definitions export (several vhosts): the vhost to take.',
});

/**
 * One `type` list rather than a union: Fastify's validator coerces types, and it would turn the
 * number 1 into the text "1" against a union's first branch (a header's type decides whether a
 * headers binding matches). With a type list, coercion happens only when no type fits.
 */
export const HeaderValueSchema = Type.Unsafe<string | number | boolean | null>({
  type: ['string', 'number', 'boolean', 'null'],
});

export const HeadersSchema = Type.Record(Type.String({ maxLength: 255 }), HeaderValueSchema);

export const SessionParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type SessionParams = Type.Static<typeof SessionParamsSchema>;

/** Label → the broker's `amq.gen-…` name, for the diagram's server-named queues. */
export const BrokerNamesSchema = Type.Record(Type.String(), Type.String());

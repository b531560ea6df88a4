import { Type } from 'typebox';
import type { Definitions } from '@warren/topology';
import { DefinitionsFileSchema, TopologyDocumentSchema, VhostChoiceSchema } from './common';

/** Body of `POST /api/definitions/import`. */
export const ImportDefinitionsRequestSchema = Type.Object(
  { definitions: DefinitionsFileSchema, vhost: Type.Optional(VhostChoiceSchema) },
  { additionalProperties: false },
);
export type ImportDefinitionsRequest = Type.Static<typeof ImportDefinitionsRequestSchema>;

export const ImportDefinitionsResponseSchema = Type.Object({
  topology: TopologyDocumentSchema,
  /** The vhost the objects came from; null when the file names none (a one-vhost export). */
  vhost: Type.Union([Type.String(), Type.Null()]),
  /** Parts of the file that the diagram cannot hold, one sentence each. */
  notImported: Type.Array(Type.String()),
});
export type ImportDefinitionsResponse = Type.Static<typeof ImportDefinitionsResponseSchema>;

/** Body of `POST /api/definitions/export`; the reply is the definitions file itself. */
export const ExportDefinitionsRequestSchema = Type.Object(
  {
    topology: TopologyDocumentSchema,
    vhost: Type.Optional(
      Type.String({ maxLength: 255, description: 'Tag every object with this vhost.' }),
    ),
  },
  { additionalProperties: false },
);
export type ExportDefinitionsRequest = Type.Static<typeof ExportDefinitionsRequestSchema>;

/**
 * Response header of the definitions exports: what the file could not hold, as
 * `encodeURIComponent(JSON.stringify(sentences))`.
 */
export const NOT_EXPORTED_HEADER = 'warren-not-exported';

/** Reply of the definitions exports: the file itself. */
export const DefinitionsFileResponseSchema = Type.Unsafe<Definitions>(
  Type.Object(
    {},
    {
      additionalProperties: true,
      description: `A RabbitMQ definitions file (rabbitmqctl import_definitions, POST /api/definitions/<vhost>). What it cannot hold is listed in the ${NOT_EXPORTED_HEADER} header.`,
    },
  ),
);

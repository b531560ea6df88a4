import { Type } from 'typebox';
import { ExplainMessageSchema, type Explanation } from '@warren/topology';
import {
  DefinitionsFileSchema,
  HeadersSchema,
  TopologyDocumentSchema,
  VhostChoiceSchema,
} from './common';

/** The message as a request carries it: the routing key may be left out, headers are scalars. */
export const ExplainRequestMessageSchema = Type.Interface(
  [Type.Omit(ExplainMessageSchema, ['routingKey', 'headers'])],
  {
    routingKey: Type.Optional(Type.String({ maxLength: 255, default: '' })),
    headers: Type.Optional(HeadersSchema),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/explain`: a message and exactly one source of the topology. */
export const ExplainRequestSchema = Type.Object(
  {
    message: ExplainRequestMessageSchema,
    topology: Type.Optional(TopologyDocumentSchema),
    definitions: Type.Optional(DefinitionsFileSchema),
    /** With a full definitions export: the vhost to explain. */
    vhost: Type.Optional(VhostChoiceSchema),
    /** Explain against the session's current topology. */
    sessionId: Type.Optional(
      Type.String({ maxLength: 64, description: "Explain against this session's topology." }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A message, and exactly one of topology, definitions or sessionId.',
  },
);
export type ExplainRequest = Type.Static<typeof ExplainRequestSchema>;

export const ExplainResponseSchema = Type.Unsafe<Explanation>(
  Type.Object(
    {},
    {
      additionalProperties: true,
      description:
        'The Explanation of @warren/topology: hops (exchanges with every binding, matched or not, and why), queues, hashChoices, unroutable, returned, fates (expiry, overflow, dead-letter routes) and a summary sentence.',
    },
  ),
);
export type ExplainResponse = Explanation;

import Type from 'typebox';
import { CODE_FORMATS } from '@warren/topology';

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      path: Type.Optional(Type.String()),
      hint: Type.Optional(Type.String()),
      vhosts: Type.Optional(Type.Array(Type.String())),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            path: Type.String(),
            message: Type.String(),
            nodeId: Type.Optional(Type.String()),
          }),
        ),
      ),
    }),
  },
  { additionalProperties: true, $id: 'Error' },
);

export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Documented loosely: the topology document is validated by @warren/topology with learner-friendly paths. */
export const TopologyBody = Type.Object(
  {},
  { additionalProperties: true, description: 'A Warren topology document (version 1).' },
);

export const CreateSessionBody = Type.Union([
  Type.Object(
    {
      topology: Type.Optional(TopologyBody),
      definitions: Type.Optional(
        Type.Object(
          {},
          { additionalProperties: true, description: 'A RabbitMQ definitions.json export.' },
        ),
      ),
      vhost: Type.Optional(
        Type.String({ description: 'With a full definitions export: the vhost to import.' }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

/**
 * One `type` list rather than a union: Fastify's validator coerces types, and it would turn the
 * number 1 into the text "1" against a union's first branch (a header's type decides whether a
 * headers binding matches). With a type list, coercion happens only when no type fits.
 */
export const HeaderValue = Type.Unsafe<string | number | boolean | null>({
  type: ['string', 'number', 'boolean', 'null'],
});

export const PublishBody = Type.Object(
  {
    exchange: Type.String({
      maxLength: 255,
      description: "Exchange name; '' is the default exchange.",
    }),
    routingKey: Type.Optional(Type.String({ maxLength: 255 })),
    payload: Type.Optional(Type.String()),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), HeaderValue)),
    mandatory: Type.Optional(Type.Boolean()),
    producerId: Type.Optional(Type.String({ maxLength: 200 })),
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const PublishReply = Type.Object({
  messageId: Type.String(),
  exchange: Type.String(),
  routingKey: Type.String(),
  routedQueues: Type.Array(Type.String()),
  returned: Type.Optional(Type.Object({ replyCode: Type.Number(), replyText: Type.String() })),
  confirmed: Type.Boolean(),
  /** The broker refused the message with a basic.nack (a full reject-publish queue). */
  nacked: Type.Optional(Type.Boolean()),
});

export const QueueStateSchema = Type.Object({
  name: Type.String(),
  brokerName: Type.Optional(Type.String()),
  messages: Type.Number(),
  consumers: Type.Number(),
  unacked: Type.Optional(Type.Number()),
  publishRate: Type.Optional(Type.Number()),
  deliverRate: Type.Optional(Type.Number()),
  ackRate: Type.Optional(Type.Number()),
});

const DefinitionsBody = Type.Object(
  {},
  { additionalProperties: true, description: 'A RabbitMQ definitions.json export.' },
);
const VhostChoice = Type.String({
  maxLength: 255,
  description: 'With a full definitions export (several vhosts): the vhost to take.',
});

export const ExplainMessageSchema = Type.Object(
  {
    exchange: Type.String({
      maxLength: 255,
      description: "Exchange name; '' is the default exchange.",
    }),
    routingKey: Type.Optional(Type.String({ maxLength: 255, default: '' })),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), HeaderValue)),
    properties: Type.Optional(
      Type.Object(
        {
          expiration: Type.Optional(
            Type.String({ description: 'Per-message TTL in milliseconds, as text.' }),
          ),
          priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
          messageId: Type.Optional(Type.String({ maxLength: 255 })),
          correlationId: Type.Optional(Type.String({ maxLength: 255 })),
          timestamp: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    mandatory: Type.Optional(Type.Boolean()),
    payloadBytes: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Size of the body, for x-max-length-bytes.' }),
    ),
  },
  { additionalProperties: false },
);

export const ExplainBody = Type.Object(
  {
    message: ExplainMessageSchema,
    topology: Type.Optional(TopologyBody),
    definitions: Type.Optional(DefinitionsBody),
    vhost: Type.Optional(VhostChoice),
    sessionId: Type.Optional(
      Type.String({ maxLength: 64, description: "Explain against this session's topology." }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A message, and exactly one of topology, definitions or sessionId.',
  },
);

export const ImportDefinitionsBody = Type.Object(
  { definitions: DefinitionsBody, vhost: Type.Optional(VhostChoice) },
  { additionalProperties: false },
);

export const ImportDefinitionsReply = Type.Object({
  topology: Type.Object({}, { additionalProperties: true }),
  vhost: Type.Union([Type.String(), Type.Null()]),
  notImported: Type.Array(Type.String()),
});

export const ExportDefinitionsBody = Type.Object(
  {
    topology: TopologyBody,
    vhost: Type.Optional(
      Type.String({ maxLength: 255, description: 'Tag every object with this vhost.' }),
    ),
  },
  { additionalProperties: false },
);

export const CodeFormatSchema = Type.Enum([...CODE_FORMATS], {
  description: 'amqplib (TypeScript), pika (Python), rabbitmqadmin, curl, terraform.',
});

export const CodegenOptionsSchema = Type.Object(
  {
    amqpUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    managementUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    vhost: Type.Optional(Type.String({ maxLength: 255 })),
    user: Type.Optional(Type.String({ maxLength: 255 })),
    password: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const CodeBody = Type.Object(
  {
    topology: TopologyBody,
    format: CodeFormatSchema,
    options: Type.Optional(CodegenOptionsSchema),
  },
  { additionalProperties: false },
);

export const GeneratedCodeReply = Type.Object({
  format: Type.String(),
  filename: Type.String(),
  language: Type.String(),
  code: Type.String(),
});

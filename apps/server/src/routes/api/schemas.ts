import Type from 'typebox';

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      path: Type.Optional(Type.String()),
      hint: Type.Optional(Type.String()),
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

const HeaderValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

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
});

export const QueueStateSchema = Type.Object({
  name: Type.String(),
  messages: Type.Number(),
  consumers: Type.Number(),
  unacked: Type.Optional(Type.Number()),
});

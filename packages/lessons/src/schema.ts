import { Type } from 'typebox';
import { TopologySchema } from '@warren/topology';

/**
 * A lesson file: a diagram in the document format users save, and steps in the project's own
 * words. Steps may carry an action (what "Run" does for the learner) and a check (what on the
 * live session ticks the step off). New lessons are data: no code names them.
 */

const Name = Type.String({ minLength: 1, maxLength: 255 });

/** One message for the `publish` action; `exchange` '' is the default exchange. */
export const LessonMessageSchema = Type.Object(
  {
    exchange: Type.String({ maxLength: 255 }),
    routingKey: Type.Optional(Type.String({ maxLength: 255 })),
    payload: Type.Optional(Type.String({ maxLength: 10_000 })),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    ),
    mandatory: Type.Optional(Type.Boolean()),
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** The producer node the message is drawn from. */
    producer: Type.Optional(Name),
  },
  { additionalProperties: false },
);
export type LessonMessage = Type.Static<typeof LessonMessageSchema>;

/** What running a step does, on the session's broker. Node references are node ids. */
export const LessonActionSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('publish'),
      messages: Type.Array(LessonMessageSchema, { minItems: 1, maxItems: 100 }),
    },
    { additionalProperties: false },
  ),
  /** Send `count` messages with a producer node's own settings. */
  Type.Object(
    {
      kind: Type.Literal('send'),
      producer: Name,
      count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Union([Type.Literal('start-producer'), Type.Literal('stop-producer')]),
      producer: Name,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Union([
        Type.Literal('start-consumer'),
        Type.Literal('pause-consumer'),
        Type.Literal('resume-consumer'),
        Type.Literal('kill-consumer'),
      ]),
      consumer: Name,
    },
    { additionalProperties: false },
  ),
  /**
   * Stops and starts the whole broker with the command its operator set; only where the operator
   * allows it. Every session on that broker sees the outage. Its `broker-restart` event with
   * `phase: "back"` comes once the broker is back and the session has recovered.
   */
  Type.Object({ kind: Type.Literal('restart-broker') }, { additionalProperties: false }),
]);
export type LessonAction = Type.Static<typeof LessonActionSchema>;

/** Event fields to match: a value equal, or for a list the same members in any order. */
const Where = Type.Record(
  Type.String(),
  Type.Union([
    Type.String(),
    Type.Number(),
    Type.Boolean(),
    Type.Null(),
    Type.Array(Type.String()),
  ]),
);

const EventCheckSchema = Type.Object(
  {
    /** At least `atLeast` (default 1) events of type `event` whose fields match `where`. */
    kind: Type.Literal('event'),
    event: Name,
    where: Type.Optional(Where),
    atLeast: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

const QueueDepthCheckSchema = Type.Object(
  {
    /** A queue's ready messages, from the broker's queue statistics. */
    kind: Type.Literal('queue-depth'),
    queue: Name,
    atLeast: Type.Optional(Type.Integer({ minimum: 0 })),
    atMost: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** What ticks a step off, evaluated on the session's events since the lesson started. */
export const LessonCheckSchema = Type.Union([
  EventCheckSchema,
  QueueDepthCheckSchema,
  /** Every one of `checks`. */
  Type.Object(
    {
      kind: Type.Literal('all'),
      checks: Type.Array(Type.Union([EventCheckSchema, QueueDepthCheckSchema]), {
        minItems: 1,
        maxItems: 20,
      }),
    },
    { additionalProperties: false },
  ),
]);
export type LessonCheck = Type.Static<typeof LessonCheckSchema>;
export type SingleCheck =
  Type.Static<typeof EventCheckSchema> | Type.Static<typeof QueueDepthCheckSchema>;

export const LessonStepSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    title: Type.String({ minLength: 1, maxLength: 120 }),
    /** What to click, what to watch, why it happens. */
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    action: Type.Optional(LessonActionSchema),
    check: Type.Optional(LessonCheckSchema),
  },
  { additionalProperties: false },
);
export type LessonStep = Type.Static<typeof LessonStepSchema>;

export const LessonSummarySchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
  /** The row of the scenario gallery the lesson teaches. */
  number: Type.Integer({ minimum: 1 }),
  title: Type.String({ minLength: 1, maxLength: 120 }),
  summary: Type.String({ minLength: 1, maxLength: 500 }),
});
export type LessonSummary = Type.Static<typeof LessonSummarySchema>;

export const LessonSchema = Type.Interface(
  [LessonSummarySchema],
  {
    document: TopologySchema,
    steps: Type.Array(LessonStepSchema, { minItems: 1, maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type Lesson = Type.Static<typeof LessonSchema>;

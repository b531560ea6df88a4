import { Type } from 'typebox';
import { HeadersSchema } from './common';

/** `follow`: everyone watches the teacher's canvas. `try`: everyone works in a sandbox of their own. */
export const ClassroomModeSchema = Type.Union([Type.Literal('follow'), Type.Literal('try')]);
export type ClassroomMode = Type.Static<typeof ClassroomModeSchema>;

/** A classroom's join code: six characters a projector shows and a student types. */
export const ClassroomCodeSchema = Type.String({
  minLength: 4,
  maxLength: 16,
  pattern: '^[A-Za-z0-9-]+$',
});

export const ClassroomParamsSchema = Type.Object({ code: ClassroomCodeSchema });
export type ClassroomParams = Type.Static<typeof ClassroomParamsSchema>;

/** The part of the canvas the teacher is looking at, in React Flow's terms. */
export const ViewportSchema = Type.Object({
  x: Type.Number(),
  y: Type.Number(),
  zoom: Type.Number({ exclusiveMinimum: 0, maximum: 16 }),
  /**
   * The teacher's canvas in screen pixels, so that a follower whose screen is another size can
   * show the same part of the diagram (centred, scaled to fit).
   */
  width: Type.Optional(Type.Number({ minimum: 1, maximum: 100000 })),
  height: Type.Optional(Type.Number({ minimum: 1, maximum: 100000 })),
});
export type Viewport = Type.Static<typeof ViewportSchema>;

/** Node and edge ids the teacher has selected. */
export const SelectionSchema = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 });

/** The message a predict-then-reveal question is about: what the teacher will publish. */
export const QuestionMessageSchema = Type.Object(
  {
    exchange: Type.String({ maxLength: 255, description: "Exchange name; '' is the default." }),
    routingKey: Type.Optional(Type.String({ maxLength: 255 })),
    headers: Type.Optional(HeadersSchema),
    payload: Type.Optional(Type.String({ maxLength: 65536 })),
  },
  { additionalProperties: false },
);
export type QuestionMessage = Type.Static<typeof QuestionMessageSchema>;

/** How many followers predicted one set of queues (sorted names; empty: "nowhere"). */
export const TallyRowSchema = Type.Object({
  queues: Type.Array(Type.String()),
  count: Type.Integer({ minimum: 0 }),
  /** Set once revealed: this prediction is exactly where the broker routed the message. */
  correct: Type.Optional(Type.Boolean()),
});
export type TallyRow = Type.Static<typeof TallyRowSchema>;

/** "Where will this message go?" and, once the teacher published it, the broker's answer. */
export const QuestionSchema = Type.Object({
  id: Type.String(),
  message: QuestionMessageSchema,
  askedAt: Type.String({ description: 'ISO 8601.' }),
  /** How many followers answered (each counts once; answering again replaces the answer). */
  answers: Type.Integer({ minimum: 0 }),
  /** Answers grouped by prediction, most chosen first. */
  tally: Type.Array(TallyRowSchema),
  /** Where the broker routed the message, after the teacher published it; null until then. */
  revealed: Type.Union([
    Type.Null(),
    Type.Object({
      routedQueues: Type.Array(Type.String()),
      messageId: Type.String(),
      at: Type.String({ description: 'ISO 8601.' }),
      /** Followers whose prediction was exactly right. */
      correct: Type.Integer({ minimum: 0 }),
    }),
  ]),
});
export type Question = Type.Static<typeof QuestionSchema>;

/** Reply of `GET /api/classrooms/:code`. */
export const ClassroomSummarySchema = Type.Object({
  code: Type.String(),
  sessionId: Type.String(),
  /** Students connected to the classroom now, on every Warren server. */
  followers: Type.Integer({ minimum: 0 }),
  mode: ClassroomModeSchema,
  /** The lesson the teacher's session runs, if any. */
  lessonId: Type.Optional(Type.String()),
});
export type ClassroomSummary = Type.Static<typeof ClassroomSummarySchema>;

/** Everything a follower needs to be where the class is. */
export const ClassroomStateSchema = Type.Interface([ClassroomSummarySchema], {
  viewport: Type.Union([ViewportSchema, Type.Null()]),
  selection: SelectionSchema,
  /** The lesson step the teacher is on, if the session runs a lesson. */
  stepId: Type.Union([Type.String(), Type.Null()]),
  /** The open or last question, if any. */
  question: Type.Union([QuestionSchema, Type.Null()]),
});
export type ClassroomState = Type.Static<typeof ClassroomStateSchema>;

/** Reply of `POST /api/sessions/:id/classroom` (201; 200 with the same code when one is open). */
export const CreateClassroomResponseSchema = Type.Object({
  code: Type.String(),
  /** The page a student opens: `<origin>/join/<code>`. */
  joinUrl: Type.String(),
});
export type CreateClassroomResponse = Type.Static<typeof CreateClassroomResponseSchema>;

/** Body of `PUT /api/classrooms/:code/view` (teacher): what the teacher shows now. */
export const ClassroomViewRequestSchema = Type.Object(
  {
    viewport: Type.Optional(ViewportSchema),
    selection: Type.Optional(SelectionSchema),
    stepId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ClassroomViewRequest = Type.Static<typeof ClassroomViewRequestSchema>;

/** Body of `POST /api/classrooms/:code/mode` (teacher). */
export const ClassroomModeRequestSchema = Type.Object(
  { mode: ClassroomModeSchema },
  { additionalProperties: false },
);

/** Body of `POST /api/classrooms/:code/forks`: `followerId` gives a returning student their sandbox. */
export const CreateForkRequestSchema = Type.Object(
  { followerId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })) },
  { additionalProperties: false },
);

/** Reply of `POST /api/classrooms/:code/forks` (201). */
export const CreateForkResponseSchema = Type.Object({
  sessionId: Type.String(),
  editToken: Type.String(),
  /** True when the follower already had a sandbox and gets it back. */
  existing: Type.Optional(Type.Boolean()),
});
export type CreateForkResponse = Type.Static<typeof CreateForkResponseSchema>;

/** Body of `POST /api/classrooms/:code/questions` (teacher). */
export const AskQuestionRequestSchema = Type.Object(
  { message: QuestionMessageSchema },
  { additionalProperties: false },
);

export const QuestionParamsSchema = Type.Interface([ClassroomParamsSchema], {
  qid: Type.String({ maxLength: 64 }),
});

/** Body of `POST /api/classrooms/:code/questions/:qid/answers` (any follower). */
export const AnswerRequestSchema = Type.Object(
  {
    queues: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 200 }),
    /** Who answers: a follower answers once, later answers replace the earlier one. */
    followerId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  },
  { additionalProperties: false },
);

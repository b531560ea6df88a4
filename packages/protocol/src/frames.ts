import { Type } from 'typebox';
import { CounterSnapshotSchema } from '@warren/topology';
import { ErrorCodeSchema } from './errors';
import { WarrenEventSchema } from './events';
import { TopologyDocumentSchema } from './http/common';
import { ClassroomStateSchema } from './http/classrooms';
import { BrokerStatusSchema } from './http/health';
import { LessonProgressSchema } from './http/lessons';
import { OutsideNamesSchema, OutsideOwnersSchema } from './http/outside';
import { QueueStateSchema } from './http/sessions';

/** The first frame on `/api/sessions/:id/events`: the session as it is now. */
export const HelloFrameSchema = Type.Object({
  type: Type.Literal('hello'),
  sessionId: Type.String(),
  /** The seq of the last event sent before this snapshot. */
  seq: Type.Integer(),
  topology: TopologyDocumentSchema,
  queues: Type.Array(QueueStateSchema),
  broker: BrokerStatusSchema,
  /** `kind:name` of the topology's objects declared outside Warren (see TopologyEvent). */
  outsideNames: Type.Optional(OutsideNamesSchema),
  /** Objects of `outsideNames` one client owns (see TopologyEvent). */
  outsideOwners: Type.Optional(OutsideOwnersSchema),
  /** Edge and exchange counters as of this snapshot (see CountersEvent). */
  counters: Type.Optional(CounterSnapshotSchema),
  /** The session's lesson and which steps are done, when it runs one (see LessonProgressEvent). */
  lesson: Type.Optional(LessonProgressSchema),
  /** On `/api/classrooms/:code/events` only: the classroom as it is now (viewport, selection, step, mode, question). */
  classroom: Type.Optional(ClassroomStateSchema),
});

export const EventsFrameSchema = Type.Object({
  type: Type.Literal('events'),
  events: Type.Array(WarrenEventSchema),
  /** Animation events left out for this client since the last frame because it read too slowly. */
  dropped: Type.Integer(),
  /**
   * Snapshot events (queue-stats, counters) replaced by a newer one before they were sent;
   * with `dropped`, this explains every gap in seq.
   */
  replaced: Type.Optional(Type.Integer()),
});

/**
 * On `/api/classrooms/:code/events`: the classroom changed (the teacher moved, selected, changed
 * step or mode, asked or revealed a question; followers came or went). Carries the whole state.
 */
export const ClassroomFrameSchema = Type.Object({
  type: Type.Literal('classroom'),
  change: Type.Union([
    Type.Literal('viewport'),
    Type.Literal('selection'),
    Type.Literal('step'),
    Type.Literal('mode'),
    Type.Literal('question'),
    Type.Literal('followers'),
    Type.Literal('closed'),
  ]),
  classroom: ClassroomStateSchema,
});
export type ClassroomFrame = Type.Static<typeof ClassroomFrameSchema>;

export const PongFrameSchema = Type.Object({ type: Type.Literal('pong'), id: Type.String() });

export const ErrorFrameSchema = Type.Object({
  type: Type.Literal('error'),
  id: Type.Optional(Type.String()),
  code: ErrorCodeSchema,
  message: Type.String(),
});

/** Frames the server sends on `/api/sessions/:id/events`. */
export const ServerFrameSchema = Type.Union([
  HelloFrameSchema,
  EventsFrameSchema,
  ClassroomFrameSchema,
  PongFrameSchema,
  ErrorFrameSchema,
]);
export type ServerFrame = Type.Static<typeof ServerFrameSchema>;

export const PingFrameSchema = Type.Object({ type: Type.Literal('ping'), id: Type.String() });

/** Frames a client may send. Anything else is answered with a BAD_FRAME error. */
export const ClientFrameSchema = PingFrameSchema;
export type ClientFrame = Type.Static<typeof ClientFrameSchema>;

/** Reads a client frame, or says in words why it is not one. */
export function parseClientFrame(raw: string): ClientFrame | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'Frames must be JSON.' };
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) {
    return { error: 'Frames must be objects with a "type".' };
  }
  if (value.type === 'ping') {
    if ('id' in value && typeof value.id === 'string') return { type: 'ping', id: value.id };
    return { error: 'A ping needs a string "id".' };
  }
  return { error: `Unknown frame type ${JSON.stringify(value.type)}.` };
}

import { Type } from 'typebox';

/**
 * The error catalogue: stable codes, each with a default sentence a learner understands.
 * The same codes appear in HTTP replies, websocket frames and the UI.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: 'The request is not in the expected form.',
  INVALID_TOPOLOGY: 'The diagram has problems; each one is listed with the field at fault.',
  INVALID_DEFINITIONS: 'The definitions file could not be read.',
  UNAUTHORIZED: 'Editing this session needs its edit token.',
  SESSION_NOT_FOUND: 'There is no such session; it may have expired.',
  SESSION_SERVER_UNAVAILABLE:
    'The Warren server that runs this session does not answer; try again in a moment.',
  DIAGRAM_NOT_FOUND: 'There is no such diagram; it may have been deleted.',
  REVISION_CONFLICT:
    'The diagram was saved from somewhere else since you opened it; reload it, or save yours as a copy.',
  STORE_UNAVAILABLE: 'Saved diagrams cannot be reached right now.',
  LESSON_NOT_FOUND: 'There is no such lesson.',
  CLASSROOM_NOT_FOUND:
    'There is no such classroom; check the code, or the teacher may have closed it.',
  QUESTION_NOT_FOUND: 'There is no such question in this classroom.',
  RATE_LIMITED: 'Too many requests; wait a moment and try again.',
  LIMIT_REACHED: 'A limit of this server was reached; the message says which one.',
  NOT_FOUND: 'Not found.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  BROKER_UNAVAILABLE: 'RabbitMQ cannot be reached right now.',
  BROKER_BLOCKED:
    'RabbitMQ is blocking publishers: one of its resource alarms (memory or disk) is on.',
  MANAGEMENT_UNAVAILABLE:
    'The RabbitMQ management API cannot be reached; is the management plugin enabled?',
  BROKER_REFUSED: 'The broker refused part of the diagram; see the errors on the nodes.',
  PRECONDITION_FAILED: 'An object with this name already exists on the broker with other settings.',
  BROKER_NOT_FOUND: 'The broker does not have this object.',
  ACCESS_REFUSED: 'The broker refused access.',
  BROKER_RESTART_NOT_ALLOWED:
    'This Warren does not restart the broker; its operator allows it with WARREN_BROKER_RESTART.',
  BROKER_RESTART_BUSY: 'The broker is being restarted already; wait until it is back.',
  BROKER_RESTART_FAILED: 'The broker restart did not complete; the message says what happened.',
  PUBLISH_TIMEOUT: 'The broker did not report what happened to the message in time.',
  BAD_FRAME: 'The websocket message could not be understood.',
  REQUEST_TOO_COSTLY:
    'This needs too much work to answer; try a smaller diagram, fewer bindings or shorter patterns.',
  SERVER_BUSY: 'Warren is busy with other requests; try again in a moment.',
  INTERNAL: 'Something went wrong inside Warren.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The HTTP status each code is answered with, unless the place that raises it says otherwise
 * (BAD_FRAME only ever travels on the websocket).
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  INVALID_TOPOLOGY: 400,
  INVALID_DEFINITIONS: 400,
  UNAUTHORIZED: 401,
  SESSION_NOT_FOUND: 404,
  SESSION_SERVER_UNAVAILABLE: 503,
  DIAGRAM_NOT_FOUND: 404,
  REVISION_CONFLICT: 409,
  STORE_UNAVAILABLE: 503,
  LESSON_NOT_FOUND: 404,
  CLASSROOM_NOT_FOUND: 404,
  QUESTION_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  LIMIT_REACHED: 429,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  BROKER_UNAVAILABLE: 503,
  BROKER_BLOCKED: 503,
  MANAGEMENT_UNAVAILABLE: 503,
  BROKER_REFUSED: 409,
  PRECONDITION_FAILED: 406,
  BROKER_NOT_FOUND: 404,
  ACCESS_REFUSED: 403,
  BROKER_RESTART_NOT_ALLOWED: 403,
  BROKER_RESTART_BUSY: 409,
  BROKER_RESTART_FAILED: 502,
  PUBLISH_TIMEOUT: 504,
  BAD_FRAME: 400,
  REQUEST_TOO_COSTLY: 422,
  SERVER_BUSY: 503,
  INTERNAL: 500,
};

export const ErrorCodeSchema = Type.Enum(Object.keys(ERROR_CODES) as ErrorCode[]);

/** One located problem: `path` is a JSON pointer into the request body (or the topology). */
export const ErrorDetailSchema = Type.Object({
  path: Type.String(),
  message: Type.String(),
  nodeId: Type.Optional(Type.String()),
});
export type ErrorDetail = Type.Static<typeof ErrorDetailSchema>;

/** The one JSON shape of every error reply. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeSchema,
      message: Type.String(),
      path: Type.Optional(Type.String()),
      hint: Type.Optional(Type.String()),
      /** With a full definitions export: the vhosts to pick from. */
      vhosts: Type.Optional(Type.Array(Type.String())),
      details: Type.Optional(Type.Array(ErrorDetailSchema)),
      /** With REVISION_CONFLICT: the diagram's latest revision. */
      latestRevision: Type.Optional(Type.Integer()),
    }),
  },
  // A partial apply puts its result beside `error` (see ApplyTopologyResponse).
  { additionalProperties: true, $id: 'Error' },
);
export type ErrorBody = Type.Static<typeof ErrorBodySchema>;

/** Everything an error reply says besides its code and sentence. */
export type ErrorExtras = Omit<ErrorBody['error'], 'code' | 'message'>;

export function errorBody(code: ErrorCode, message?: string, extra: ErrorExtras = {}): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code], ...extra } };
}

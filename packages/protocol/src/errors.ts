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
  NOT_FOUND: 'Not found.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  BROKER_UNAVAILABLE: 'RabbitMQ cannot be reached right now.',
  MANAGEMENT_UNAVAILABLE:
    'The RabbitMQ management API cannot be reached; is the management plugin enabled?',
  BROKER_REFUSED: 'The broker refused part of the diagram; see the errors on the nodes.',
  PRECONDITION_FAILED: 'An object with this name already exists on the broker with other settings.',
  BROKER_NOT_FOUND: 'The broker does not have this object.',
  ACCESS_REFUSED: 'The broker refused access.',
  PUBLISH_TIMEOUT: 'The broker did not report what happened to the message in time.',
  BAD_FRAME: 'The websocket message could not be understood.',
  INTERNAL: 'Something went wrong inside Warren.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One located problem: `path` is a JSON pointer into the request body (or the topology). */
export interface ErrorDetail {
  path: string;
  message: string;
  nodeId?: string;
}

/** The one JSON shape of every error reply. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    path?: string;
    details?: ErrorDetail[];
    hint?: string;
    /** With a full definitions export: the vhosts to pick from. */
    vhosts?: string[];
  };
}

export function errorBody(
  code: ErrorCode,
  message?: string,
  extra: Omit<ErrorBody['error'], 'code' | 'message'> = {},
): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code], ...extra } };
}

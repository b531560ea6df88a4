import { ERROR_CODES, ERROR_STATUS, type ErrorCode, type ErrorExtras } from '@warren/protocol';

/**
 * An error the client hears about. It carries its catalogue code and HTTP status from where it
 * is raised; the one error handler turns it into `{ error: { code, message, ... } }`.
 */
export class WarrenError extends Error {
  /** The HTTP status of the reply: the catalogue's for the code, unless the raiser says otherwise. */
  readonly statusCode: number;
  /** Fields placed beside `error` in the reply (e.g. the nodeErrors of a partial apply). */
  readonly siblings: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    /** The sentence for the client; the catalogue's when absent. */
    message: string = ERROR_CODES[code],
    readonly extra: ErrorExtras = {},
    options: { status?: number; siblings?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'WarrenError';
    this.statusCode = options.status ?? ERROR_STATUS[code];
    this.siblings = options.siblings ?? {};
  }

  /** What the client reads; an error whose own words are for the log only says otherwise. */
  get replyMessage(): string {
    return this.message;
  }
}

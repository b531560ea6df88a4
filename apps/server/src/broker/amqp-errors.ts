import type { ErrorCode } from '@warren/protocol';

/** What a broker refusal (a channel or connection closed by the server) means to a user. */
export interface BrokerRefusal {
  code: ErrorCode;
  replyCode: number;
  /** The broker's own words, e.g. `PRECONDITION_FAILED - inequivalent arg 'durable' ...`. */
  brokerMessage: string;
}

const CODES: Record<number, ErrorCode> = {
  403: 'ACCESS_REFUSED',
  404: 'BROKER_NOT_FOUND',
  406: 'PRECONDITION_FAILED',
};

/** amqplib reports a server close as `Channel closed by server: 406 (PRECONDITION-FAILED) with message "..."`. */
export function brokerRefusal(error: unknown): BrokerRefusal | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  const match = /with message "(.*)"$/s.exec(error.message);
  if (typeof code !== 'number' || match === null) return undefined;
  return {
    code: CODES[code] ?? 'BROKER_REFUSED',
    replyCode: code,
    brokerMessage: match[1] ?? error.message,
  };
}

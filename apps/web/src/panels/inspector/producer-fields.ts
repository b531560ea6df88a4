import type { ElementPatch, Producer } from '@warren/topology';
import type { Reading } from './DraftField';

/** What each group of the producer inspector's fields is given. */
export interface ProducerFieldsProps {
  producer: Producer;
  update: (patch: ElementPatch<Producer>) => void;
  /** The validator's and the last Apply's problems, by field. */
  problems: ReadonlyMap<string, string[]>;
}

/*
 * How the producer inspector's compact fields read what is typed. Empty text clears the
 * setting; text that does not match stays a draft.
 */

function readOptional<T>(pattern: RegExp, convert: (trimmed: string) => T, problem: string) {
  return (text: string): Reading<T | undefined> => {
    const trimmed = text.trim();
    if (trimmed === '') return { value: undefined };
    return pattern.test(trimmed) ? { value: convert(trimmed) } : { problem };
  };
}

/** Digits only, inside [min, max]. */
export function readWhole(min: number, max: number) {
  const digits = readOptional(/^\d+$/, Number, 'A whole number.');
  return (text: string): Reading<number | undefined> => {
    const reading = digits(text);
    if ('value' in reading && reading.value !== undefined)
      if (reading.value < min || reading.value > max) return { problem: `From ${min} to ${max}.` };
    return reading;
  };
}

/**
 * A whole number for the document. Out of range it is still stored, so the validator names the
 * limit next to the field (as for arguments); text that is no number stays a draft.
 */
export const readInteger = readOptional(/^\d{1,9}$/, Number, 'A whole number.');

/** A per-message TTL: whole milliseconds, kept as the text AMQP carries it in `expiration`. */
export const readExpiration = readOptional(
  /^\d{1,10}$/,
  (trimmed) => trimmed,
  'Whole milliseconds.',
);

export const readRate = readOptional(/^\d{1,9}(\.\d+)?$/, Number, 'Messages per second.');

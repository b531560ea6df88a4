import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A diagram's id: short enough for a link, random enough never to be guessed (72 bits). */
export const newDiagramId = (): string => randomBytes(9).toString('base64url');

/** An edit token (192 bits); only its hash is stored. */
export const newEditToken = (): string => randomBytes(24).toString('base64url');

export const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** Whether `token` is the one whose hash is `hash`, in constant time. */
export function tokenMatches(token: string | undefined, hash: string): boolean {
  if (token === undefined || token === '') return false;
  const given = Buffer.from(hashToken(token), 'hex');
  const kept = Buffer.from(hash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

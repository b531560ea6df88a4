/**
 * Pacing: the same demo runs as a fast test (pace 0: no pauses, no reading time) and as a video
 * people can follow (pace 1: pauses as written, captions on screen long enough to read; 2 is
 * twice as slow).
 */

/** The pace a demo runs at when nothing says otherwise: a test. */
export const TEST_PACE = 0;

/** Reads a pace from text (an environment variable, a command line): a number from 0 to 10. */
export function parsePace(value: string | undefined, fallback = TEST_PACE): number {
  if (value === undefined || value.trim() === '') return fallback;
  const pace = Number(value);
  if (!Number.isFinite(pace) || pace < 0 || pace > 10) {
    throw new Error(`pace must be a number from 0 to 10, got "${value}"`);
  }
  return pace;
}

/** How long to pause for a pause written as `ms` at this pace. */
export function pauseFor(ms: number, pace: number): number {
  if (pace <= 0 || ms <= 0) return 0;
  return Math.round(ms * pace);
}

/** Words a viewer reads per minute, slower than a page: the canvas competes for their eyes. */
const WORDS_PER_MINUTE = 180;
const MIN_READING_MS = 1_800;
const MAX_READING_MS = 9_000;

/** How long a caption stays on screen so it can be read: by its words, within bounds. */
export function readingTime(text: string, pace: number): number {
  if (pace <= 0) return 0;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  const ms = Math.min(
    MAX_READING_MS,
    Math.max(MIN_READING_MS, (words / WORDS_PER_MINUTE) * 60_000 + 600),
  );
  return Math.round(ms * pace);
}

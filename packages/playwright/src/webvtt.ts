/** WebVTT files (https://www.w3.org/TR/webvtt1/) for a demo's chapters and captions. */

export interface Cue {
  /** Milliseconds from the start of the video. */
  start: number;
  end: number;
  text: string;
  /** An optional cue identifier (a chapter's number, for example). */
  id?: string;
}

/** A moment something was put on screen, in milliseconds from the start of the video. */
export interface Mark {
  at: number;
  text: string;
}

/** `hh:mm:ss.ttt`, the one timestamp form every WebVTT reader accepts. */
export function vttTimestamp(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1_000) % 60;
  const millis = total % 1_000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(millis).padStart(3, '0')}`;
}

/** Cue text may not hold "-->" nor raw `&` and `<`; blank lines would end the cue early. */
function cueText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Writes cues as a WebVTT file; cues are sorted by start, and one that ends before it starts is an error. */
export function toWebVtt(cues: readonly Cue[]): string {
  const lines = ['WEBVTT', ''];
  const sorted = [...cues].sort((a, b) => a.start - b.start);
  for (const cue of sorted) {
    if (cue.end < cue.start) {
      throw new Error(`cue "${cue.text}" ends (${cue.end} ms) before it starts (${cue.start} ms)`);
    }
    const text = cueText(cue.text);
    if (text === '') continue;
    if (cue.id !== undefined) lines.push(cue.id.replace(/-->|\n/g, ' '));
    lines.push(`${vttTimestamp(cue.start)} --> ${vttTimestamp(cue.end)}`, text, '');
  }
  return lines.join('\n');
}

/**
 * Chapters as cues: each runs from its mark to the next one, the last to the end of the video.
 * Marks at the same moment keep only the last (the earlier one was never seen).
 */
export function chapterCues(marks: readonly Mark[], end: number): Cue[] {
  const sorted = [...marks].sort((a, b) => a.at - b.at);
  const kept = sorted.filter((mark, i) => sorted[i + 1]?.at !== mark.at);
  return kept.map((mark, i) => ({
    id: String(i + 1),
    start: mark.at,
    end: Math.max(mark.at, kept[i + 1]?.at ?? end),
    text: mark.text,
  }));
}

import type { PayloadPreview } from '@warren/protocol';

/**
 * Message bodies and header values as plain text for the message inspector. Whoever published
 * them may be any client, so nothing here is ever markup: control and direction-changing
 * characters are written out as escapes, bytes that are not text become a hex dump, and all
 * of it is cut to a bounded length.
 */

/** Longest text shown for one value. */
export const MAX_SHOWN_TEXT = 2_000;

const CONTROL =
  // C0 controls except tab, newline and carriage return; DEL and C1; bidi and other invisible format characters.
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function escapeOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `\\u{${code.toString(16).padStart(4, '0')}}`;
}

/** A value as text anyone can read safely: invisible characters escaped, long text cut. */
export function visibleText(value: unknown, max = MAX_SHOWN_TEXT): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const escaped = text.replace(CONTROL, escapeOf);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

export type PayloadView =
  | { kind: 'empty'; size: 0 }
  | { kind: 'text'; text: string; size: number; shownBytes: number; cut: boolean }
  | { kind: 'binary'; hex: string; size: number; shownBytes: number; cut: boolean };

function bytesOf(base64: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return new Uint8Array();
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Share of control characters above which text is taken for binary. */
const BINARY_SHARE = 0.1;

/** Classic hex dump lines: offset, sixteen bytes, and the printable ones. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii.join('')}|`);
  }
  return lines.join('\n');
}

/**
 * How to show a body's preview: as text when its bytes are UTF-8 with few control characters
 * (a preview cut inside a character still counts), else as a hex dump.
 */
export function payloadView(preview: PayloadPreview): PayloadView {
  const bytes = bytesOf(preview.base64);
  if (preview.size === 0 || bytes.length === 0) {
    if (preview.size === 0) return { kind: 'empty', size: 0 };
    return { kind: 'binary', hex: '', size: preview.size, shownBytes: 0, cut: true };
  }
  const cut = bytes.length < preview.size;
  let text: string | undefined;
  try {
    // `stream` keeps a character cut at the preview's end from counting as bad UTF-8.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    const controls = text.match(CONTROL)?.length ?? 0;
    if (controls <= text.length * BINARY_SHARE)
      return {
        kind: 'text',
        text: visibleText(text),
        size: preview.size,
        shownBytes: bytes.length,
        cut,
      };
  }
  return { kind: 'binary', hex: hexDump(bytes), size: preview.size, shownBytes: bytes.length, cut };
}

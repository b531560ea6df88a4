import { describe, expect, it } from 'vitest';
import { hexDump, payloadView, visibleText } from './message-text';

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
const base64Bytes = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

describe('visibleText', () => {
  it('keeps ordinary text, markup included, as the characters it is', () => {
    expect(visibleText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(visibleText('line one\nline two\ttab')).toBe('line one\nline two\ttab');
  });

  it('writes control and direction-changing characters out as escapes', () => {
    expect(visibleText('a\u0000b')).toBe('a\\u{0000}b');
    expect(visibleText('evil\u202Etxt.exe')).toBe('evil\\u{202e}txt.exe');
    expect(visibleText('\u001b[31mred')).toBe('\\u{001b}[31mred');
  });

  it('cuts long text, and shows other values as JSON', () => {
    expect(visibleText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(visibleText(3)).toBe('3');
    expect(visibleText(true)).toBe('true');
  });
});

describe('payloadView', () => {
  it('shows UTF-8 text as text', () => {
    const view = payloadView({ size: 9, base64: base64('{"id": 1}') });
    expect(view).toEqual({ kind: 'text', text: '{"id": 1}', size: 9, shownBytes: 9, cut: false });
  });

  it('says when the preview is only the start of the body, even cut inside a character', () => {
    const bytes = Array.from(new TextEncoder().encode('héllo'));
    // Cut in the middle of 'é' (two bytes).
    const view = payloadView({ size: 100, base64: base64Bytes(bytes.slice(0, 2)) });
    expect(view.kind).toBe('text');
    expect(view.kind === 'text' && view.cut).toBe(true);
    expect(view.kind === 'text' && view.text).toBe('h');
  });

  it('shows bytes that are not text as a hex dump', () => {
    const view = payloadView({ size: 4, base64: base64Bytes([0xff, 0x00, 0x41, 0x10]) });
    expect(view.kind).toBe('binary');
    expect(view.kind === 'binary' && view.hex).toBe(
      `00000000  ff 00 41 10${' '.repeat(36)}  |..A.|`,
    );
  });

  it('takes valid UTF-8 full of control characters for binary', () => {
    const view = payloadView({ size: 4, base64: base64Bytes([1, 2, 3, 65]) });
    expect(view.kind).toBe('binary');
  });

  it('tells an empty body', () => {
    expect(payloadView({ size: 0, base64: '' })).toEqual({ kind: 'empty', size: 0 });
  });
});

describe('hexDump', () => {
  it('writes sixteen bytes a line with their offset', () => {
    const lines = hexDump(new Uint8Array(20).fill(0x61)).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith('00000000  61 61')).toBe(true);
    expect(lines[1]?.startsWith('00000010  61 61 61 61')).toBe(true);
    expect(lines[1]?.endsWith('|aaaa|')).toBe(true);
  });
});

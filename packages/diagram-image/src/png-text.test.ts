import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addPngText, isPng, PNG_DOCUMENT_KEYWORD, readPngText } from './png-text';

// A 1×1 PNG as a browser's canvas writes it.
const tiny = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  ),
);

/** Every chunk's type, and whether its CRC is right. */
function chunkList(bytes: Uint8Array): { type: string; crcOk: boolean }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const list: { type: string; crcOk: boolean }[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = view.getUint32(at);
    const type = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
    const crc = view.getUint32(at + 8 + length);
    list.push({ type, crcOk: crc32(bytes.subarray(at + 4, at + 8 + length)) === crc });
    at += 12 + length;
  }
  return list;
}

describe('PNG text chunks', () => {
  it('adds an iTXt chunk before IEND that reads back as UTF-8, with valid CRCs', () => {
    const text = JSON.stringify({ version: 1, name: 'Zähler → «queue» 🐇' });
    const out = addPngText(tiny, PNG_DOCUMENT_KEYWORD, text);
    expect(isPng(out)).toBe(true);
    expect(readPngText(out)[PNG_DOCUMENT_KEYWORD]).toBe(text);
    const list = chunkList(out);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    expect(list.every((c) => c.crcOk)).toBe(true);
  });

  it('replaces an earlier chunk with the same keyword instead of stacking copies', () => {
    const once = addPngText(tiny, 'k', 'first');
    const twice = addPngText(once, 'k', 'second');
    expect(readPngText(twice)).toEqual({ k: 'second' });
    expect(chunkList(twice).filter((c) => c.type === 'iTXt')).toHaveLength(1);
  });

  it('reads a tEXt chunk written by another program', () => {
    const data = Buffer.concat([Buffer.from('Comment\0hello', 'latin1')]);
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    data.copy(chunk, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
    const iend = tiny.length - 12;
    const withText = Buffer.concat([tiny.subarray(0, iend), chunk, tiny.subarray(iend)]);
    expect(readPngText(Uint8Array.from(withText))).toEqual({ Comment: 'hello' });
  });

  it('refuses what is not a PNG, and keywords PNG does not allow', () => {
    expect(() => readPngText(new TextEncoder().encode('{"version":1}'))).toThrow(/not a PNG/);
    expect(() => addPngText(tiny, '', 'x')).toThrow(/keyword/);
    expect(() => addPngText(tiny.subarray(0, tiny.length - 12), 'k', 'x')).toThrow(/IEND/);
  });

  it('says where a cut-short file ends', () => {
    expect(() => readPngText(tiny.subarray(0, 30))).toThrow(/cut short/);
  });
});

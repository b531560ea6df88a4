/**
 * Text chunks of a PNG file: reading them, and adding one before the image's end, so an exported
 * picture of a diagram carries its document. Pure bytes in, bytes out (no zlib): iTXt is written
 * uncompressed, and compressed text chunks (zTXt, compressed iTXt) are skipped when reading.
 */

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** The keyword under which a Warren document travels in a PNG. */
export const PNG_DOCUMENT_KEYWORD = 'warren:document';

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

interface Chunk {
  type: string;
  /** Where the chunk's length field starts. */
  start: number;
  data: Uint8Array;
}

function* chunks(bytes: Uint8Array): Generator<Chunk> {
  if (!isPng(bytes))
    throw new Error('This is not a PNG file (its first bytes are not the PNG signature).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > bytes.length)
      throw new Error(`The PNG file is cut short (a chunk at byte ${at} runs past its end).`);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    yield { type, start: at, data: bytes.subarray(at + 8, at + 8 + length) };
    if (type === 'IEND') return;
    at = end;
  }
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** Every uncompressed tEXt and iTXt chunk of a PNG, by keyword (the first of a keyword wins). */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  const found: Record<string, string> = {};
  for (const { type, data } of chunks(bytes)) {
    if (type !== 'tEXt' && type !== 'iTXt') continue;
    const zero = data.indexOf(0);
    if (zero < 1) continue;
    const keyword = latin1(data.subarray(0, zero));
    if (keyword in found) continue;
    if (type === 'tEXt') {
      found[keyword] = latin1(data.subarray(zero + 1));
      continue;
    }
    // iTXt: keyword, 0, compression flag, method, language tag, 0, translated keyword, 0, text.
    if (data[zero + 1] !== 0) continue;
    const languageEnd = data.indexOf(0, zero + 3);
    const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
    if (translatedEnd < 0) continue;
    found[keyword] = new TextDecoder().decode(data.subarray(translatedEnd + 1));
  }
  return found;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * The PNG with an uncompressed iTXt chunk (UTF-8 text) added just before IEND; an earlier text
 * chunk with the same keyword is dropped, so exporting twice does not stack copies.
 */
export function addPngText(
  bytes: Uint8Array,
  keyword: string,
  text: string,
): Uint8Array<ArrayBuffer> {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || keyword.trim() !== keyword)
    throw new Error(`A PNG text keyword is 1 to 79 printable characters, not "${keyword}".`);
  const keywordBytes = new TextEncoder().encode(keyword);
  const textBytes = new TextEncoder().encode(text);
  const data = new Uint8Array(keywordBytes.length + 5 + textBytes.length);
  data.set(keywordBytes, 0);
  // After the keyword: its 0, compression flag 0, method 0, empty language tag and translated keyword.
  data.set(textBytes, keywordBytes.length + 5);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let ended = false;
  for (const c of chunks(bytes)) {
    const whole = bytes.subarray(c.start, c.start + 12 + c.data.length);
    if (c.type === 'IEND') {
      parts.push(chunk('iTXt', data), whole);
      ended = true;
      break;
    }
    const zero = c.data.indexOf(0);
    const sameKeyword =
      (c.type === 'tEXt' || c.type === 'iTXt') &&
      zero === keywordBytes.length &&
      latin1(c.data.subarray(0, zero)) === keyword;
    if (!sameKeyword) parts.push(whole);
  }
  if (!ended) throw new Error('The PNG file has no end chunk (IEND).');
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

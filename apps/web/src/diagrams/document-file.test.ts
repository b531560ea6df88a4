import { addPngText, PNG_DOCUMENT_KEYWORD, renderSvg } from '@warren/diagram-image';
import { emptyTopology, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { documentFromFile } from './document-file';

const png = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  ),
  (c) => c.charCodeAt(0),
);
const doc: Topology = { ...emptyTopology(), name: 'orders' };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('documentFromFile', () => {
  it('opens a JSON document, a Warren PNG and a Warren SVG', () => {
    for (const [name, content] of [
      ['d.json', bytes(JSON.stringify(doc))],
      ['d.png', addPngText(png, PNG_DOCUMENT_KEYWORD, JSON.stringify(doc))],
      ['d.svg', bytes(renderSvg(doc))],
    ] as const) {
      const opened = documentFromFile(name, content);
      expect(opened.ok && opened.topology.name).toBe('orders');
    }
  });

  it('says why a file does not open', () => {
    const newer = documentFromFile('new.json', bytes(JSON.stringify({ ...doc, version: 2 })));
    expect(newer).toEqual({
      ok: false,
      reason:
        'new.json: This document was saved by a newer Warren (document version 2); this Warren reads version 1. Open it with a newer Warren.',
    });
    expect(documentFromFile('photo.png', png)).toMatchObject({ reason: /carries no Warren/ });
    expect(documentFromFile('a.svg', bytes('<svg/>'))).toMatchObject({
      reason: /carries no Warren/,
    });
    expect(documentFromFile('notes.txt', bytes('hello'))).toMatchObject({ reason: /neither JSON/ });
  });
});

import { describe, expect, it } from 'vitest';
import { openDocument } from './document-version';
import { emptyTopology } from './model';

describe('openDocument', () => {
  it('opens a version 1 document', () => {
    const opened = openDocument({ ...emptyTopology(), name: 'fanout' });
    expect(opened).toEqual({ ok: true, topology: expect.objectContaining({ name: 'fanout' }) });
  });

  it('refuses a newer version and says which version this one reads', () => {
    expect(openDocument({ ...emptyTopology(), version: 2 })).toMatchObject({
      ok: false,
      reason: /saved by a newer Warren \(document version 2\); this Warren reads version 1/,
    });
  });

  it('points a definitions file to Import definitions', () => {
    const opened = openDocument({ rabbit_version: '3.10.8', exchanges: [], queues: [] });
    expect(opened).toMatchObject({ ok: false, reason: /no "version".*Import definitions/ });
  });

  it('names the field of a broken document, and how many more problems it has', () => {
    expect(openDocument([1])).toMatchObject({ ok: false, reason: /JSON object/ });
    const opened = openDocument({ ...emptyTopology(), exchanges: [{ id: 'x' }, { id: 'y' }] });
    expect(opened).toMatchObject({ ok: false, reason: /^\/exchanges\/0.*more problem/ });
  });
});

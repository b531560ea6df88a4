import { describe, expect, it } from 'vitest';
import { openDocument } from './document-version';
import { emptyTopology } from './model';

describe('openDocument', () => {
  it('opens a version 1 document', () => {
    const opened = openDocument({ ...emptyTopology(), name: 'fanout' });
    expect(opened).toEqual({ ok: true, topology: expect.objectContaining({ name: 'fanout' }) });
  });

  it('refuses a newer version and says which version this one reads', () => {
    expect(openDocument({ ...emptyTopology(), version: 2 })).toEqual({
      ok: false,
      reason: 'It was saved by a newer Warren (document version 2); this one reads version 1.',
    });
  });

  it('tells a definitions file from a diagram', () => {
    const opened = openDocument({ rabbit_version: '3.10.8', exchanges: [], queues: [] });
    expect(opened.ok || opened.reason).toMatch(/definitions file.*Import definitions/);
  });

  it('names what is wrong with a version', () => {
    expect(openDocument({ version: '1' })).toMatchObject({ ok: false, reason: /"1"/ });
    expect(openDocument({ exchanges: [] })).toMatchObject({ ok: false, reason: /no "version"/ });
    expect(openDocument([1])).toMatchObject({ ok: false, reason: /JSON object/ });
  });

  it('names the field of a broken version 1 document', () => {
    const opened = openDocument({ ...emptyTopology(), exchanges: [{ id: 'x' }] });
    expect(opened).toMatchObject({ ok: false, reason: /version 1 document, but \/exchanges\/0/ });
  });
});

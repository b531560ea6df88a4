import { describe, expect, it } from 'vitest';
import { editLink, parseDiagramLocation, viewLink } from './diagram-links';

describe('diagram links', () => {
  it('reads the id from the path and the token from the fragment only', () => {
    expect(parseDiagramLocation('/d/abc123', '')).toEqual({ id: 'abc123' });
    expect(parseDiagramLocation('/d/abc123', '#edit=t%2Fk')).toEqual({
      id: 'abc123',
      editToken: 't/k',
    });
    expect(parseDiagramLocation('/', '#edit=x')).toBeNull();
    expect(parseDiagramLocation('/d/a/b', '')).toBeNull();
  });

  it('makes links that read back', () => {
    const link = new URL(editLink('abc', 'to/ken', 'http://h:1'));
    expect(viewLink('abc', 'http://h:1')).toBe('http://h:1/d/abc');
    expect(link.search).toBe('');
    expect(parseDiagramLocation(link.pathname, link.hash)).toEqual({
      id: 'abc',
      editToken: 'to/ken',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './frames';

describe('parseClientFrame', () => {
  it('reads a ping with its id', () => {
    expect(parseClientFrame('{"type":"ping","id":"42"}')).toEqual({ type: 'ping', id: '42' });
  });

  it('drops fields a ping does not have', () => {
    expect(parseClientFrame('{"type":"ping","id":"a","extra":true}')).toEqual({
      type: 'ping',
      id: 'a',
    });
  });

  it.each(['', 'ping', '{"type":', "{'type':'ping'}"])('refuses %j, which is not JSON', (raw) => {
    expect(parseClientFrame(raw)).toEqual({ error: 'Frames must be JSON.' });
  });

  it.each(['null', '42', '"ping"', '[]', '[{"type":"ping","id":"1"}]', '{}', '{"id":"1"}'])(
    'refuses %s, which is not an object with a type',
    (raw) => {
      expect(parseClientFrame(raw)).toEqual({ error: 'Frames must be objects with a "type".' });
    },
  );

  it.each(['{"type":"ping"}', '{"type":"ping","id":7}', '{"type":"ping","id":null}'])(
    'refuses %s, a ping without a string id',
    (raw) => {
      expect(parseClientFrame(raw)).toEqual({ error: 'A ping needs a string "id".' });
    },
  );

  it('names an unknown frame type', () => {
    expect(parseClientFrame('{"type":"publish","id":"1"}')).toEqual({
      error: 'Unknown frame type "publish".',
    });
    expect(parseClientFrame('{"type":{"nested":1}}')).toEqual({
      error: 'Unknown frame type {"nested":1}.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { injectRequest, type Injector } from './warren-api';

describe('injectRequest', () => {
  it('hands method, url, headers and body to inject, and reads the JSON reply', async () => {
    const calls: Parameters<Injector['inject']>[0][] = [];
    const app: Injector = {
      inject: (options) => {
        calls.push(options);
        return Promise.resolve(
          options.method === 'DELETE'
            ? { statusCode: 204, body: '' }
            : { statusCode: 201, body: '{"id":"s1"}' },
        );
      },
    };
    const request = injectRequest(app);
    expect(await request('POST', '/api/sessions', {}, { authorization: 'Bearer t' })).toEqual({
      status: 201,
      body: { id: 's1' },
    });
    expect(await request('DELETE', '/api/sessions/s1')).toEqual({ status: 204, body: undefined });
    expect(calls).toEqual([
      {
        method: 'POST',
        url: '/api/sessions',
        headers: { authorization: 'Bearer t' },
        payload: {},
      },
      { method: 'DELETE', url: '/api/sessions/s1' },
    ]);
  });
});

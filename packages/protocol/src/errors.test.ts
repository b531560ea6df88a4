import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS, errorBody } from './errors';

describe('errorBody', () => {
  it('uses the catalogue sentence unless given another', () => {
    expect(errorBody('SESSION_NOT_FOUND')).toEqual({
      error: { code: 'SESSION_NOT_FOUND', message: ERROR_CODES.SESSION_NOT_FOUND },
    });
    expect(
      errorBody('INVALID_TOPOLOGY', 'Two problems.', {
        details: [{ path: '/queues/0/name', message: 'A queue needs a name.', nodeId: 'q1' }],
      }),
    ).toEqual({
      error: {
        code: 'INVALID_TOPOLOGY',
        message: 'Two problems.',
        details: [{ path: '/queues/0/name', message: 'A queue needs a name.', nodeId: 'q1' }],
      },
    });
  });

  it('has a sentence for every code', () => {
    for (const [code, sentence] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(sentence).toMatch(/^[A-Z].*[.?]$/);
    }
  });

  it('answers every code with an HTTP error status', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const status of Object.values(ERROR_STATUS)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { binding, exchange, queue, topology } from '../testing';
import { connectSnippets, snippetTarget, SNIPPET_LANGUAGES } from './connect-snippets';

const url = 'amqp://u:p%40ss@localhost:5672/warren-abc';

describe('snippetTarget', () => {
  it('publishes through the first keyed binding, with wildcards made concrete', () => {
    const t = topology({
      exchanges: [exchange('match', 'headers'), exchange('logs', 'topic')],
      queues: [queue('any'), queue('errors')],
      bindings: [binding('match', 'any', ''), binding('logs', 'errors', '*.error.#')],
    });
    expect(snippetTarget(t)).toEqual({
      exchange: 'logs',
      routingKey: 'demo.error.demo',
      queue: 'errors',
      declareQueue: false,
    });
  });

  it('falls back to a queue through the default exchange, or a queue of its own', () => {
    expect(snippetTarget(topology({ queues: [queue('jobs')] }))).toMatchObject({
      exchange: '',
      routingKey: 'jobs',
      queue: 'jobs',
    });
    expect(snippetTarget(topology({}))).toMatchObject({ queue: 'hello', declareQueue: true });
  });
});

describe('connectSnippets', () => {
  it('writes one program per client, each with the URL and the names as literals', () => {
    const t = topology({ queues: [queue('say "hi"')] });
    const snippets = connectSnippets(url, t);
    expect(snippets.map((s) => s.language)).toEqual([...SNIPPET_LANGUAGES]);
    for (const snippet of snippets) {
      expect(snippet.code, snippet.language).toContain(url);
      expect(snippet.code, snippet.language).toMatch(/say \\"hi\\"|say "hi"/);
    }
    expect(snippets[0]!.code).toContain('routing_key="say \\"hi\\""');
    expect(snippets[1]!.code).toContain(`'say "hi"'`);
  });
});

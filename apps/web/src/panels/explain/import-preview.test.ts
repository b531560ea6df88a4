import { describe, expect, it } from 'vitest';
import { laidOut, previewImport } from './import-preview';

const full = JSON.stringify({
  vhosts: [{ name: 'a' }, { name: 'b' }],
  exchanges: [
    { name: 'x', vhost: 'a', type: 'topic' },
    { name: 'y', vhost: 'b', type: 'fanout' },
  ],
  queues: [{ name: 'q', vhost: 'a' }],
  bindings: [
    { source: 'x', vhost: 'a', destination: 'q', destination_type: 'queue', routing_key: 'k.#' },
  ],
});

describe('previewImport', () => {
  it('asks for a vhost when the file is a full export with several', () => {
    expect(previewImport(full, '')).toMatchObject({ state: 'pick-vhost', vhosts: ['a', 'b'] });
  });

  it('reads the picked vhost and keeps offering the others', () => {
    const preview = previewImport(full, 'a');
    expect(preview.state).toBe('ready');
    if (preview.state !== 'ready') return;
    expect(preview.vhosts).toEqual(['a', 'b']);
    expect(preview.topology.exchanges.map((x) => x.name)).toEqual(['x']);
    expect(preview.topology.bindings).toHaveLength(1);
  });

  it('says plainly when the text is not JSON, or not definitions', () => {
    expect(previewImport('{ nope', '')).toMatchObject({ state: 'problem' });
    expect(previewImport('  ', '')).toEqual({ state: 'empty' });
    const bad = previewImport('{"exchanges": 3}', '');
    expect(bad.state).toBe('problem');
    if (bad.state === 'problem') expect(bad.message).toMatch(/exchanges/);
  });
});

describe('laidOut', () => {
  it('places every node, exchanges left of the queues they feed', () => {
    const preview = previewImport(full, 'a');
    if (preview.state !== 'ready') throw new Error(preview.state);
    const topology = laidOut(preview.topology);
    const x = topology.exchanges[0]?.position;
    const q = topology.queues[0]?.position;
    expect(x && q && x.x < q.x).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Consumer, Producer } from '@warren/topology';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { buildScene } from './scene';
import { documentFromSvg, fit, renderSvg } from './svg';

const producer = (name: string, into: string, routingKey: string): Producer => ({
  id: `p-${name}`,
  name,
  exchange: into,
  routingKey,
  payload: '{}',
  mandatory: false,
});
const consumer = (name: string, from: string): Consumer => ({
  id: `c-${name}`,
  name,
  queue: from,
  prefetch: 1,
  autoAck: false,
});

const shop = topology({
  exchanges: [exchange('orders', 'topic'), exchange('dlx', 'fanout')],
  queues: [
    queue('paid', { arguments: { 'x-dead-letter-exchange': 'dlx' } }),
    queue('audit'),
    queue('dead'),
  ],
  bindings: [
    binding('orders', 'paid', 'order.paid'),
    binding('orders', 'audit', '#'),
    binding('dlx', 'dead', ''),
  ],
  producers: [producer('checkout', 'orders', 'order.paid')],
  consumers: [consumer('billing', 'paid')],
});

describe('the diagram image', () => {
  it('draws every node with its name and every binding with its key', () => {
    const svg = renderSvg(shop);
    for (const name of ['orders', 'dlx', 'paid', 'audit', 'dead', 'checkout', 'billing'])
      expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('>order.paid</text>');
    expect(svg).toContain('>#</text>');
    expect(svg).toContain('>dead-letter</text>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('links producers, bindings, consumers and dead-letter relations between the right nodes', () => {
    const scene = buildScene(shop);
    const edges = scene.edges.map((e) =>
      `${e.kind} ${e.from.name} -> ${e.to.name} ${e.label}`.trim(),
    );
    expect(edges.sort()).toEqual(
      [
        'binding dlx -> dead',
        'binding orders -> audit #',
        'binding orders -> paid order.paid',
        'consume paid -> billing',
        'dead-letter paid -> dlx dead-letter',
        'publish checkout -> orders order.paid',
      ].sort(),
    );
    // Every node sits inside the image.
    const { x, y, width, height } = scene.bounds;
    for (const n of scene.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(x);
      expect(n.y + n.height).toBeLessThanOrEqual(y + height);
      expect(n.x + n.width).toBeLessThanOrEqual(x + width);
    }
  });

  it('keeps markup in names as text', () => {
    const svg = renderSvg(topology({ queues: [queue('<script>alert(1)</script>')] }));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('carries the document inside, so the image opens the diagram again', () => {
    const named = { ...shop, name: 'Shop & "friends" <v2>' };
    expect(documentFromSvg(renderSvg(named))).toEqual(named);
    expect(documentFromSvg(renderSvg(named, { embed: false }))).toBeUndefined();
    expect(documentFromSvg('<svg/>')).toBeUndefined();
  });

  it('follows the theme, and can leave the background out', () => {
    expect(renderSvg(shop, { theme: 'dark' })).toContain('fill="#12161f"');
    expect(renderSvg(shop, { theme: 'light' })).toContain('fill="#f7f8fb"');
    expect(renderSvg(shop, { transparent: true })).not.toContain('fill="#f7f8fb"');
  });

  it('draws an empty diagram as a small empty image', () => {
    expect(renderSvg(topology({}))).toContain('viewBox="0 0 320 120"');
  });

  it('shortens long names to fit, with an ellipsis', () => {
    expect(fit('short', 100)).toBe('short');
    expect(fit('a-very-long-queue-name-that-does-not-fit', 100)).toMatch(/…$/);
    expect(fit('a-very-long-queue-name-that-does-not-fit', 100).length).toBeLessThanOrEqual(13);
  });
});

import { addNode, moveNode, updateConsumer, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { brokerJson } from './document-slice';

describe('what Apply must send', () => {
  it('counts consumer settings, not their positions, as something Apply must send', () => {
    const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
    const { topology, id: c1 } = addNode(empty, 'consumer', { x: 0, y: 0 });
    const moved = moveNode(topology, c1, { x: 300, y: 300 });
    expect(brokerJson(moved)).toBe(brokerJson(topology));
    const faster = updateConsumer(topology, c1, { prefetch: 10 });
    expect(brokerJson(faster)).not.toBe(brokerJson(topology));
  });
});

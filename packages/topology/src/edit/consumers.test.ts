import { describe, expect, it } from 'vitest';
import type { Topology } from '../model';
import { consumerEdgeId } from '../paths';
import {
  addNode,
  connectNodes,
  connectionKind,
  deleteElements,
  elementAtPath,
  findElement,
  moveNode,
  nameProblem,
  pathOfElement,
  renameNode,
  updateConsumer,
} from './index';

function workQueue(): { topology: Topology; q: string; c1: string; c2: string } {
  let topology: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
  const add = (kind: 'queue' | 'consumer') => {
    const result = addNode(topology, kind, { x: 0, y: 0 });
    topology = result.topology;
    return result.id;
  };
  const q = add('queue');
  const c1 = add('consumer');
  const c2 = add('consumer');
  return { topology, q, c1, c2 };
}

describe('consumers in the document', () => {
  it('adds consumers named consumer-1, consumer-2 that read no queue yet', () => {
    const { topology } = workQueue();
    expect(topology.consumers?.map((c) => [c.name, c.queue, c.prefetch, c.autoAck])).toEqual([
      ['consumer-1', '', 1, false],
      ['consumer-2', '', 1, false],
    ]);
  });

  it('connects a queue to consumers, and only a queue', () => {
    const { topology: t0, q, c1, c2 } = workQueue();
    expect(connectionKind(t0, q, c1)).toBe('consume');
    expect(connectionKind(t0, c1, q)).toBeUndefined();
    const first = connectNodes(t0, q, c1);
    expect(first.edgeId).toBe(consumerEdgeId(c1));
    const { topology } = connectNodes(first.topology, q, c2);
    expect(topology.consumers?.map((c) => c.queue)).toEqual(['queue-1', 'queue-1']);
    expect(findElement(topology, consumerEdgeId(c1))?.kind).toBe('consume');
    expect(findElement(topology, c2)?.kind).toBe('consumer');
  });

  it('follows a queue rename and leaves consumers of a deleted queue reading nothing', () => {
    const made = workQueue();
    const { q, c1, c2 } = made;
    let topology = connectNodes(made.topology, q, c1).topology;
    topology = connectNodes(topology, q, c2).topology;
    topology = renameNode(topology, q, 'work');
    expect(topology.consumers?.map((c) => c.queue)).toEqual(['work', 'work']);
    const unlinked = deleteElements(topology, [consumerEdgeId(c1)]);
    expect(unlinked.consumers?.map((c) => c.queue)).toEqual(['', 'work']);
    const noQueue = deleteElements(topology, [q]);
    expect(noQueue.consumers?.map((c) => c.queue)).toEqual(['', '']);
    expect(deleteElements(topology, [c2]).consumers?.map((c) => c.name)).toEqual(['consumer-1']);
  });

  it('names, moves, updates and locates consumers', () => {
    const { topology, c1, c2 } = workQueue();
    expect(nameProblem(topology, c1, '')).toBe('A consumer needs a name.');
    expect(nameProblem(topology, c1, 'consumer-2')).toBe("Another consumer is named 'consumer-2'.");
    expect(renameNode(topology, c1, 'fast').consumers?.[0]?.name).toBe('fast');
    expect(moveNode(topology, c2, { x: 10.4, y: 20.6 }).consumers?.[1]?.position).toEqual({
      x: 10,
      y: 21,
    });
    const updated = updateConsumer(topology, c2, { failureRate: 1, onFailure: { kind: 'reject' } });
    expect(updated.consumers?.[1]?.onFailure).toEqual({ kind: 'reject' });
    expect(pathOfElement(topology, c2)).toBe('/consumers/1');
    expect(elementAtPath(topology, '/consumers/1/queue')).toBe(c2);
  });
});
